"""How the rules find what they look for in a message, with the exact text as evidence.

rules.py says what counts (its vocabulary.py the phrases, concepts.py the questions, the
profile the skills and openings); this module finds them: whole words in any case, outside
links, a phrase turned around by a negation just before it, a phrase whose sentence carries
a marker, and a profile's skills and openings in the message or else in an attached résumé.
A request's `Scan` keeps what it found, because several rules ask the same questions. No
ORM, no settings and nothing from the policy: the imports run rules -> concepts ->
vocabulary, facts -> matching -> phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache, wraps
from typing import NamedTuple

import snowballstemmer

from triage.phrases import LITERALS, TOKEN, PhraseIndex, Phrases, Text, short_text, tokens_of

# --- Phrases -----------------------------------------------------------------------------


def vocabulary(patterns: Iterable[str]) -> Phrases:
    """Regex fragments of generic English, matched case-insensitively on word boundaries."""
    return Phrases(patterns, before=r"\b", after=r"\b")


def any_phrase(phrases: Iterable[str]) -> Phrases:
    """One pattern for several literal phrases (a skill, a title, a name): whole words, any
    case, spaces and hyphens alike; never matches if none has a word in it."""
    return _phrases(tuple(phrases))


@lru_cache(maxsize=1024)
def _phrases(phrases: tuple[str, ...]) -> Phrases:
    # Case does not matter in a match; lower-cased (when that keeps its meaning: ASCII), the
    # phrase also matches fast on lower-cased text (see triage.phrases).
    phrases = tuple(p.lower() if p.isascii() else p for p in phrases if re.search(r"\w", p))
    return Phrases(
        map(_phrase_regex, phrases),
        tokens=map(_first_token, phrases),
        all_tokens=map(_all_tokens, phrases),
    )


def _phrase_regex(phrase: str) -> str:
    """A literal phrase as a regex: spaces/hyphens interchangeable, word-ish boundaries.

    Boundaries are look-arounds rather than \\b so skills ending in symbols ("C++", "C#")
    match, and "C" does not match inside "C++". The look-behind comes after the first
    character (it checks the one before it), so the regex engine can jump from one place
    that character appears to the next instead of trying every position."""
    words = [w for w in re.split(r"[\s\-\u2013]+", phrase.strip()) if w]
    regex = r"[\s\-\u2013]+".join(map(re.escape, words))
    first = re.escape(words[0][0])  # re.escape works character by character
    return first + r"(?<![\w+#].)" + regex.removeprefix(first) + r"(?![\w+#])"


def _first_token(phrase: str) -> str | None:
    """The token a match of the phrase must contain whole: its first run of word characters,
    "+" and "#", when the phrase starts with one and it is ASCII (see triage.phrases.Text).
    The boundaries in _phrase_regex make that run a whole token wherever the phrase matches."""
    token = re.match(r"[\w+#]+", phrase.strip())
    return token.group(0) if token and token.group(0).isascii() else None


def _all_tokens(phrase: str) -> frozenset[str]:
    """Every token a match of the phrase contains whole: each run of word characters, "+"
    and "#" in its words ("pss", "e" of "PSS/E"), ASCII ones (as _first_token). The
    boundaries in _phrase_regex, and the spaces or hyphens between words, end each run."""
    return frozenset(t for t in re.findall(r"[\w+#]+", phrase) if t.isascii())


def negation(*, words: Iterable[str], endings: Iterable[str], between: int) -> Negation:
    """What turns a phrase right after it around: a whole word ("not"), a word ending
    ("n't" in "don't"), with up to `between` words between it and the phrase."""
    words, endings = tuple(words), tuple(endings)
    alternatives = [r"\b" + re.escape(w) for w in words] + [re.escape(e) for e in endings]
    gap = r"(?:\w+\s+)?" * between
    regex = re.compile(rf"(?:{'|'.join(alternatives)})\s+{gap}$", re.IGNORECASE)
    return Negation(regex, tuple(x.lower() for x in (*words, *endings)))


class Negation:
    """A negation's regex, searched for just before a phrase (`search(text, pos, endpos)`),
    and the words one of which it needs. Most places have none of them: a look for each in
    the lower-cased window, when it is ASCII (so its lower case is exactly what the regex's
    case-insensitive match allows), spares the regex, which tries every position. Hashed
    by identity (a cache key: see Scan.find_unnegated)."""

    def __init__(self, regex: re.Pattern[str], needs: tuple[str, ...]):
        self.regex, self.needs = regex, needs

    def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        window = text[pos:endpos]
        if window.isascii() and not any(map(window.lower().__contains__, self.needs)):
            return None
        return self.regex.search(text, pos, endpos)


class PhraseGroup:
    """Several Phrases looked for together (a flag's topics): what any of them needs, so
    that a message with none of it is passed over in one look (Scan.may_match_any)."""

    def __init__(self, patterns: Iterable[Phrases]):
        screens = [pattern.screen for pattern in patterns]
        self.anywhere = any(screen is None for screen in screens)  # some need nothing
        self.literals = frozenset(x for s in screens if s is not None and s[0] for x in s[1])
        self.tokens = frozenset(x for s in screens if s is not None and not s[0] for x in s[1])
        self.literal_mask = LITERALS.mask(self.literals)  # see Phrases.screen_mask


# Links are not the candidate's words: ".../jobs/42-data-engineer" or ".../awards/gold/..."
# must not count as a skill or an award. Nor is a link's path written without its site
# ("/jobs/415-some-title" in a report of a broken page).
URL = Phrases([r"https?://", r"www\.", r"(?<![\w/.])/[\w.%~-]+/"], after=r"\S+")

SENTENCE_ENDS = (".", "!", "?", "\n\n")
NEGATION_WINDOW = 40  # characters before a phrase where a negation may be


# A line break inside a paragraph (a wrapped line), not a blank line between paragraphs.
# The look-behind comes after the "\n" (it checks the one before it), so the regex engine
# jumps from one line break to the next instead of trying every position.
LINE_WRAP = re.compile(r"\n(?<!\n\n)(?![ \t]*\n)")
LINE_WRAP_CR = re.compile(r"(?<![\n\r])\r?\n(?![ \t\r]*\n)")


def unwrapped(text: str) -> str:
    """The text with its wrapped lines joined by spaces (same length, so positions hold):
    a phrase a mail client broke over two lines ("refer\nme") is still the phrase."""
    if "\n" not in text:
        return text
    if "\r" not in text:  # most texts: one character for one, no call per line
        return LINE_WRAP.sub(" ", text)
    return LINE_WRAP_CR.sub(lambda wrap: " " * len(wrap.group()), text)


def without_links(text: str) -> str:
    """The text with its links blanked out (same length, so positions hold): the words of
    a link are not the sender's."""
    if "/" not in text and "www." not in text:  # most texts: no link at all
        return text
    return URL.regex.sub(lambda link: " " * len(link.group()), text)


def blanked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the spans (in order, apart) blanked out: same length, so positions hold."""
    parts, at = [], 0
    for start, end in spans:
        parts += (text[at:start], " " * (end - start))
        at = end
    return "".join(parts) + text[at:] if parts else text


def display_names(display_name: str) -> set[str]:
    """Ways a display name may carry a full name: "山田 花子 (Hanako Yamada)", "Jane Roe, PhD"
    (spaces tidied, case folded)."""
    if "," not in display_name and "(" not in display_name:  # most names: one way
        tidied = " ".join(display_name.split())  # empty when the name is only spaces
        return {tidied.casefold()} if tidied else set()
    raw = [display_name, display_name.split(",")[0]]
    if "(" in display_name:  # most names have no bracketed part: spare the regexes
        raw += re.findall(r"\(([^)]*)\)", display_name)
        raw.append(re.sub(r"\([^)]*\)", "", display_name))
    return {" ".join(n.split()).casefold() for n in raw if n.strip()}


# --- A profile's skills and openings -----------------------------------------------------


# A profile's other names of its skills: (skill as written, (other name, ...)), in order.
OtherNames = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: it is a cache key
class Catalogue:
    """A profile's skills and openings, each with its phrases compiled."""

    skills: tuple[tuple[str, Phrases], ...]
    openings: tuple[tuple[object, Phrases], ...]
    index: PhraseIndex  # which of them a message may mention, at a glance


# Profiles are frozen, so equal ones share one compiled form, and an edited profile (a new
# Profile from the database) gets its own: nothing to invalidate.
@lru_cache(maxsize=32)
def catalogue(
    skills: tuple[str, ...],
    openings: tuple[tuple[object, tuple[str, ...]], ...],
    other_names: OtherNames = (),
) -> Catalogue:
    """`openings`: each opening with the phrases that mention it (its skills' other names
    added here); `other_names`: the profile's other names of its skills (see SkillConcept).
    A skill's other names are its phrases too, but for those written as acronyms ("ORC"),
    which count only in capitals (a phrase matches in any case), and those with a letter
    outside ASCII (one such phrase makes its whole pattern searched in every message): the
    rules find both through SkillConcept."""
    named = dict(other_names)

    def phrases(skill: str) -> list[str]:
        others = (n for n in named.get(skill, ()) if n.isascii() and not _as_written(n))
        return [skill, *others]

    compiled_skills = tuple((s, any_phrase(phrases(s))) for s in skills if s.strip())
    if named:
        openings = tuple(
            (o, tuple(dict.fromkeys(p for phrase in ps for p in phrases(phrase))))
            for o, ps in openings
        )
    compiled_openings = tuple((o, any_phrase(phrases)) for o, phrases in openings)
    index = PhraseIndex([p for _, p in compiled_skills] + [p for _, p in compiled_openings])
    return Catalogue(compiled_skills, compiled_openings, index)


def _links(text: Text) -> tuple[tuple[int, int], ...]:
    """Where the text's links are (most texts have none: no "http" or "www." at all)."""
    # URL.may_match, from the text's literal mask.
    needs = URL.screen_mask
    if text.lower is not None and needs is not None and not needs & text.literal_mask():
        return ()
    return tuple(URL.spans(text))


@lru_cache(maxsize=4096)
def _subject_links(subject: str) -> tuple[tuple[int, int], ...]:
    """_links of a subject: a subject recurs ("Quick question"), so its links are looked for
    once (kept by the string, whose hash is worked out once, not by its Text)."""
    return _links(short_text(subject))


class Hit(NamedTuple):
    """A skill or an opening found, and the text that shows it."""

    item: object
    evidence: tuple[str, ...]
    where: str  # "" for the message, else which attached files the evidence came from


# --- One request -------------------------------------------------------------------------


class Scan:
    """A request's subject and body (and attachments' text), prepared once for matching, and
    what was found in them: several rules ask the same questions."""

    def __init__(
        self,
        subject: str,
        body: str,
        attachment_names: tuple[str, ...] = (),
        attachment_text: str = "",
    ):
        # Subjects repeat ("Quick question"): one Text each, its literals and tokens found once.
        # Phrases are matched on the body with its line wraps made spaces ("keep in\ntouch"
        # is "keep in touch"); the evidence is cut from the body as written, at the same place.
        texts = self.texts = (short_text(subject), Text.of(unwrapped(body)))
        self.written = (subject, body)
        self.attachment_names, self.attachment_text = attachment_names, attachment_text
        self._memo: dict = {}
        self._matches: dict[Phrases, list[tuple[str, int, int]]] = {}  # see matches
        self._found: dict[Phrases, tuple[str, ...]] = {}  # see find
        # What the subject and the body hold, for a first look (Phrases.may_match): most of
        # the rules' phrases need a word or literal neither has. Not looked at when a text
        # has no lower-cased copy (then any pattern may match: see phrases.Text). Worked out
        # now: every request is asked, and the body's mask is read for its links anyway.
        self._screened = texts[0].lower is not None and texts[1].lower is not None
        self._have: tuple | None = None  # see _have_now
        if self._screened:
            # _links of the body, from its mask at hand: most bodies have no link.
            needs = URL.screen_mask
            if needs is not None and not needs & self._have_now()[1]:
                self.links = (_subject_links(subject), ())
            else:
                self.links = (_subject_links(subject), tuple(URL.spans(texts[1])))
        else:
            self.links = (_subject_links(subject), _links(texts[1]))

    def may_match(self, pattern: Phrases) -> bool:
        """False when the pattern surely matches nowhere in the subject or body."""
        if not self._screened:
            return True
        if (mask := pattern.screen_mask) is not None:  # most patterns: one `&`
            if (have := self._have)[3] != LITERALS.version:  # set when screened: see __init__
                have = self._have_now()
            return bool(mask & have[2])
        if (needs := pattern.screen) is None:
            return True
        # Phrases.may_match of a pattern that needs a token, one text at a time.
        subject, body = self.texts
        return not (needs[1].isdisjoint(body.tokens) and needs[1].isdisjoint(subject.tokens))

    def may_match_any(self, group: PhraseGroup) -> bool:
        """False when none of the group's patterns may match (one look, not one per pattern:
        most messages have none of the words a whole family of phrases needs)."""
        if group.anywhere or not self._screened:
            return True
        if (have := self._have)[3] != LITERALS.version:  # set when screened: see __init__
            have = self._have_now()
        if group.literal_mask & have[2]:
            return True
        tokens, (subject, body) = group.tokens, self.texts
        return not (tokens.isdisjoint(body.tokens) and tokens.isdisjoint(subject.tokens))

    def _have_now(self) -> tuple[int, int, int, int]:
        """(the subject's literal mask, the body's, both together, LITERALS.version), up to
        date (see Phrases.screen_mask)."""
        if (have := self._have) is None or have[3] != LITERALS.version:
            version = LITERALS.version  # first: see Text.literals
            subject, body = self.texts[0].literal_mask(), self.texts[1].literal_mask()
            have = self._have = (subject, body, subject | body, version)
        return have

    def matches(self, pattern: Phrases) -> list[tuple[str, int, int]]:
        """(text, start, end) of each match in the subject, then the body, outside links."""
        if (found := self._matches.get(pattern)) is not None:
            return found
        found = self._matches[pattern] = []
        # The text that has none of what the pattern needs (the subject, mostly; often both:
        # may_match, one text at a time) is not searched: Phrases.spans would find nothing.
        if (mask := pattern.screen_mask) is not None and self._screened:
            if (have := self._have)[3] != LITERALS.version:  # set when screened: see __init__
                have = self._have_now()
            if not mask & have[2]:  # most patterns: in neither text, one `&` says so
                return found
            # Phrases.spans of a text from the mask at hand (a pattern with a screen_mask is
            # _safe and looks for literals): its twin for the text's _relevant literals.
            relevant, twins, texts = pattern._relevant_mask, pattern._reduced_by_found, self.texts
            for i in (0, 1):
                if not mask & have[i]:
                    continue
                try:
                    twin = twins[key := have[i] & relevant]
                except KeyError:
                    twin = pattern._reduced_for_mask(key)
                if twin is not None and (spans := list(map(_SPAN, twin.finditer(texts[i].lower)))):
                    self._add_spans(found, self.written[i], self.links[i], spans)
            return found
        texts, written, links = self.texts, self.written, self.links
        if not self._screened or (needs := pattern.screen) is None:
            self._add_spans(found, written[0], links[0], pattern.spans(texts[0]))
            self._add_spans(found, written[1], links[1], pattern.spans(texts[1]))
            return found
        # A pattern that needs a token (a skill, an opening): Phrases.spans of each text that
        # has one, its twin for the text's _relevant tokens looked up here (as in spans).
        relevant, twins = pattern._relevant, pattern._reduced_by_found
        for i in (0, 1):
            if needs[1].isdisjoint(tokens := texts[i].tokens):
                continue
            try:
                twin = twins[tokens & relevant]
            except KeyError:
                twin = pattern._reduced_for(texts[i], tokens)
            if twin is not None and (spans := list(map(_SPAN, twin.finditer(texts[i].lower)))):
                self._add_spans(found, written[i], links[i], spans)
        return found

    @staticmethod
    def _add_spans(found: list, raw: str, links: tuple, spans: list[tuple[int, int]]) -> None:
        """The spans as (the text as written, start, end), outside links."""
        if not spans:
            return
        if not links:  # most texts
            found += [(raw, start, end) for start, end in spans]
            return
        found += [
            (raw, start, end) for start, end in spans if not any(a <= start < b for a, b in links)
        ]

    def _in_neither_text(self, pattern: Phrases) -> bool:
        """matches' first look, for find and find_unnegated to ask before anything else: the
        pattern's literal mask meets neither text's (most patterns, for most messages)."""
        return (
            (mask := pattern.screen_mask) is not None
            and self._screened
            and not mask & (have := self._have)[2]
            and have[3] == LITERALS.version
        )

    def find(self, pattern: Phrases) -> tuple[str, ...]:
        """Every distinct match, exactly as written, in reading order."""
        if (found := self._found.get(pattern)) is None:
            if self._in_neither_text(pattern):
                return ()
            matches = self.matches(pattern)
            found = self._found[pattern] = (
                tuple(dict.fromkeys([t[a:b] for t, a, b in matches])) if matches else ()
            )
        return found

    def find_unnegated(self, pattern: Phrases, negation: Negation) -> tuple[str, ...]:
        """Like find, leaving out matches that `negation` turns around."""
        if self._in_neither_text(pattern):
            return ()
        if (found := self._memo.get(key := (pattern, negation))) is None:
            if not (matches := self.matches(pattern)):  # most patterns: nothing to look at
                self._memo[key] = ()  # rules ask again: kept, so one look
                return ()
            kept = [
                text[start:end]
                for text, start, end in matches
                if not negation.search(text, max(0, start - NEGATION_WINDOW), start)
            ]
            found = self._memo[key] = tuple(dict.fromkeys(kept))
        return found

    def find_unless_sentence_has(self, pattern: Phrases, marker: Phrases) -> tuple[str, ...]:
        """Like find, leaving out matches whose sentence has a `marker` in it."""
        if (found := self._memo.get((pattern, marker))) is None:
            if not self.may_match(pattern):
                return ()
            found = self._memo[(pattern, marker)] = self._unless_sentence_has(pattern, marker)
        return found

    def _unless_sentence_has(self, pattern: Phrases, marker: Phrases) -> tuple[str, ...]:
        if not self.may_match(marker):  # nowhere in the message, so in none of its sentences
            return self.find(pattern)
        kept = []
        for text, m_start, m_end in self.matches(pattern):
            start = max(text.rfind(c, 0, m_start) for c in SENTENCE_ENDS) + 1
            ends = [i for c in SENTENCE_ENDS if (i := text.find(c, m_end)) != -1]
            if not marker.search(short_text(text[start : min(ends, default=len(text))])):
                kept.append(text[m_start:m_end])
        return tuple(dict.fromkeys(kept))

    def hits(self, catalogue: Catalogue, kind: str) -> tuple[Hit, ...]:
        """Each of the catalogue's `kind` ("skills" or "openings") the message mentions, or
        else the attached files do, worked out once per request. Without attachments, only
        the phrases the message may mention (see PhraseIndex) are looked at."""
        if (found := self._memo.get((catalogue, kind))) is None:
            if (mentioned := self._memo.get(catalogue)) is None:  # _mentioned, kept
                mentioned = self._mentioned(catalogue)
            everything = getattr(catalogue, kind)
            if self.attachment_text:
                hits = (Hit(x, *self._evidence(p, mentioned)) for x, p in everything)
                found = tuple(hit for hit in hits if hit.evidence)
            else:  # the message's own words only: _evidence without its detour
                # A list comprehension (run in place), not a generator: no frame per item.
                found = tuple(
                    [
                        Hit(x, evidence, "")
                        for x, p in everything
                        if p in mentioned and (evidence := self.find(p))
                    ]
                )
            self._memo[(catalogue, kind)] = found
        return found

    def _mentioned(self, catalogue: Catalogue) -> frozenset[Phrases]:
        """The catalogue's phrases the message may mention (the others surely do not match)."""
        if (found := self._memo.get(catalogue)) is None:
            found = self._memo[catalogue] = catalogue.index.candidates(self.texts)
        return found

    def _evidence(
        self, pattern: Phrases, mentioned: frozenset[Phrases]
    ) -> tuple[tuple[str, ...], str]:
        """(evidence, where): the message's own words first; else the text read out of the
        attached files (a résumé), with `where` naming them so a reason can say so."""
        if pattern in mentioned and (evidence := self.find(pattern)):
            return evidence, ""
        if self._attachment is not None:
            text, links = self._attachment
            spans = pattern.spans(text)
            found = (text.raw[a:b] for a, b in spans if not any(x <= a < y for x, y in links))
            if found := tuple(dict.fromkeys(found)):
                names = ", ".join(self.attachment_names)
                return found, f"from the attached résumé ({names})" if names else "from the résumé"
        return (), ""

    @cached_property
    def _attachment(self) -> tuple[Text, tuple[tuple[int, int], ...]] | None:
        if not self.attachment_text:
            return None
        text = Text.of(self.attachment_text)
        return text, tuple(URL.spans(text))


# --- Concepts: word forms, sentences, skills named in other words --------------------------
# The rules' concepts (a role, a creation, a span of time) are sets of word stems looked for
# in one sentence, so "chair", "chaired" and "chairing" are one word, and the word order is
# free. Stems come from the Snowball English stemmer (no model to download).

_STEMMER = snowballstemmer.stemmer("english")
# Words, split at hyphens and slashes ("co-chaired", "PK/PD"), with their case kept for
# acronyms; apostrophes stay inside ("isn't").
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# A WORD with an apostrophe inside ("o'brien"): two tokens (phrases.TOKEN).
WORD_WITH_APOSTROPHE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)+")
# A sentence or clause: up to ".", "!", "?" or ";" followed by a space, or a blank line. A
# dot inside a token ("2.0", "e.g.") does not end it, nor one after an initial ("the J. R.
# Smith Award"). A colon may end a clause too (see _clauses). A run of ordinary characters
# is taken at once ("++": the same matches as one character at a time, a few times faster).
SENTENCE = re.compile(r"(?:[^.!?;\n]++|[.!?;](?=\S)|(?<=\b[A-Z])\.|\n(?![ \t]*\n))+")
# In a signature (after a "--" line), a line that starts with a capital is a new entry
# ("Jo Roe" / "Author of ..."); one that does not continues the entry above.
SIGNATURE = re.compile(r"^--[ \t]*$", re.MULTILINE)
SIGNATURE_SENTENCE = re.compile(
    r"(?:[^.!?;\n]++|[.!?;](?=\S)|(?<=\b[A-Z])\.|\n(?![ \t]*(?:\n|[A-Z])))+"
)
# Words too common to tell one skill from another.
SKILL_STOPWORDS = frozenset(
    "a an and or of the for in on with to at by from as its their data system systems".split()  # noqa: SIM905
)


_STEMS: dict[str, str] = {}  # word as written -> stem: words repeat across messages
_STEMS_KEPT = 100_000


def stem(word: str) -> str:
    """The word's stem, lower-cased: chairs, chaired, chairing -> chair."""
    if (found := _STEMS.get(word)) is None:
        # A word ending in a digit ("q3", "2027", "example42") has no suffix to remove.
        lower = word.lower().replace("\u2019", "'")
        found = lower if lower[-1:].isdigit() else _STEMMER.stemWord(lower)
        if len(_STEMS) < _STEMS_KEPT:
            _STEMS[word] = found
    return found


@dataclass(eq=False)  # made by the hundred per message: not frozen, which is slower to make
class Sentence:
    """One sentence of a text: where it is, its words as written and their stems."""

    start: int
    end: int
    words: tuple[str, ...]
    stems: tuple[str, ...]
    stem_set: frozenset[str]  # the stems again, for the concepts' set tests
    # What was worked out from its words alone (see per_sentence), shared by every sentence
    # with the same text: sentences recur ("Thank you for your time.", a template's).
    memo: dict
    said: str = ""  # the sentence as written (with the spaces around it)

    @cached_property
    def word_set(self) -> frozenset[str]:
        if (found := self.memo.get("word_set")) is None:
            found = self.memo["word_set"] = frozenset(self.words)
        return found

    @cached_property
    def forms(self) -> tuple[str, ...]:
        """The stems as a skill is matched on (see skill_form): "colour", "color"."""
        if (found := self.memo.get("forms")) is None:
            found = tuple(map(_FORMS.get, self.stems))  # most stems were seen before: in C
            if None in found:
                found = tuple(map(skill_form, self.stems))
            self.memo["forms"] = found
        return found

    @cached_property
    def form_set(self) -> frozenset[str]:
        if (found := self.memo.get("form_set")) is None:
            found = self.memo["form_set"] = frozenset(self.forms)
        return found

    @cached_property
    def initials(self) -> str:
        """Each word's first letter, lower-cased: where an acronym may be written out."""
        return "".join(w[0] for w in self.words).lower()

    def has_sequence(self, sequence: tuple[str, ...]) -> bool:
        """Whether the stems appear one right after the other ("lead", "maintain")."""
        if not self.stem_set.issuperset(sequence):
            return False
        n = len(sequence)
        return any(self.stems[i : i + n] == sequence for i in range(len(self.stems) - n + 1))


def sentences(text: str) -> tuple[Sentence, ...]:
    """The text's sentences (and clauses ending in ";" or a colon), with their words' stems."""
    found = []
    signature = SIGNATURE.search(text) if "\n--" in text else None
    # The text before a signature in parts that end where a sentence surely does (see
    # _parts): parts recur ("I enjoy working with data."), and each is read once.
    for offset, part in _parts(text, signature.start() if signature else len(text)):
        read = _kept_part(part) if len(part) <= KEPT_SENTENCE else _part(part)
        found += [
            Sentence(offset + start, offset + end, words, stems, stem_set, memo, said)
            for start, end, words, stems, stem_set, memo, said in read
        ]
    if signature:
        matches = SIGNATURE_SENTENCE.finditer(text, signature.end())
        found += [Sentence(*read) for read in _read(text, _clauses(text, map(_SPAN, matches)))]
    return tuple(found)


def _parts(text: str, end: int) -> list[tuple[int, str]]:
    """(where it starts, the part) of text[:end], cut after each ". " that ends a sentence
    (not an initial's: "J. R. Smith"); a part that is not the last keeps that stop, so its
    sentences are found as they are in the text (SENTENCE looks a character ahead; the space
    after the stop begins the next part, as it begins the next sentence)."""
    parts, start, at = [], 0, 0
    while (stop := text.find(". ", at, end)) != -1:
        at = stop + 2
        # "(?<=\b[A-Z])\.": a capital on its own before the stop (an initial) goes on.
        initial = "A" <= text[stop - 1 : stop] <= "Z"
        if initial and not (stop > 1 and _WORD_CHAR.match(text, stop - 2)):
            continue
        parts.append((start, text[start : stop + 1]))
        start = stop + 1
    parts.append((start, text[start:end]))
    return parts


_WORD_CHAR = re.compile(r"\w")


def _part(part: str) -> tuple[tuple, ...]:
    """The sentences of a part of a text (see _parts), as (start, end, words, stems,
    stem_set, memo, said) in the part."""
    matches = SENTENCE.finditer(part)
    # Most texts have no colon, so no clause to cut at one (see _clauses).
    return _read(part, _clauses(part, map(_SPAN, matches)) if ":" in part else map(_SPAN, matches))


_kept_part = lru_cache(maxsize=8192)(_part)
_SPAN = re.Match.span


def _read(text: str, spans: Iterable[tuple[int, int]]) -> tuple[tuple, ...]:
    """Each span of the text that has words, as Sentence's fields: (start, end, words,
    stems, stem_set, memo, said), without the space around it."""
    found = []
    for start, end in spans:
        said = text[start:end]
        # Sentences recur ("Thank you for your time."): a short one is read once, with the
        # space around it (at the start of a paragraph or after another sentence).
        if len(said) <= KEPT_SENTENCE:
            before, after, words, stems, stem_set, memo = _kept_sentence(said)
        else:
            before, after, words, stems, stem_set, memo = _sentence(said)
        if words:
            found.append((start + before, end - after, words, stems, stem_set, memo, said))
    return tuple(found)


def _sentence(said: str) -> tuple[int, int, tuple[str, ...], tuple[str, ...], frozenset[str], dict]:
    """How much space there is before and after the sentence `said`, and its words (_words:
    those of a short one are kept, whatever the space around it, so the memo of a recurring
    sentence is one)."""
    lstripped = said.lstrip()
    stripped = lstripped.rstrip()
    read = _kept_words(stripped) if len(said) <= KEPT_SENTENCE else _words(said)
    return (len(said) - len(lstripped), len(lstripped) - len(stripped), *read)


KEPT_SENTENCE = 400  # characters: longer sentences (and parts) are not kept (see sentences)
COLON = re.compile(r":(?=\s)")
HEADING_WORDS = 3  # at most, before a colon that does not end a clause


def _clauses(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences' spans, each cut at a colon after a statement ("The work people know
    is the survey: my model ..."), not after a heading ("Background: for eight years I ...",
    "P.S.: ..."), which belongs with what it heads."""
    found = []
    for start, end in spans:
        if ":" in text[start:end]:
            for colon in COLON.finditer(text, start, end):
                if len(WORD.findall(text, start, colon.start())) > HEADING_WORDS:
                    found.append((start, colon.start()))
                    start = colon.end()
        found.append((start, end))
    return found


def _words(said: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], dict]:
    """A sentence's words as written, their stems, the stems as a set, and a memo for what
    is worked out from them (kept with the rest for a short sentence, which recurs)."""
    words = WORD.findall(said)
    stems = tuple(map(_STEMS.get, words))
    if None in stems:
        stems = tuple([_STEMS[w] if w in _STEMS else stem(w) for w in words])
    return tuple(words), stems, frozenset(stems), {}


_kept_words = lru_cache(maxsize=8192)(_words)
# A short sentence with the space around it as written, read once (see _read).
_kept_sentence = lru_cache(maxsize=8192)(_sentence)


def per_sentence(check: Callable) -> Callable:
    """`check(sentence, *arguments)`, answered once per sentence text and arguments (kept in
    Sentence.memo): for a check that reads only the sentence's words and stems, never where
    it is in its text nor its neighbours. Sentences recur across messages, and several rules
    ask the same question of one sentence."""

    @wraps(check)
    def answer(sentence: Sentence, *arguments):
        key = (check, *arguments) if arguments else check
        try:  # nearly always answered before (a recurring sentence): the quickest look-up
            return sentence.memo[key]
        except KeyError:
            found = sentence.memo[key] = check(sentence, *arguments)
            return found

    return answer


class Vocabulary(NamedTuple):
    """A text's words (lower-cased) and their stems: whether a concept may be in it at all,
    before its sentences are worked out (most messages have none of a concept's words)."""

    words: frozenset[str]
    stems: frozenset[str]
    text: str = ""  # the text itself (see SkillConcept.may_be_in)
    lower: str | None = None  # its lower-cased copy, when phrases.Text has one

    @classmethod
    def of(cls, text: Text) -> Vocabulary:
        if text.lower is None:  # Text.tokens needs the lower-cased copy (see phrases.Text)
            tokens = frozenset(TOKEN.findall(text.raw.lower()))
            return cls(tokens, _stems_of_tokens(tokens), text.raw)
        # The stems piece by piece, as the tokens are (see phrases.PIECE): a piece's tokens
        # are its own, so its stems are too, and most pieces were seen before.
        stems = text.by_piece(_stems_of_piece, _KEPT_STEMS)
        return cls(text.tokens, stems, text.raw, text.lower)


def _stems_of_tokens(tokens: Iterable[str]) -> frozenset[str]:
    stems = frozenset(map(_STEMS.get, tokens))  # most words were seen before: a loop in C
    if None in stems:
        stems = (stems - {None}) | {stem(t) for t in tokens if t not in _STEMS}
    return stems


def _stems_of_piece(lower: str) -> frozenset[str]:
    """The stems of a lower-cased text's tokens (Text.tokens of it)."""
    return _stems_of_tokens(tokens_of(lower))


_KEPT_STEMS: dict[str, frozenset[str]] = {}  # piece -> its stems (see Vocabulary.of)


def stems_of_piece(lower: str) -> frozenset[str]:
    """The stems of a lower-cased piece's tokens, as Vocabulary.of finds them: the kept ones
    when a message's vocabulary has read the piece (nearly always, just before)."""
    if (stems := _KEPT_STEMS.get(lower)) is None:
        stems = _stems_of_piece(lower)
    return stems


def stems_of(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in WORD.findall(phrase))


ACRONYM = re.compile(r"[A-Z][A-Z0-9]+|[A-Z]+\d+")

# One word of a skill in its other spellings and forms, as stems (see skill_form). British
# and American spellings: "encyclopaed"/"encycloped", "oesophag"/"esophag" (ae, oe between
# consonants), "colour"/"color", "skil"/"skill" (a final "ll"), "centr"/"center" ("-tre",
# "-bre"); and "-ise", "-yse" (see skill_form).
_SPELLINGS = (
    (6, re.compile(r"(?:^|(?<=[b-df-hj-np-tv-z]))[ao]e(?=[b-df-hj-np-tv-z])"), "e"),
    (5, re.compile(r"(?<=[a-z]{2}[b-df-hj-np-tv-z]|[a-z]{2}i)our$"), "or"),
    (5, re.compile(r"(?<=[a-z]{3})ll$"), "l"),
    (4, re.compile(r"(?<=[a-z]{2})([tb])r$"), r"\1er"),
)
# Forms of one root in a field's words: a practitioner ("geologist" of "geology"), and the
# Latin alternation "-scribe"/"-scription" ("prescriber" of "prescription"). Not "-ian", whose
# pairs part ways in meaning (a "civilian" does no "civil" engineering).
_DERIVATIONS = (
    (8, re.compile(r"(?<=[a-z]{5})ist$"), ""),
    (8, re.compile(r"(?<=[a-z]{2}scri)pt$"), "b"),  # the stem of "-scription"
)
# Words clipped in speech, and the word each clips ("a cert guru", "the config"): as a skill's
# word, the clipped one is the whole one. Only clippings that clip nothing else ("spec" would
# be "specific" too, whose stem it shares; "lab" is too plain a word beside a prize).
_CLIPPED = {
    stem(clipped): stem(whole)
    for clipped, whole in (
        ("cert", "certificate"),
        ("config", "configure"),
        ("repo", "repository"),
        ("eval", "evaluate"),
    )
}
# What one of the patterns above needs to change a stem: with none of it, none changes it.
_MAY_CHANGE = re.compile(r"[ao]e|our$|ll$|[tb]r$|ist$|pt$")
_FORMS: dict[str, str] = {}


def skill_form(stem: str) -> str:
    """The stem as a skill's words are matched: spelling variants and derived forms of one
    word made one ("encyclopaed" -> "encycloped"), a clipped word the word it clips
    ("cert": _CLIPPED). Short stems ("four", "poet") are left alone: among short words, such
    changes make other words. Matching stays within a skill's words: the rules' own concepts
    (matching.Words) keep the plain stems."""
    if (found := _FORMS.get(stem)) is None:
        found = _CLIPPED.get(stem, stem)
        # "optimis" of "optimise": the stem of "optimize" ("optim"), which the stemmer
        # shortens as it does not "-ise".
        if len(stem) >= 5 and stem.endswith(("is", "ys")):
            found = _STEMMER.stemWord(stem[:-1] + "ze")
        # Most stems have none of what the patterns change: one search says so.
        if found.isascii() and _MAY_CHANGE.search(found):
            for shortest, pattern, replacement in (*_SPELLINGS, *_DERIVATIONS):
                if len(found) >= shortest:
                    found = pattern.sub(replacement, found)
        if len(_FORMS) < _STEMS_KEPT:
            _FORMS[stem] = found
    return found


@lru_cache(maxsize=256)
def skill_forms(stems: frozenset[str]) -> frozenset[str]:
    """A text's stems as skill forms (a vocabulary's, asked once per message and skill)."""
    forms = frozenset(map(_FORMS.get, stems))  # most stems were seen before: a loop in C
    if None in forms:  # a new word or two (a name, a number): only theirs worked out
        forms = forms.difference((None,)).union([skill_form(s) for s in stems if s not in _FORMS])
    return forms


@dataclass(frozen=True)
class SkillConcept:
    """A skill, recognised however it is written: one of its names ("bread baking",
    "sourdough starters", or one part of "AB/CD/Leavening"), or two of its words in any
    form and order ("baked ... bread"). Names written in capitals (acronyms: "ABC") must be
    written so: "abc" may be another word.

    The profile may give a skill other names ("levain", "wild starter bread baking",
    "WSB"): each is one more name, taken whole, in any word form ("wild starter breads
    baked"), and with the acronym of its three to five words ("WSBB"); one written in
    capitals, or a word of fewer than four letters ("Lev"), is an acronym and counts only
    written so. Their words are not the skill's words: two of them are not the skill
    ("wild ... baking")."""

    skill: str
    names: tuple[tuple[str, ...], ...]  # stems, in order
    acronyms: frozenset[str]  # as written
    words: frozenset[str]  # content stems
    needed: int  # how many of `words` are enough
    keys: frozenset[str] = frozenset()  # `words` and a word of each other name: a first look
    given: frozenset[tuple[str, ...]] = frozenset()  # other names of one word, any length
    spelled: tuple[str, ...] = ()  # its acronyms' letters, lower-cased (see _spelled_out)

    @classmethod
    def of(cls, skill: str, other_names: tuple[str, ...] = ()) -> SkillConcept:
        main = re.sub(r"\([^)]*\)", " ", skill)
        parts = [main, *re.findall(r"\(([^)]*)\)", skill)]
        names, acronyms = [], set()
        for part in parts:
            # "A / B" names two ways to say it; "A and B", "A, B" two skills in one.
            listed = [n for n in re.split(r"\s*,\s*|\s+and\s+", part) if len(WORD.findall(n)) > 1]
            for name in [part, *re.split(r"\s*/\s*", part), *listed]:
                words = WORD.findall(name)
                if len(words) == 1 and ACRONYM.fullmatch(words[0]):
                    acronyms.add(words[0])
                elif words:
                    names.append(tuple(skill_form(stem(w)) for w in words))
                    acronyms |= _initials(words)
        # An acronym of three letters or more inside a longer name names the skill too
        # ("ABCD" of "ABCD mapping").
        content = {
            skill_form(stem(w)) for w in WORD.findall(skill) if w.lower() not in SKILL_STOPWORDS
        }
        content -= {skill_form(stem(a)) for a in acronyms}
        acronyms |= {w for w in WORD.findall(skill) if ACRONYM.fullmatch(w) and len(w) >= 3}
        # One short word ("C", "Go") is too common to stand for a skill on its own.
        needed = 2 if len(content) >= 2 else int(bool(content) and len(min(content)) >= 4)
        keys, given = set(content), set()
        for other in other_names:
            words = WORD.findall(other)
            if _as_written(other):
                acronyms.add(words[0])
            elif len(words) > 1 or (words and len(words[0]) > 1):  # not "C" of "C++"
                name = tuple(skill_form(stem(w)) for w in words)
                names.append(name)
                acronyms |= _initials(words)
                # One word of the name is enough for a first look: its longest, most often
                # the rarest ("estimation" of "state estimation": "state" is everywhere).
                pairs = zip(words, name, strict=True)
                kept = [form for w, form in pairs if w.lower() not in SKILL_STOPWORDS]
                keys.add(max(kept or name, key=len))
                if len(name) == 1:
                    given.add(name)
        names = list(dict.fromkeys(names))  # "A" is its own part, and its own "/" split
        # Its acronyms written out ("synthetic aperture radar" of "SAR", "electron
        # tomography" of "cryo-ET"), as written in the skill, in capitals, with no digit.
        spelled = {w.lower() for w in WORD.findall(skill) if SPELLABLE.fullmatch(w)}
        return cls(
            skill,
            tuple(names),
            frozenset(acronyms),
            frozenset(content),
            needed,
            frozenset(keys),
            frozenset(given),
            tuple(spelled),
        )

    def evidence_near(
        self, near: tuple[Sentence, ...], at: Sentence, *, by_name: bool = False
    ) -> tuple[str, ...]:
        """Evidence in one of the `near` sentences; or else enough of the skill's words across
        them, one of them in `at` (the sentence they are near): "I chair the group revising
        the ISO standard for Widget sampling. ... your widget lines." names it in two sentences."""
        if found := next(filter(None, (self.evidence(s, by_name=by_name) for s in near)), ()):
            return found
        return self.words_near(near, at, by_name=by_name)

    def words_near(
        self, near: tuple[Sentence, ...], at: Sentence, *, by_name: bool = False
    ) -> tuple[str, ...]:
        """Enough of the skill's words across the `near` sentences, one of them in `at`."""
        if not self.needed or self.words.isdisjoint(at.form_set):
            return ()
        shared = frozenset().union(*(s.form_set & self.words for s in near))
        if len(shared) < self.needed or (by_name and 2 * len(shared) <= len(self.words)):
            return ()
        found = (w for s in near for w, st in zip(s.words, s.forms, strict=True) if st in shared)
        return tuple(dict.fromkeys(found))

    def _acronym(self, word: str) -> bool:
        """An acronym as written, or its plural ("ABCs"); one with a digit in any case
        ("x509-lint" of "X509"): no English word has a digit, so it cannot be another one."""
        if word in self.acronyms or word[:-1] in self.acronyms:
            return True
        return any(c.isdigit() for c in word) and word.upper() in self.acronyms

    def may_be_in(self, vocabulary: Vocabulary) -> bool:
        """False when the text surely does not name the skill (a quick look at its words)."""
        if not self.keys.isdisjoint(skill_forms(vocabulary.stems)):
            return True
        if not self._lower.isdisjoint(vocabulary.words):
            return True
        return self.may_be_spelled_out_in(vocabulary)

    def may_be_spelled_out_in(self, vocabulary: Vocabulary) -> bool:
        """may_be_in's last look: one of its acronyms may be written out in the text."""
        if not self.spelled:
            return False
        if vocabulary.lower is not None:  # most texts: see _spelled_in_lower_case
            return bool(self._spelled_in_lower_case.search(vocabulary.lower))
        return bool(self._spelled_at_a_glance.search(vocabulary.text))

    def _spelled_runs(self) -> list[tuple[str, str]]:
        """(first letter, the rest) of the runs of words _spelled_at_a_glance looks for."""
        runs = []
        for letters in self.spelled:
            shortest = 2 if len(letters) > 2 else SPELLED_SHORTEST - 1
            words = [rf"{letter}[^\W\d_]{{{shortest},}}" for letter in letters]
            runs.append((letters[0], r"[\s-]+".join(words)[1:]))
        return runs

    @cached_property
    def _spelled_at_a_glance(self) -> re.Pattern[str]:
        """Words one after the other with its acronyms' first letters (see _spelled_out,
        which looks closer): most texts have none."""
        runs = (first + rest for first, rest in self._spelled_runs())
        return re.compile(rf"\b(?:{'|'.join(runs)})\b", re.IGNORECASE)

    @cached_property
    def _spelled_in_lower_case(self) -> re.Pattern[str]:
        """_spelled_at_a_glance for a text's lower-cased copy (phrases.Text.lower: it matches
        there case-sensitively exactly where the other does on the text), several times
        faster: each run begins with its letter, the word boundary checked behind it
        ("i(?<!\\wi)" is "\\bi"), so the engine jumps from one of those letters to the next
        instead of trying every place."""
        runs = (rf"{first}(?<!\w{first}){rest}" for first, rest in self._spelled_runs())
        return re.compile(rf"(?:{'|'.join(runs)})\b")

    @cached_property
    def _lower(self) -> frozenset[str]:
        """The acronyms and their plurals, lower-cased: how a text's words hold them."""
        return frozenset(form for a in self.acronyms for form in (a.lower(), a.lower() + "s"))

    def evidence(self, sentence: Sentence, *, by_name: bool = False) -> tuple[str, ...]:
        """The sentence's words that name the skill, or () if it does not. `by_name`: one of
        its names or acronyms, or most of its words; not just two of them ("real time")."""
        stems = sentence.form_set
        if not self.acronyms and self.keys.isdisjoint(stems):
            return self._spelled_out(sentence) if self.spelled else ()
        if self.acronyms and (hits := [w for w in sentence.words if self._acronym(w)]):
            return tuple(dict.fromkeys(hits))
        for name in self.names:
            # One word is a name only if it is distinctive ("leavening", not "level") or
            # the profile gives it as an other name.
            if (len(name) > 1 or len(name[0]) >= 6 or name in self.given) and stems.issuperset(
                name
            ):
                forms, n = sentence.forms, len(name)
                starts = (i for i in range(len(forms) - n + 1) if forms[i : i + n] == name)
                if (start := next(starts, None)) is not None:
                    return tuple(sentence.words[start : start + n])  # each as written
        shared = len(self.words & stems)
        if self.needed and shared >= self.needed and (not by_name or 2 * shared > len(self.words)):
            found = (
                w for w, s in zip(sentence.words, sentence.forms, strict=True) if s in self.words
            )
            return tuple(dict.fromkeys(found))
        return self._spelled_out(sentence) if self.spelled else ()

    def _spelled_out(self, sentence: Sentence) -> tuple[str, ...]:
        """One of its acronyms written out: words one after the other whose first letters
        spell it ("synthetic aperture radar" of "SAR"). Not with a little word between
        ("sales and revenue") or a comma ("new materials, reagents"), nor short words, any
        two of which spell a two-letter one ("expense tracker" is not "ET"; "electron
        tomography" is)."""
        initials = sentence.initials
        for letters in self.spelled:
            at = initials.find(letters)
            while at >= 0:
                run = sentence.words[at : at + len(letters)]
                if _spells(run) and re.search(r"[\s-]+".join(map(re.escape, run)), sentence.said):
                    return run
                at = initials.find(letters, at + 1)
        return ()


# An acronym a skill may be written out for: two to five capitals, no digit ("C2PA" is a
# name, not initials).
SPELLABLE = re.compile(r"[A-Z]{2,5}")


def _spells(run: tuple[str, ...]) -> bool:
    """Whether the words may be an acronym written out: whole words of letters, not little
    ones, none in capitals (an acronym itself); of two words, long ones."""
    if not all(w.isalpha() and not w.isupper() and w.lower() not in SKILL_STOPWORDS for w in run):
        return False
    if len(run) == 2:
        return min(map(len, run)) >= SPELLED_SHORTEST and max(map(len, run)) >= SPELLED_LONGEST
    return min(map(len, run)) >= 3


SPELLED_SHORTEST, SPELLED_LONGEST = 5, 8  # letters, of the two words a two-letter one spells


def _initials(words: list[str]) -> set[str]:
    """The acronyms a name of three words or more is written as ("widget paint drying"
    -> "WPD"), and its first three to five words ("printed circuit board assembly" ->
    "PCB"): the words' first letters, in capitals."""
    content = [w for w in words if w.lower() not in SKILL_STOPWORDS]
    if len(content) < 3 or not all(w.isalpha() and w.isascii() for w in content):
        return set()
    found = {"".join(w[0] for w in content[:n]).upper() for n in range(3, 6)}
    return found | ({"".join(w[0] for w in content).upper()} if len(content) <= 5 else set())


def _as_written(other_name: str) -> bool:
    """Whether a skill's other name counts only written as it is: one word in capitals
    ("ORC": "orc" is another word) or of fewer than four letters ("DoE": "doe")."""
    words = WORD.findall(other_name)
    return len(words) == 1 and (bool(ACRONYM.fullmatch(words[0])) or 1 < len(words[0]) < 4)


@lru_cache(maxsize=256)
def skill_concepts(
    skills: tuple[str, ...], other_names: OtherNames = ()
) -> tuple[SkillConcept, ...]:
    """Each skill as a concept, with its other names (`other_names`: the profile's)."""
    named = dict(other_names)
    return tuple(SkillConcept.of(s, named.get(s, ())) for s in skills if WORD.search(s))


class Words:
    """A concept's words in any form: each given word stands for all words of its stem."""

    def __init__(self, words: str):
        self.stems = frozenset(stem(w) for w in words.split())

    def in_text(self, vocabulary: Vocabulary) -> bool:
        """Whether the text has any word of the concept (a quick look before the sentences)."""
        return not self.stems.isdisjoint(vocabulary.stems)

    def in_(self, sentence: Sentence) -> tuple[str, ...]:
        """The sentence's words of this concept, as written."""
        if self.stems.isdisjoint(sentence.stem_set):
            return ()
        if (found := sentence.memo.get(self)) is None:  # see per_sentence
            found = sentence.memo[self] = tuple(
                w for w, s in zip(sentence.words, sentence.stems, strict=True) if s in self.stems
            )
        return found


TOGETHER_KEPT = 4096  # answers kept per Together (see Together.in_text)


class Together:
    """Sets of concepts, a set being in a text when each of its concepts has a word there
    ("chair" with "committee"): whether any set is, before a rule reads the sentences.

    Most texts have none of the words: one intersection with the text's stems says so. The
    others have a few, in a few combinations across messages: the answer for each
    combination is kept, so a question asked of every message is one intersection and one
    look-up, not a loop over the sets."""

    def __init__(self, *sets: tuple[Words, ...]):
        self.sets = tuple(tuple(words.stems for words in concepts) for concepts in sets)
        self.stems = frozenset().union(*(stems for s in self.sets for stems in s))
        # The answer for the stems of the sets a text has: few combinations (mostly none,
        # or a common word: "my", "work"), so each is worked out once. Bounded: cleared
        # when full (memory, not correctness).
        self._answers: dict[frozenset[str], bool] = {}

    def in_text(self, vocabulary: Vocabulary) -> bool:
        if not (present := self.stems.intersection(vocabulary.stems)):
            return False
        if (answer := self._answers.get(present)) is None:  # nearly always kept: no call
            answer = self._answer(present)
        return answer

    def _answer(self, present: frozenset[str]) -> bool:
        """Whether the stems `present` (of this Together's, in a text) complete a set."""
        if (answer := self._answers.get(present)) is None:
            if len(self._answers) >= TOGETHER_KEPT:
                self._answers.clear()
            answer = self._answers[present] = any(
                all(not stems.isdisjoint(present) for stems in concepts) for concepts in self.sets
            )
        return answer

    def in_(self, sentence: Sentence) -> bool:
        """Whether one of the sets is in the sentence."""
        # Most sentences have none of the words; the others few combinations of them, and
        # the answer for a combination is the one in_text keeps.
        if not (present := self.stems.intersection(sentence.stem_set)):
            return False
        if (answer := self._answers.get(present)) is None:  # as in in_text
            answer = self._answer(present)
        return answer


def pairs(first: Words, second: Words, sentence: Sentence) -> tuple[str, ...]:
    """Words of `first` followed right away by a word of `second` ("core" "developer")."""
    if first.stems.isdisjoint(sentence.stem_set) or second.stems.isdisjoint(sentence.stem_set):
        return ()  # most sentences
    found = []
    for i in range(len(sentence.stems) - 1):
        if sentence.stems[i] in first.stems and sentence.stems[i + 1] in second.stems:
            found.append(f"{sentence.words[i]} {sentence.words[i + 1]}")
    return tuple(found)


def window(
    found: tuple[Sentence, ...], index: int, before: int, after: int
) -> tuple[Sentence, ...]:
    """A sentence and its neighbours: what "near" means."""
    return found[max(0, index - before) : index + after + 1]
