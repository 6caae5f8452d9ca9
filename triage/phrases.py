"""Finding the rules' phrases in a message fast, with exactly the regex's results.

The rules describe what to look for as case-insensitive regexes: a list of alternatives,
`before(?:one|two|...)after`. Scanned one by one, ~40 of those cost milliseconds per message,
because Python's regex engine cannot skip ahead in a case-insensitive pattern: it tries every
position. `Phrases` finds the same matches another way:

1. On a lower-cased copy of the text, a case-sensitive twin of the regex matches exactly
   where the case-insensitive one does on the original (see `Text` for when that holds),
   and the engine can then jump to the letters a match must start with.
2. Each alternative needs some literal text to match at all (`interviews?` needs
   "interview"). An alternative whose literals are not in the text cannot match anywhere,
   so leaving it out changes no match; most messages need only a handful, often none.

Positions are the same in both copies, so matches are returned as spans of the original
text. Anything this cannot prove equal (odd characters, backreferences, inline flags) falls
back to the plain case-insensitive regex. Standard library only, like rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

# re's own parser (the one re.compile uses) reads the alternatives' structure; if a future
# Python changes it, `_needed_literals` returns None and matching is just slower.
from re import _constants as sre
from re import _parser as sre_parse

# Characters a case-insensitive ASCII letter matches although their lower case is not that
# letter (dotted İ, dotless ı, long ſ); `lower()` also lengthens İ. tests/test_phrases.py
# checks this list against the regex engine for every Unicode character.
CASE_TRAPS = frozenset("\u0130\u0131\u017f")


@dataclass(frozen=True)
class Text:
    """A text, and its lower-cased copy when matching that case-sensitively is exactly a
    case-insensitive match on the original (same length, none of the CASE_TRAPS)."""

    raw: str
    lower: str | None

    @classmethod
    def of(cls, raw: str) -> Text:
        lower = raw.lower()
        if raw.isascii() or (len(lower) == len(raw) and CASE_TRAPS.isdisjoint(raw)):
            return cls(raw, lower)
        return cls(raw, None)

    def __getitem__(self, part: slice) -> Text:
        return Text(self.raw[part], None if self.lower is None else self.lower[part])

    @cached_property
    def tokens(self) -> frozenset[str]:
        """The runs of word characters, "+" and "#" in the lower-cased text ("c++", "node")."""
        lower = self.lower or ""
        if lower.isascii():
            # The same runs, found several times faster: every ASCII byte that is not a
            # token character becomes a space, and the rest is split on spaces.
            return frozenset(lower.encode().translate(ASCII_TOKEN_BYTES).decode().split())
        return frozenset(TOKEN.findall(lower))


TOKEN = re.compile(r"[\w+#]+")
ASCII_TOKEN_BYTES = bytes(
    byte if byte < 128 and TOKEN.fullmatch(chr(byte)) else ord(" ") for byte in range(256)
)


class Phrases:
    """`before(?:alternative|...)after`, matched case-insensitively, found fast."""

    def __init__(
        self,
        alternatives: Iterable[str],
        *,
        before: str = "",
        after: str = "",
        tokens: Iterable[str | None] | None = None,
    ):
        """`tokens`, if given, names per alternative a token (see Text.tokens) that every
        match of it contains as a whole token: a quicker test than looking for literals."""
        self.alternatives = tuple(alternatives)
        self.before, self.after = before, after
        self.tokens = None if tokens is None else tuple(tokens)
        # token -> the alternatives that need it, and those that need none: which ones may
        # match is then one set intersection with the text's tokens.
        self._by_token: dict[str, list[int]] = {}
        for i, token in enumerate(self.tokens or ()):
            self._by_token.setdefault(token, []).append(i)
        self._tokenless = tuple(self._by_token.pop(None, ()))
        self._token_keys = frozenset(self._by_token)
        self.regex = re.compile(self._source(self.alternatives), re.IGNORECASE)
        self._reduced: dict[tuple[int, ...], re.Pattern[str]] = {}

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

    def spans(self, text: Text) -> Iterator[tuple[int, int]]:
        """(start, end) of each match, as regex.finditer(text.raw) would find them."""
        if text.lower is None or not self._safe:
            yield from (m.span() for m in self.regex.finditer(text.raw))
            return
        if self.tokens is not None:
            present = set(self._tokenless)
            for token in self._token_keys & text.tokens:
                present.update(self._by_token[token])
        else:
            lower = text.lower
            present = {i for literal, i in self._literals if literal in lower} | self._always
        if present:
            yield from (m.span() for m in self._twin(tuple(sorted(present))).finditer(text.lower))

    def search(self, text: Text) -> bool:
        return next(self.spans(text), None) is not None

    def _twin(self, present: tuple[int, ...]) -> re.Pattern[str]:
        """The case-sensitive regex of just the alternatives that may match, compiled once."""
        if (pattern := self._reduced.get(present)) is None:
            source = self._source(tuple(self.alternatives[i] for i in present))
            pattern = self._reduced[present] = re.compile(source)
        return pattern


def _lower_case_safe(source: str) -> bool:
    """Whether the regex, matched case-sensitively on lower-cased text, matches exactly what
    it matches case-insensitively on the original: no upper-case or non-ASCII cased literal,
    no backreference, no inline flags."""
    try:
        parsed = sre_parse.parse(source)
    except re.error:
        return False
    return _items_safe(parsed.data)


def _char_safe(code: int) -> bool:
    char = chr(code)
    return char == char.lower() and (char.isascii() or char.lower() == char.upper())


def _items_safe(items) -> bool:
    for op, av in items:
        if op in (sre.LITERAL, sre.NOT_LITERAL):
            if not _char_safe(av):
                return False
        elif op is sre.IN:
            for item_op, item_av in av:
                if item_op is sre.LITERAL and not _char_safe(item_av):
                    return False
                if item_op is sre.RANGE:
                    low, high = item_av
                    if high - low > 512 or not all(map(_char_safe, range(low, high + 1))):
                        return False
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, pattern = av
            if add_flags or del_flags or not _items_safe(pattern.data):
                return False
        elif op is sre.BRANCH:
            if not all(_items_safe(branch.data) for branch in av[1]):
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if not _items_safe(av[2].data):
                return False
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if not _items_safe(av[1].data):
                return False
        elif op is sre.ATOMIC_GROUP:
            if not _items_safe(av.data):
                return False
        elif op not in (sre.ANY, sre.AT, sre.CATEGORY):
            return False  # backreferences, conditionals: let the regex do it
    return True


def _needed_literals(source: str) -> frozenset[str] | None:
    """Strings one of which every match of `source` contains, or None if there are none."""
    try:
        return _needs(sre_parse.parse(source).data)
    except re.error:
        return None


def _needs(items) -> frozenset[str] | None:
    """The most selective requirement of a sequence: a run of literals, or what a group,
    an alternation or a repeat (of at least one) inside it requires."""
    best: frozenset[str] | None = None

    def consider(need: frozenset[str] | None) -> None:
        nonlocal best
        if need and (best is None or min(map(len, need)) > min(map(len, best))):
            best = need

    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        consider(frozenset(["".join(run)]) if run else None)
        run = []
        if op is sre.SUBPATTERN:
            consider(_needs(av[3].data))
        elif op is sre.BRANCH:
            branches = [_needs(branch.data) for branch in av[1]]
            if all(branches):
                consider(frozenset().union(*branches))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            consider(_needs(av[2].data))
        elif op is sre.ATOMIC_GROUP:
            consider(_needs(av.data))
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
