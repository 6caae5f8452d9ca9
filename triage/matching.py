"""How the rules find what they look for in a message, with the exact text as evidence.

rules.py says what counts (the phrases, the profile's skills and openings); this module finds
them: whole words in any case, outside links, a phrase turned around by a negation just
before it, a phrase whose sentence carries a marker, and a profile's skills and openings in
the message or else in an attached résumé. A request's `Scan` keeps what it found, because
several rules ask the same questions. Standard library only, and nothing from rules.py: the
imports run rules -> matching -> phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from triage.phrases import PhraseIndex, Phrases, Text

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
    return Phrases(map(_phrase_regex, phrases), tokens=map(_first_token, phrases))


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


def negation(*, words: Iterable[str], endings: Iterable[str], between: int) -> re.Pattern[str]:
    """What turns a phrase right after it around: a whole word ("not"), a word ending
    ("n't" in "don't"), with up to `between` words between it and the phrase."""
    alternatives = [r"\b" + re.escape(w) for w in words] + [re.escape(e) for e in endings]
    gap = r"(?:\w+\s+)?" * between
    return re.compile(rf"(?:{'|'.join(alternatives)})\s+{gap}$", re.IGNORECASE)


# Links are not the candidate's words: ".../jobs/42-data-engineer" or ".../awards/gold/..."
# must not count as a skill or an award.
URL = Phrases([r"https?://", r"www\."], after=r"\S+")

SENTENCE_ENDS = (".", "!", "?", "\n\n")
NEGATION_WINDOW = 40  # characters before a phrase where a negation may be


def display_names(display_name: str) -> set[str]:
    """Ways a display name may carry a full name: "山田 花子 (Hanako Yamada)", "Jane Roe, PhD"
    (spaces tidied, case folded)."""
    raw = [display_name, display_name.split(",")[0]]
    if "(" in display_name:  # most names have no bracketed part: spare the regexes
        raw += re.findall(r"\(([^)]*)\)", display_name)
        raw.append(re.sub(r"\([^)]*\)", "", display_name))
    return {" ".join(n.split()).casefold() for n in raw if n.strip()}


# --- A profile's skills and openings -----------------------------------------------------


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
    skills: tuple[str, ...], openings: tuple[tuple[object, tuple[str, ...]], ...]
) -> Catalogue:
    """`openings`: each opening with the phrases that mention it."""
    compiled_skills = tuple((s, any_phrase([s])) for s in skills if s.strip())
    compiled_openings = tuple((o, any_phrase(phrases)) for o, phrases in openings)
    index = PhraseIndex([p for _, p in compiled_skills] + [p for _, p in compiled_openings])
    return Catalogue(compiled_skills, compiled_openings, index)


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
        self.texts = (Text.of(subject), Text.of(body))
        self.links = tuple(tuple(URL.spans(text)) for text in self.texts)
        self.attachment_names, self.attachment_text = attachment_names, attachment_text
        self._memo: dict = {}

    def matches(self, pattern: Phrases) -> Iterator[tuple[str, int, int]]:
        """(text, start, end) of each match in the subject, then the body, outside links."""
        for text, links in zip(self.texts, self.links, strict=True):
            for start, end in pattern.spans(text):
                if not links or not any(a <= start < b for a, b in links):
                    yield text.raw, start, end

    def find(self, pattern: Phrases) -> tuple[str, ...]:
        """Every distinct match, exactly as written, in reading order."""
        if (found := self._memo.get(pattern)) is None:
            matches = self.matches(pattern)
            found = self._memo[pattern] = tuple(dict.fromkeys(t[a:b] for t, a, b in matches))
        return found

    def find_unnegated(self, pattern: Phrases, negation: re.Pattern[str]) -> tuple[str, ...]:
        """Like find, leaving out matches that `negation` turns around."""
        if (found := self._memo.get((pattern, negation))) is None:
            kept = (
                text[start:end]
                for text, start, end in self.matches(pattern)
                if not negation.search(text, max(0, start - NEGATION_WINDOW), start)
            )
            found = self._memo[(pattern, negation)] = tuple(dict.fromkeys(kept))
        return found

    def find_unless_sentence_has(self, pattern: Phrases, marker: Phrases) -> tuple[str, ...]:
        """Like find, leaving out matches whose sentence has a `marker` in it."""
        kept = []
        for text, m_start, m_end in self.matches(pattern):
            start = max(text.rfind(c, 0, m_start) for c in SENTENCE_ENDS) + 1
            ends = [i for c in SENTENCE_ENDS if (i := text.find(c, m_end)) != -1]
            if not marker.search(Text.of(text[start : min(ends, default=len(text))])):
                kept.append(text[m_start:m_end])
        return tuple(dict.fromkeys(kept))

    def hits(self, catalogue: Catalogue, kind: str) -> tuple[Hit, ...]:
        """Each of the catalogue's `kind` ("skills" or "openings") the message mentions, or
        else the attached files do, worked out once per request. Without attachments, only
        the phrases the message may mention (see PhraseIndex) are looked at."""
        if (found := self._memo.get((catalogue, kind))) is None:
            mentioned = self._mentioned(catalogue)
            everything = getattr(catalogue, kind)
            looked_at = (
                everything if self.attachment_text else [x for x in everything if x[1] in mentioned]
            )
            hits = (Hit(x, *self._evidence(p, mentioned)) for x, p in looked_at)
            found = self._memo[(catalogue, kind)] = tuple(hit for hit in hits if hit.evidence)
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
