"""Finding the rules' phrases in a message fast, with exactly the regex's results.

The rules describe what to look for as case-insensitive regexes: a list of alternatives,
`before(?:one|two|...)after`. Scanned one by one, ~40 of those cost milliseconds per message,
because Python's regex engine cannot skip ahead in a case-insensitive pattern: it tries every
position. `Phrases` finds the same matches another way:

1. On a lower-cased copy of the text, a case-sensitive twin of the regex matches exactly
   where the case-insensitive one does on the original (see `Text` for when that holds),
   and the engine can then jump to the letters a match must start with.
2. Each alternative needs some literal text to match at all (`interviews?` needs
   "interview"; "(?:looking for|need) a job" needs "looking for" or "need", and "a job").
   An alternative whose literals are not in the text cannot match anywhere, so leaving it
   out changes no match; most messages need only a handful, often none. Every vocabulary's
   literals are found in a text at once, by one Aho-Corasick pass (`LiteralIndex`), and a
   text's literals (or several texts' together) rule a vocabulary out before any regex runs
   (`Phrases.may_match`).

Positions are the same in both copies, so matches are returned as spans of the original
text. Anything this cannot prove equal (odd characters, backreferences, inline flags) falls
back to the plain case-insensitive regex. What a regex needs is read from its source by a
small reader below (public `re` only: CPython's private parser may change
under us). The standard library and pyahocorasick (the automaton) only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache, reduce
from operator import itemgetter, or_

import ahocorasick

# Characters a case-insensitive ASCII letter matches although their lower case is not that
# letter (dotted İ, dotless ı, long ſ); `lower()` also lengthens İ. tests/test_phrases.py
# checks this list against the regex engine for every Unicode character.
CASE_TRAPS = frozenset("\u0130\u0131\u017f")
TRAPS = tuple(sorted(CASE_TRAPS))


class cached_attribute:  # lower case: a decorator, as functools.cached_property is
    """functools.cached_property, lighter: the value is worked out at the first read and kept
    in the instance's __dict__, where every later read finds it without calling this. Its
    __get__ runs only then, so it need not look for a kept value first (cached_property's
    does): read once per request for each of a request's texts and facts, that is a
    measurable part of the rules' time."""

    def __init__(self, func: Callable):
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value


@dataclass(frozen=True)
class Text:
    """A text, and its lower-cased copy when matching that case-sensitively is exactly a
    case-insensitive match on the original (same length, none of the CASE_TRAPS)."""

    raw: str
    lower: str | None

    @classmethod
    def of(cls, raw: str) -> Text:
        lower = raw.lower()
        # The traps looked for one by one (a substring search each, in C), not the text's
        # characters one by one in a set.
        if raw.isascii() or (len(lower) == len(raw) and not any(map(raw.__contains__, TRAPS))):
            return cls(raw, lower)
        return cls(raw, None)

    def __getitem__(self, part: slice) -> Text:
        return Text(self.raw[part], None if self.lower is None else self.lower[part])

    def literals(self) -> frozenset[str]:
        """The LITERALS in the lower-cased text: those of literal_mask()."""
        return LITERALS.literals_of(self.literal_mask())

    def literal_mask(self) -> int:
        """The LITERALS in the lower-cased text as one int (LiteralIndex.mask), found with
        the tokens (see _read_pieces) and kept until a new vocabulary adds literals."""
        found = self.__dict__.get("_literal_mask")
        if found is None or found[0] != LITERALS.version:
            found = self._read_pieces()
        return found[1]

    @cached_attribute
    def tokens(self) -> frozenset[str]:
        """The runs of word characters, "+" and "#" in the lower-cased text ("c++", "node"),
        read with the literal mask (_read_pieces puts them here)."""
        self._read_pieces()
        return self.__dict__["tokens"]

    def _read_pieces(self) -> tuple[int, int]:
        """Works out the text's literal mask (kept with LITERALS.version, which it returns
        with it) and its tokens, from its pieces' (see PIECE): the two are asked of every
        request's body, so each piece's pair is one look-up (LiteralIndex.pieces), not one
        for each; a short text is one piece (a subject, a sentence, a one-line body recur)."""
        version, kept = LITERALS.version, LITERALS.pieces  # the version first: see add
        if not (lower := self.lower):
            found = self.__dict__["_literal_mask"] = (version, 0)
            self.__dict__["tokens"] = frozenset()
            return found
        pieces = self._pieces if len(lower) > WHOLE_TEXT else [lower]
        # Looked up in C; read (by _kept_answers) only if one is new. (A piece's pair is
        # never empty: `all`, not `None in`, which compares each pair with None.)
        read = list(map(kept.get, pieces))
        if not all(read):
            read = _kept_answers(pieces, kept, _read_piece, read)
        if len(read) == 1:
            mask, tokens = read[0]
        else:
            masks, each_tokens = zip(*read, strict=True)
            mask, tokens = reduce(or_, masks), frozenset().union(*each_tokens)
            if not LITERALS.piecewise:  # a literal may run across pieces: the whole text's
                mask = LITERALS.found_mask(lower)
        self.__dict__["tokens"] = tokens
        found = self.__dict__["_literal_mask"] = (version, mask)
        return found

    def by_piece(self, find: Callable[[str], frozenset], kept: dict) -> frozenset:
        """The union of `find` over the lower-cased text's pieces (see PIECE), each piece's
        answer kept in `kept` (bounded): for what a token or a literal decides alone (a
        cut runs across none)."""
        if len(lower := self.lower or "") > WHOLE_TEXT:
            found = list(map(kept.get, pieces := self._pieces))
            if None in found:
                found = _kept_answers(pieces, kept, find, found)
            return frozenset().union(*found)
        return find(lower)

    @cached_attribute
    def _pieces(self) -> list[str]:
        return pieces_of(self.lower or "")


def _read_piece(lower: str) -> tuple[int, frozenset[str]]:
    """A lower-cased piece's literal mask and tokens (see Text._read_pieces)."""
    return LITERALS.found_mask(lower), tokens_of(lower)


def tokens_of(lower: str) -> frozenset[str]:
    """Text.tokens of a lower-cased text."""
    if lower.isascii():
        # The same runs, found several times faster: every ASCII byte that is not a token
        # character becomes a space, and the rest is split on spaces.
        return frozenset(lower.encode().translate(ASCII_TOKEN_BYTES).decode().split())
    return frozenset(TOKEN.findall(lower))


# A text's literals and tokens are the union of its pieces', when it is cut where neither
# can run across: before a line break, and between a sentence's end and the space after
# it ("years." | " Over"). No token has a space, a line break or a stop in it; no literal
# has a line break or a stop followed by a space (LiteralIndex.piecewise checks). Pieces
# recur across messages ("Thank you for your time.", a signature, a template's sentences),
# so each piece's literals and tokens are found once and kept: most of a message's are
# then looked up, not found again. A short text is one piece (cutting it costs more).
PIECE = re.compile(r"\n?(?:[^.!?\n]++|[.!?](?! ))*+[.!?]?")
WHOLE_TEXT = 80  # characters: a text this short is not cut
PIECES_KEPT = 20_000  # pieces whose literal mask and tokens are kept, at most


def pieces_of(lower: str) -> list[str]:
    """The text's pieces: those of PIECE.findall (with maybe an empty one more or less,
    which holds nothing), found several times faster than the regex, which reads the text
    a character at a time: a NUL put at each cut (in C), and the text split there. A text
    with a NUL of its own is cut by the regex."""
    if "\x00" in lower:
        return PIECE.findall(lower)
    cut = lower.replace("\n", "\x00\n").replace(". ", ".\x00 ")
    return cut.replace("! ", "!\x00 ").replace("? ", "?\x00 ").split("\x00")


def _kept_answers(pieces: list[str], kept: dict, find, found: list) -> list:
    """`found`, the pieces' answers looked up in `kept` (in C, by the caller: most pieces
    were seen before), with each missing one (None) worked out by `find` and kept."""
    if len(kept) >= PIECES_KEPT:
        kept.clear()  # bounded: start again (memory, not correctness)
    # Only the new pieces (a name, a number: one or two a message), each found by index (C).
    at = found.index(None)
    while True:
        found[at] = kept[pieces[at]] = find(pieces[at])
        try:
            at = found.index(None, at + 1)
        except ValueError:
            return found


def short_text(raw: str) -> Text:
    """Text.of a text that may recur across messages (a subject, a sentence): a short one is
    made once, so its literals and tokens are found once (a long one is not kept)."""
    return _kept_text(raw) if len(raw) <= SHORT_TEXT else Text.of(raw)


SHORT_TEXT = 400  # characters: what short_text keeps, at most 4096 of them


@lru_cache(maxsize=4096)
def _kept_text(raw: str) -> Text:
    return Text.of(raw)


TOKEN = re.compile(r"[\w+#]+")
ASCII_TOKEN_BYTES = bytes(
    byte if byte < 128 and TOKEN.fullmatch(chr(byte)) else ord(" ") for byte in range(256)
)


class LiteralIndex:
    """Every literal the vocabularies' alternatives need (see Phrases._literals), found in
    a text at once: one scan of a message, not one substring search per literal per
    vocabulary (several hundred). The scan is an Aho-Corasick automaton; literals of one
    character ("a", "#"), in nearly every text, would only slow it down, and are looked for
    apart: the text's characters, as a set, against them (a literal is never empty: see
    _needs)."""

    SHORT = 1

    def __init__(self) -> None:
        self._literals: set[str] = set()
        self._short: frozenset[str] = frozenset()
        self._automaton: ahocorasick.Automaton | None = None
        self.version = 0  # changes when literals are added: texts then look again
        # Each literal's bit: a text's literals as one int (`mask`), so that whether it has
        # one of a pattern's literals is one `&` (Phrases.screen_mask), not a set lookup per
        # literal. A literal keeps its bit: a pattern's mask never goes stale.
        self.bits: dict[str, int] = {}
        # Piece (see PIECE; or short text) -> its literals' mask and its tokens (see
        # Text._read_pieces), of the literals as they are now.
        self.pieces: dict[str, tuple[int, frozenset[str]]] = {}
        self.piecewise = True  # no literal runs across pieces (see PIECE)

    def add(self, literals: Iterable[str]) -> None:
        if new := set(literals) - self._literals:
            self._literals |= new
            self._short = frozenset(lit for lit in self._literals if len(lit) == self.SHORT)
            self._automaton = None
            for literal in sorted(new):
                self.bits[literal] = 1 << len(self.bits)
            self.pieces = {}  # each piece's mask was of the old literals (its tokens go too)
            # A literal that runs across a cut between pieces would be missed there.
            self.piecewise = self.piecewise and not any(
                cut in lit for lit in new for cut in ("\n", ". ", "! ", "? ")
            )
            self.version += 1  # last: a text that reads it reads the rest as it now is

    def found_mask(self, lower: str | None) -> int:
        """`mask` of the literals in the lower-cased text."""
        if not lower or not self._literals:
            return 0
        if (automaton := self._automaton) is None:
            # Each literal is kept in the automaton with its bit, so what a scan finds is
            # the mask's bits themselves, ORed in C (no set of literals to make and map).
            automaton = self._automaton = ahocorasick.Automaton()
            for literal in self._literals:
                if len(literal) > self.SHORT:
                    automaton.add_word(literal, self.bits[literal])
            automaton.make_automaton()
        found = reduce(or_, map(_SECOND, automaton.iter(lower)), 0) if len(automaton) else 0
        # The short literals are single characters: those in the text, in one look.
        return reduce(or_, map(self.bits.__getitem__, self._short.intersection(lower)), found)

    def found(self, lower: str | None) -> frozenset[str]:
        """The literals in the lower-cased text."""
        return self.literals_of(self.found_mask(lower))

    def literals_of(self, mask: int) -> frozenset[str]:
        """The literals whose bits are in `mask`."""
        return frozenset(literal for literal, bit in self.bits.items() if bit & mask)

    def mask(self, literals: Iterable[str]) -> int:
        """The literals (all of them LITERALS) as one int: their bits together."""
        return reduce(or_, map(self.bits.__getitem__, literals), 0)


LITERALS = LiteralIndex()
_SECOND = itemgetter(1)  # of the automaton's (end, bit) pairs
_SPAN = re.Match.span  # a match's (start, end): map()ped in C over a regex's matches


REDUCED_KEPT = 1024  # answers kept per Phrases: see _reduced_for


class Phrases:
    """`before(?:alternative|...)after`, matched case-insensitively, found fast."""

    def __init__(
        self,
        alternatives: Iterable[str],
        *,
        before: str = "",
        after: str = "",
        tokens: Iterable[str | None] | None = None,
        all_tokens: Iterable[frozenset[str]] | None = None,
    ):
        """`tokens`, if given, names per alternative a token (see Text.tokens) that every
        match of it contains as a whole token: a quicker test than looking for literals.
        `all_tokens` (with `tokens`) names all of them ("time", "series" and "forecasting"):
        an alternative whose tokens are not all in the text is not searched for."""
        self.alternatives = tuple(alternatives)
        if tokens is None:
            # "podcast|have (?:someone|you) (?:talk|speak)" is two alternatives: the same
            # regex, each alternative's needs looked at apart (the second needs "have " and
            # "you" and "talk", not just "have "), so fewer run.
            self.alternatives = tuple(
                branch for a in self.alternatives for branch in _top_level_branches(a)
            )
        self.before, self.after = before, after
        self.tokens = None if tokens is None else tuple(tokens)
        self._all_tokens = {
            i: frozenset(need) for i, need in enumerate(all_tokens or ()) if len(need) > 1
        }
        # token -> the alternatives that need it, and those that need none: which ones may
        # match is then one set intersection with the text's tokens.
        self._by_token: dict[str, list[int]] = {}
        for i, token in enumerate(self.tokens or ()):
            self._by_token.setdefault(token, []).append(i)
        self._tokenless = tuple(self._by_token.pop(None, ()))
        self._token_keys = frozenset(self._by_token)
        self.regex = re.compile(self._source(self.alternatives), re.IGNORECASE)
        self._reduced: dict[tuple[int, ...], re.Pattern[str]] = {}
        # The _relevant tokens in a text (or the mask of its _relevant literals) ->
        # _reduced_for's answer.
        self._reduced_by_found: dict[frozenset[str] | int, re.Pattern[str] | None] = {}
        if self.tokens is None and self._safe:
            # Now, not at the first text: see Scan.may_match.
            LITERALS.add(self._by_literal)
            LITERALS.add(lit for needs in self._requirements.values() for n in needs for lit in n)
        # A plain attribute, not a cached property: read a score of times per message
        # (Scan.may_match), where a plain attribute is the quickest read.
        self.screen = self._screen()
        # The screen's literals as a mask (see LiteralIndex.bits), when it has literals: a
        # text may hold a match only if `screen_mask & text.literal_mask()`.
        self.screen_mask = (
            LITERALS.mask(self.screen[1]) if self.screen is not None and self.screen[0] else None
        )

    def _source(self, alternatives: tuple[str, ...]) -> str:
        if not alternatives:
            return r"(?!)"  # never matches
        return f"{self.before}(?:{'|'.join(alternatives)}){self.after}"

    @cached_property
    def _safe(self) -> bool:
        """Whether the case-sensitive twin is exact (else the regex does all the work)."""
        return _lower_case_safe(self._source(self.alternatives))

    @cached_property
    def _literals(self) -> tuple[tuple[str, int], ...]:
        """(literal, alternative): each alternative matches only where one of its literals
        is. Alternatives with no literal to look for are in _always."""
        needs = [_needed_literals(alternative) for alternative in self.alternatives]
        return tuple((lit, i) for i, lits in enumerate(needs) if lits for lit in sorted(lits))

    @cached_property
    def _always(self) -> frozenset[int]:
        return frozenset(range(len(self.alternatives))) - {i for _, i in self._literals}

    @cached_property
    def _by_literal(self) -> dict[str, tuple[int, ...]]:
        """literal -> the alternatives that need it (see _literals)."""
        by_literal: dict[str, list[int]] = {}
        for literal, i in self._literals:
            by_literal.setdefault(literal, []).append(i)
        return {literal: tuple(found) for literal, found in by_literal.items()}

    @cached_property
    def _requirements(self) -> dict[int, tuple[frozenset[str], ...]]:
        """alternative -> all it needs, when that is more than its _literals: "(?:looking
        for|need) a (?:job|role)" needs "looking for" or "need", and "job" or "role" too."""
        found = {}
        for i, alternative in enumerate(self.alternatives):
            if len(needs := _all_needed_literals(alternative)) > 1:
                found[i] = needs
        return found

    @cached_property
    def _literal_keys(self) -> frozenset[str]:
        return frozenset(self._by_literal)

    def spans(self, text: Text, found: frozenset[str] | None = None) -> list[tuple[int, int]]:
        """(start, end) of each match, as regex.finditer(text.raw) would find them. `found`:
        the text's literals (or, with `tokens`, its tokens), when the caller has them."""
        if text.lower is None or not self._safe:
            return list(map(_SPAN, self.regex.finditer(text.raw)))
        if self.tokens is None:
            # _reduced_for's literal path written out (asked for every text and pattern):
            # the kept answer for the text's _relevant literals, one look-up in a dict.
            relevant = text.literal_mask() & self._relevant_mask
            try:
                pattern = self._reduced_by_found[relevant]
            except KeyError:
                pattern = self._reduced_for_mask(relevant)
        else:
            pattern = self._reduced_for(text, found)
        if pattern is None:
            return []
        return list(map(_SPAN, pattern.finditer(text.lower)))

    def may_match(self, literals: frozenset[str], tokens: frozenset[str]) -> bool:
        """False when no match is possible in a text with these LITERALS and tokens (those of
        Text.literals() and Text.tokens; of several texts at once, their unions)."""
        if (screen := self.screen) is None:
            return True
        return not screen[1].isdisjoint(literals if screen[0] else tokens)

    def _screen(self) -> tuple[bool, frozenset[str]] | None:
        """`screen`, what may_match reads: (True, literals) when a match needs one of the
        literals, (False, tokens) when it needs one of the tokens; None when it may match
        anywhere."""
        if not self._safe:
            return None
        if self.tokens is not None:
            return None if self._tokenless else (False, self._token_keys)
        return None if self._always else (True, self._literal_keys)

    def search(self, text: Text) -> bool:
        if text.lower is None or not self._safe:
            return self.regex.search(text.raw) is not None
        if self.tokens is None:  # as in spans: most texts have none of the literals
            relevant = text.literal_mask() & self._relevant_mask
            try:
                pattern = self._reduced_by_found[relevant]
            except KeyError:
                pattern = self._reduced_for_mask(relevant)
        else:
            pattern = self._reduced_for(text)
        return pattern is not None and pattern.search(text.lower) is not None

    def _reduced_for(
        self, text: Text, found: frozenset[str] | None = None
    ) -> re.Pattern[str] | None:
        """The twin of the alternatives that may match in the text; None if none may.
        `found`: the text's tokens (with `tokens`), when the caller has them; literals are
        read from the text's literal_mask, kept with it."""
        if self.tokens is None:
            return self._reduced_for_mask(text.literal_mask() & self._relevant_mask)
        if found is None:
            found = text.tokens
        # The answer depends only on which of the literals (or tokens) this pattern looks
        # for are in the text: few combinations, kept.
        found = found & self._relevant
        try:
            return self._reduced_by_found[found]
        except KeyError:
            pattern = self._reduced_for_found(found)
            if len(self._reduced_by_found) >= REDUCED_KEPT:
                self._reduced_by_found.clear()  # bounded: start again
            self._reduced_by_found[found] = pattern
            return pattern

    def _reduced_for_mask(self, relevant: int) -> re.Pattern[str] | None:
        """_reduced_for, from the mask of the _relevant literals in a text: an int, quicker
        to make and to look up than the set of them."""
        try:
            return self._reduced_by_found[relevant]
        except KeyError:
            bits = LITERALS.bits
            found = frozenset(lit for lit in self._relevant if bits[lit] & relevant)
            pattern = self._reduced_for_found(found)
            if len(self._reduced_by_found) >= REDUCED_KEPT:
                self._reduced_by_found.clear()  # bounded: start again
            self._reduced_by_found[relevant] = pattern
            return pattern

    @cached_property
    def _relevant_mask(self) -> int:
        return LITERALS.mask(self._relevant)

    @cached_property
    def _relevant(self) -> frozenset[str]:
        """The tokens, or the literals (with those of _requirements), _reduced_for reads."""
        if self.tokens is not None:
            return self._token_keys.union(*self._all_tokens.values())
        needs = (need for needs in self._requirements.values() for need in needs)
        return self._literal_keys.union(*needs)

    def _reduced_for_found(self, found: frozenset[str]) -> re.Pattern[str] | None:
        """_reduced_for, from the text's tokens (with `tokens`) or LITERALS that are
        _relevant."""
        if self.tokens is not None:
            keys, by_key, always = self._token_keys & found, self._by_token, self._tokenless
        else:
            keys, by_key, always = self._literal_keys & found, self._by_literal, self._always
        if not keys and (not always or self.tokens is None):
            return self._twin(tuple(sorted(always))) if always else None
        present = set(always)
        for key in keys:
            present.update(by_key[key])
        if self.tokens is not None and (all_tokens := self._all_tokens):
            present = {i for i in present if i not in all_tokens or all_tokens[i] <= found}
            if not present:
                return None
        if self.tokens is None and (requirements := self._requirements):
            present = {
                i
                for i in present
                if i not in requirements
                or not any(need.isdisjoint(found) for need in requirements[i])
            }
            if not present:
                return None
        return self._twin(tuple(sorted(present)))

    def _twin(self, present: tuple[int, ...]) -> re.Pattern[str]:
        """The case-sensitive regex of just the alternatives that may match, compiled once."""
        if (pattern := self._reduced.get(present)) is None:
            alternatives = tuple(self.alternatives[i] for i in present)
            source = _boundary_after_first(self.before, alternatives, self.after, by_head=True)
            pattern = self._reduced[present] = re.compile(source or self._source(alternatives))
        return pattern


# --- A twin the regex engine can skip through ---------------------------------------------
# Python's regex engine jumps from one place a match may start to the next only when the
# pattern begins with a literal character, or with alternatives that each begin with one
# (it then looks for those characters in C). A leading \b hides them, so the engine tries
# every position of the text: most of the time a vocabulary spends. "\b" then "c" is "c",
# then a look-behind that checks for the boundary before it: "c(?<=\b.)". Written so, with
# a group at the front of an alternative spread over its branches ("(?:are|is) hiring" is
# "are hiring|is hiring"), the same regex matches the same text, several times faster. The
# branches that begin with the same character are then put together behind it ("a(?<=\b.)
# (?:re hiring|pplied)"), so the engine checks that character and the boundary once at each
# place, not once per branch.

_QUANTIFIERS = frozenset("*+?{")
_SPECIAL = frozenset("\\.^$*+?{}[]()|\n")
DIGIT = r"\d"


def _boundary_after_first(
    before: str, alternatives: tuple[str, ...], after: str, *, by_head: bool = False
) -> str | None:
    """`before(?:alternatives)after` with its leading \\b moved after each alternative's
    first character (see above); None when before is not \\b or some alternative does not
    begin with a literal character (the regex is then compiled as written). `by_head`: the
    branches that begin with the same character put together (see _by_head), as _twin
    compiles them."""
    if before != r"\b" or not alternatives:
        return None
    branches = []
    for alternative in alternatives:
        for branch in _top_level_branches(alternative):
            if (spread := _literal_first(branch)) is None:
                return None
            branches += spread
    # Each branch as its first character (a class of digits for "\d+") and the rest.
    heads = [DIGIT if b.startswith(DIGIT) else b[0] for b in branches]
    rests = [
        (r"\d*" + b[3:] if b[2:3] == "+" else b[2:]) if b.startswith(DIGIT) else b[1:]
        for b in branches
    ]
    groups = _by_head(heads, rests) if by_head else list(zip(heads, rests, strict=True))
    if DIGIT not in heads:
        moved = (head + r"(?<=\b.)" + rest for head, rest in groups)
        return f"(?:{'|'.join(moved)}){after}"
    # Some begin with a digit ("\d+ minutes"): the first character is taken from a class of
    # them all, the boundary checked before it, and each branch checks it was its own.
    escaped = [head if head == DIGIT else re.escape(head) for head, _ in groups]
    checked = (f"(?<={head}){rest}" for head, (_, rest) in zip(escaped, groups, strict=True))
    return f"[{''.join(dict.fromkeys(escaped))}](?<=\\b.)(?:{'|'.join(checked)}){after}"


def _by_head(heads: list[str], rests: list[str]) -> list[tuple[str, str]]:
    """(head, rest) of each branch, the rests of the branches with the same head together
    as one group's branches, in their order, and the groups in the order of their first
    branch. At each place that may start a match the engine then checks each head once,
    not each branch. Only when no two heads match the same character (a digit and \\d
    would): then at any place the branches of one head alone may match, and which group
    is tried first changes nothing."""
    if DIGIT in heads and any(re.fullmatch(DIGIT, head) for head in heads):
        return list(zip(heads, rests, strict=True))
    grouped: dict[str, list[str]] = {}
    for head, rest in zip(heads, rests, strict=True):
        grouped.setdefault(head, []).append(rest)
    return [(h, r[0] if len(r) == 1 else f"(?:{'|'.join(r)})") for h, r in grouped.items()]


def _literal_first(branch: str) -> list[str] | None:
    """The branch as branches that each begin with a literal character (not quantified), in
    the order the regex engine tries them; None when that cannot be done simply."""
    if not branch:
        return None
    if branch.startswith("(?:"):
        end = _group_end(branch, 0)
        if end is None or branch[end + 1 : end + 2] in _QUANTIFIERS:
            return None
        rest, spread = branch[end + 1 :], []
        for inner in _top_level_branches(branch[3:end]):
            if (found := _literal_first(inner + rest)) is None:
                return None
            spread += found
        return spread
    if branch.startswith(("(?<=", "(?<!")):
        # A look-behind before a literal character c checks, after c, itself followed by c:
        # "(?<!for )referring" is "r(?<!for r)eferring".
        end = _group_end(branch, 0)
        behind = branch[4:end] if end is not None else "\\"
        if any(char in _SPECIAL for char in behind) or branch[end + 1 : end + 2] in _QUANTIFIERS:
            return None
        if (found := _literal_first(branch[end + 1 :])) is None:
            return None
        if any(b.startswith(DIGIT) for b in found):
            return None
        return [f"{b[0]}{branch[:4]}{behind}{b[0]}){b[1:]}" for b in found]
    if branch.startswith(DIGIT):  # "\d" or "\d+" (not "\d+?", "\d{2}")
        quantified = branch[2:3] in _QUANTIFIERS
        if quantified and (branch[2:3] != "+" or branch[3:4] in _QUANTIFIERS):
            return None
        return [branch]
    if branch[0] in _SPECIAL or branch[1:2] in _QUANTIFIERS:
        return None
    return [branch]


def _top_level_branches(source: str) -> list[str]:
    """`source` split at the "|" outside any group or class."""
    branches, start = [], 0
    for at, char, depth in _structure(source):
        if char == "|" and depth == 0:
            branches.append(source[start:at])
            start = at + 1
    branches.append(source[start:])
    return branches


def _structure(source: str, at: int = 0) -> Iterator[tuple[int, str, int]]:
    """The characters of `source` from `at` that give it structure, each with the depth of
    groups open after it: escapes and character classes are passed over whole."""
    depth = 0
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":
            at = _class_end(source, at) + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        yield at, char, depth
        at += 1


def _class_end(source: str, at: int) -> int:
    """Where the character class opening at `at` closes ("]" first in it is a member)."""
    at += 1
    if source.startswith("^", at):
        at += 1
    if source.startswith("]", at):
        at += 1
    while at < len(source) and source[at] != "]":
        at += 2 if source[at] == "\\" else 1
    return at


def _group_end(source: str, at: int) -> int | None:
    """Where the group opening at `at` closes, or None if it does not."""
    for end, char, depth in _structure(source, at):
        if char == ")" and depth == 0:
            return end
    return None


# --- What a regex needs, read from its source --------------------------------------------
# A small reader for the part of Python's regex syntax the rules use. It only has to be right
# where it says yes: anything it does not know makes the source unsafe (the plain regex runs)
# or leaves an alternative without literals (it is always tried). Either way the matches are
# the regex's own; only the speed differs.


class _Unknown(Exception):
    """Syntax the reader does not follow."""


# A parsed item: ("lit", char), ("group", branches) for a group that matches text,
# ("repeat", minimum, item), or ("other",) for what needs no particular text (a class, a
# boundary, a look-around, "."). Look-arounds are checked for safety but never needed.
_CATEGORIES = frozenset("dDsSwW")
_ANCHORS = frozenset("AbBZ")
_CONTROL = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_REPEAT = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_GROUP_NAME = re.compile(r"\?P<\w+>")


class _Reader:
    def __init__(self, source: str):
        self.source, self.at = source, 0
        self.safe = True  # no case-sensitive trap: upper case, backreference, inline flag

    def parse(self) -> list[list]:
        branches = self.branches()
        if self.at != len(self.source):
            raise _Unknown("unbalanced parenthesis")
        return branches

    def branches(self) -> list[list]:
        branches, items, source = [], [], self.source
        while self.at < len(source):
            char = source[self.at]
            if char == ")":
                break
            self.at += 1
            if char == "|":
                branches.append(items)
                items = []
            elif char == "(":
                items.append(self.group())
            elif char == "[":
                self.char_class()
                items.append(("other",))
            elif char == "\\":
                items.append(self.escape())
            elif char in ".^$":
                items.append(("other",))
            elif char in "*+?" or (char == "{" and _REPEAT.match(source, self.at - 1)):
                if not items or items[-1][0] == "repeat":
                    raise _Unknown("nothing to repeat")
                items.append(self.repeat(char, items.pop()))
            else:
                items.append(self.literal(char))
        branches.append(items)
        return branches

    def repeat(self, char: str, item: tuple) -> tuple:
        minimum = {"*": 0, "+": 1, "?": 0}.get(char)
        if minimum is None:
            match = _REPEAT.match(self.source, self.at - 1)
            self.at = match.end()
            minimum = int(match.group(1) or 0)
        if self.source[self.at : self.at + 1] in ("?", "+"):  # lazy or possessive
            self.at += 1
        return ("repeat", minimum, item)

    def group(self) -> tuple:
        source = self.source
        kind = "group"
        if source.startswith("?", self.at):
            if source.startswith(("?:", "?>"), self.at):
                self.at += 2
            elif source.startswith(("?=", "?!"), self.at):
                self.at, kind = self.at + 2, "other"
            elif source.startswith(("?<=", "?<!"), self.at):
                self.at, kind = self.at + 3, "other"
            elif match := _GROUP_NAME.match(source, self.at):
                self.at = match.end()
            else:  # inline flags, a named backreference, a conditional, a comment
                raise _Unknown("group kind")
        branches = self.branches()
        if not source.startswith(")", self.at):
            raise _Unknown("unclosed group")
        self.at += 1
        return ("other",) if kind == "other" else ("group", branches)

    def char_class(self) -> None:
        """Reads up to the closing bracket, checking every character it names."""
        source, safe, first = self.source, True, True
        if source.startswith("^", self.at):
            self.at += 1
        while True:
            if self.at >= len(source):
                raise _Unknown("unclosed class")
            char = source[self.at]
            if char == "]" and not first:
                self.at += 1
                self.safe = self.safe and safe
                return
            first = False
            if char == "[":
                raise _Unknown("nested set syntax")
            low = self.class_char()
            if low is None:  # a category such as \w: no particular character
                continue
            if source.startswith("-", self.at) and not source.startswith("-]", self.at):
                self.at += 1
                high = self.class_char()
                if high is None or ord(high) < ord(low):
                    raise _Unknown("bad range")
                codes = range(ord(low), ord(high) + 1)
                safe = safe and len(codes) <= 513 and all(_char_safe(code) for code in codes)
            else:
                safe = safe and _char_safe(ord(low))

    def class_char(self) -> str | None:
        char = self.source[self.at]
        self.at += 1
        if char != "\\":
            return char
        escaped = self.escape()
        if escaped[0] == "lit":
            return escaped[1]
        if self.source[self.at - 1] == "b":
            return "\b"  # inside a class, \b is a backspace
        if self.source[self.at - 1] in _CATEGORIES:
            return None
        raise _Unknown("escape in class")

    def escape(self) -> tuple:
        source = self.source
        if self.at >= len(source):
            raise _Unknown("trailing backslash")
        char = source[self.at]
        self.at += 1
        if char in _CATEGORIES or char in _ANCHORS:
            return ("other",)
        if char in _CONTROL:
            return ("lit", _CONTROL[char])
        if char in "xuU":
            size = {"x": 2, "u": 4, "U": 8}[char]
            digits = source[self.at : self.at + size]
            if len(digits) != size or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise _Unknown("bad hex escape")
            self.at += size
            return self.literal(chr(int(digits, 16)))
        if char.isascii() and char.isalnum():  # backreferences, octal, \N{...}: not read
            raise _Unknown("escape")
        return self.literal(char)

    def literal(self, char: str) -> tuple:
        self.safe = self.safe and _char_safe(ord(char))
        return ("lit", char)


def _read(source: str) -> _Reader | None:
    reader = _Reader(source)
    try:
        reader.tree = reader.parse()
    except _Unknown:
        return None
    return reader


def _lower_case_safe(source: str) -> bool:
    """Whether the regex, matched case-sensitively on lower-cased text, matches exactly what
    it matches case-insensitively on the original: no upper-case or non-ASCII cased literal,
    no backreference, no inline flags."""
    reader = _read(source)
    return reader is not None and reader.safe


def _char_safe(code: int) -> bool:
    char = chr(code)
    return char == char.lower() and (char.isascii() or char.lower() == char.upper())


def _needed_literals(source: str) -> frozenset[str] | None:
    """Strings one of which every match of `source` contains, or None if there are none."""
    reader = _read(source)
    return None if reader is None else _needs_any(reader.tree)


def _all_needed_literals(source: str) -> tuple[frozenset[str], ...]:
    """Every requirement of `source`: sets of strings, one of each set in every match. A
    match needs all of them, so a text that lacks any one set's strings has no match."""
    reader = _read(source)
    if reader is None:
        return ()
    if len(reader.tree) != 1:  # an alternation at the top: what any branch needs
        need = _needs_any(reader.tree)
        return (need,) if need else ()
    found = []
    run: list[str] = []
    for item in reader.tree[0]:
        if item[0] == "lit":
            run.append(item[1])
            continue
        if run:
            found.append(frozenset(["".join(run)]))
        run = []
        if item[0] == "group":
            found.append(_needs_any(item[1]))
        elif item[0] == "repeat" and item[1] >= 1:
            found.append(_needs([item[2]]))
    if run:
        found.append(frozenset(["".join(run)]))
    return tuple(need for need in found if need)


def _needs_any(branches: list[list]) -> frozenset[str] | None:
    """What an alternation needs: each branch's need, if every branch has one."""
    needs = [_needs(branch) for branch in branches]
    return frozenset().union(*needs) if all(needs) else None


def _needs(items: list) -> frozenset[str] | None:
    """The most selective requirement of a sequence: a run of literals, or what a group,
    an alternation or a repeat (of at least one) inside it requires."""
    best: frozenset[str] | None = None

    def consider(need: frozenset[str] | None) -> None:
        nonlocal best
        if need and (best is None or min(map(len, need)) > min(map(len, best))):
            best = need

    run: list[str] = []
    for item in items:
        if item[0] == "lit":
            run.append(item[1])
            continue
        consider(frozenset(["".join(run)]) if run else None)
        run = []
        if item[0] == "group":
            consider(_needs_any(item[1]))
        elif item[0] == "repeat" and item[1] >= 1:
            consider(_needs([item[2]]))
        # Anything else (a class, a boundary, a look-around) needs no particular text.
    consider(frozenset(["".join(run)]) if run else None)
    return best


class PhraseIndex:
    """Which of many token-keyed Phrases (a profile's skills and openings) may match a text,
    from one look at its tokens instead of one per Phrases."""

    def __init__(self, patterns: Iterable[Phrases]):
        self.by_token: dict[str, set[Phrases]] = {}
        self.always: set[Phrases] = set()  # some alternative has no token to look for
        self.everything: frozenset[Phrases] = frozenset(patterns)
        for pattern in self.everything:
            tokens = pattern.tokens if pattern._safe and pattern.tokens is not None else (None,)
            for token in tokens:
                if token is None:
                    self.always.add(pattern)
                else:
                    self.by_token.setdefault(token, set()).add(pattern)

    def candidates(self, texts: Iterable[Text]) -> frozenset[Phrases]:
        found = set(self.always)
        for text in texts:
            if text.lower is None:
                return self.everything
            for token in text.tokens & self.by_token.keys():
                found |= self.by_token[token]
        return frozenset(found)
