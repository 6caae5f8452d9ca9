"""Fast phrase matching finds exactly what the plain case-insensitive regexes find."""

import itertools
import random
import re
import string
import time

import pytest

from triage import matching, vocabulary
from triage.phrases import (
    CASE_TRAPS,
    LITERALS,
    PIECE,
    LiteralIndex,
    Phrases,
    Text,
    _boundary_after_first,
    pieces_of,
    tokens_of,
)

WORDS = [
    "informational interview", "Informational Interviews", "coffee chat", "are you hiring",
    "any openings", "job opportunities", "referral", "REFER ME", "hiring manager",
    "15-minute", "30 minutes of your time", "applied", "internship", "salary", "ſalary",
    "not actively looking", "keep in touch", "relocating", "next year", "won the",
    "best paper award", "gold medal", "first place", "1,200 GitHub stars", "3.5k stars",
    "maintainer of", "IEEE Fellow", "keynote talk", "internal", "employee of the month",
    "Rust", "rust", "RUST", "embedded C", "embedded-C", "C++", "c#", "C", "Go", "go-to",
    "PSS/E", "Node.js", "orbit determination", "Orbit–Determination", "SQL", "sql.",
    "KUBERNETES", "Kubernetes", "İstanbul", "ıdea", "Señor Ñandú", "naïve", "résumé",
    "https://jobs.example/interview-rust", "www.example.com/award", "Zoé", "Jürgen",
    "ΣΊΣΥΦΟΣ", "straße", "don’t plan to apply yet", "what’s open", "the", "and", "I",
    "a", "of", "my", "work", "on", "team", "\u2019", "—",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "-", "\n", "\n\n", ". ", ", ", "", "+", "#", "(", ")", "!"]
TERMS = [
    "Rust", "embedded C", "C++", "C#", "C", "Go", "PSS/E", "Node.js", "SQL",
    "orbit determination", "Kubernetes", "Señor Ñandú", "İstanbul", "data-driven", ".NET",
]  # fmt: skip


def texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 40)))
        for _ in range(count)
    ]


def old_phrase_regex(phrase: str) -> str:
    """matching._phrase_regex as it was before the look-behind moved after the first character."""
    words = [re.escape(w) for w in re.split(r"[\s\-\u2013]+", phrase.strip()) if w]
    return r"(?<![\w+#])" + r"[\s\-\u2013]+".join(words) + r"(?![\w+#])"


# Syntax the fast path must recognise as unsafe (upper case, backreferences, inline flags)
# or read right (classes, ranges, repeats, look-arounds, escapes).
TRICKY = [
    r"(\w+) \1", r"(?-i:Rust)", r"(?i:go)-to", r"[A-Z]{2,}", r"[!-~]\+\+", r"[^\s\w]#",
    r"S(?:ign)?", r"é|É", r"na[ïi]ve", r"(?P<w>of) (?P=w)", r"(?<=the )work", r"\x41pplied",
    r"\u00e9|r\u00e9sum\u00e9", r"x{,3}y|[]a]nd", r"(?#note)team", r"(?:my|the)? \d+k",
    r"(?>ke)ep in", r"interns?hip|inte{1,2}rn", r"\bc\+\+|c#\b", r"\.net\b", r"applied",
    r"(?:keep|stay) in touch|n[e]xt y(?:ear)+", r"[a-z]+ of (?:the )?month",
]  # fmt: skip

PATTERNS = {
    "job ask": vocabulary.JOB_ASK,
    "not looking now": vocabulary.NOT_LOOKING_NOW,
    "distinction": vocabulary.DISTINCTION,
    "internal award": vocabulary.INTERNAL_AWARD,
    "url": matching.URL,
    "terms": matching.any_phrase(TERMS),
    **{f"regex {regex}": Phrases([regex], before=r"\b") for regex in TRICKY},
    **{f"term {term}": matching.any_phrase([term]) for term in TERMS},
}


@pytest.mark.parametrize("name", PATTERNS)
def test_it_finds_exactly_what_the_regex_finds(name):
    pattern = PATTERNS[name]
    for text in texts(600):
        expected = [m.span() for m in pattern.regex.finditer(text)]
        assert list(pattern.spans(Text.of(text))) == expected, text


@pytest.mark.parametrize("term", TERMS)
def test_profile_phrases_match_as_they_did_before(term):
    before = re.compile(old_phrase_regex(term), re.IGNORECASE)
    now = matching.any_phrase([term])
    for text in texts(400, seed=11):
        found = [text[a:b] for a, b in now.spans(Text.of(text))]
        assert found == [m.group(0) for m in before.finditer(text)], text


# Alternatives the twin writes with the boundary after their first character, spreading a
# group at the front over its branches, and some it must leave as written.
SPREAD = [
    r"(?:keep|stay) in touch", r"(?:a|ab)c|abd", r"(?:(?:my|the)? next|no) year",
    r"(?:(?:x|y)z|w)v", r"(?:co-?)?creator", r"[|]a|b\|c", r"\d+ stars|the",
    r"x[\]|]y|(?:in|on) [a-z|]+", r"not (?:actively )?looking", r"- ?interview",
    r"\d+% (?:placement )?fee|first", r"(?:grab|book) \d+ minutes|\d", r"(?:|x)y",
    r"(?:(?<=thanks for )|(?<!for ))asking", r"\d+?x|a",
]  # fmt: skip


@pytest.mark.parametrize("regex", SPREAD)
def test_the_twin_finds_what_the_regex_finds_with_the_boundary_moved(regex):
    pattern = Phrases([regex, "gold medal"], before=r"\b", after=r"\b")
    for text in [
        *texts(600, seed=5),
        "stay in touch",
        "abc abd",
        "-- interview",
        "a|b b|c",
        "a 12% fee, ٣٤% placement fee",
        "book ٥ minutes 7x 8",
        "thanks for asking for asking xy y",
    ]:
        expected = [m.span() for m in pattern.regex.finditer(text)]
        assert list(pattern.spans(Text.of(text))) == expected, text


def test_the_twin_can_be_skipped_through():
    """Each alternative begins with a literal character, so the engine jumps between them."""
    moved = _boundary_after_first(r"\b", ("(?:are|is) you hiring", "any roles?"), r"\b")
    assert moved == r"(?:a(?<=\b.)re you hiring|i(?<=\b.)s you hiring|a(?<=\b.)ny roles?)\b"
    digits = _boundary_after_first(r"\b", ("any", r"\d+ minutes"), r"\b")
    assert digits == r"[a\d](?<=\b.)(?:(?<=a)ny|(?<=\d)\d* minutes)\b"
    behind = _boundary_after_first(r"\b", (r"(?:(?<=thanks for )|(?<!for ))asking",), r"\b")
    assert behind == r"(?:a(?<=\b.)(?<=thanks for a)sking|a(?<=\b.)(?<!for a)sking)\b"
    assert _boundary_after_first(r"\b", ("any", r"\d{2} minutes"), r"\b") is None
    assert _boundary_after_first(r"\b", ("(?:co-?)?creator",), r"\b") is None
    assert _boundary_after_first("", ("any",), r"\b") is None


def test_the_twin_puts_the_branches_of_one_first_character_together():
    """Behind one check of their first character and the boundary; the same matches."""
    alternatives = ("(?:are|is) you hiring", "any roles?", "ask", r"\d+ minutes", "2fa")
    grouped = _boundary_after_first(r"\b", alternatives[:2], r"\b", by_head=True)
    assert grouped == r"(?:a(?<=\b.)(?:re you hiring|ny roles?)|i(?<=\b.)s you hiring)\b"
    digits = _boundary_after_first(r"\b", alternatives[1:4], r"\b", by_head=True)
    assert digits == r"[a\d](?<=\b.)(?:(?<=a)(?:ny roles?|sk)|(?<=\d)\d* minutes)\b"
    # A digit and \d may begin a match at the same place: then left as they are, in order.
    both = _boundary_after_first(r"\b", alternatives[2:], r"\b", by_head=True)
    assert both == _boundary_after_first(r"\b", alternatives[2:], r"\b")
    text = "any roles? Are you hiring, is you hiring: ask 2fa, 25 minutes, task 2 minutes"
    for chosen in (alternatives[:2], alternatives[1:4], alternatives):
        apart, together = (
            re.compile(_boundary_after_first(r"\b", chosen, r"\b", by_head=by_head))
            for by_head in (False, True)
        )
        assert [m.span() for m in together.finditer(text.lower())] == [
            m.span() for m in apart.finditer(text.lower())
        ]


def test_a_phrase_in_upper_case_matches_lower_case_text_and_back():
    assert list(matching.any_phrase(["RUST"]).spans(Text.of("i write rust daily"))) == [(8, 12)]
    assert list(matching.any_phrase(["rust"]).spans(Text.of("I write RUST daily"))) == [(8, 12)]


def test_it_never_runs_an_alternative_whose_words_are_absent():
    """The first alternative backtracks for seconds on a run of x's (the plain regex takes
    that long here); it needs "yz", which the text lacks, so it costs nothing."""
    pattern = Phrases([r"(?:x+x+)+yz", "gamma"], before=r"\b", after=r"\b")
    text = "Gamma " + "x" * 26

    started = time.perf_counter()
    found = list(pattern.spans(Text.of(text)))

    assert found == [(0, 5)]
    assert time.perf_counter() - started < 1.0


def test_tokens_are_the_runs_of_word_characters_plus_and_hash():
    samples = [*texts(300), string.printable * 3, "C++/c#, node.js; a_b\tx\x00y\x7fz", ""]
    for raw in samples:
        text = Text.of(raw)
        assert text.tokens == frozenset(re.findall(r"[\w+#]+", text.lower or ""))
    assert Text.of("Go-to C++ (c#), Zoé's").tokens == {"go", "to", "c++", "c#", "zoé", "s"}


def test_text_it_cannot_lower_case_safely_goes_to_the_regex():
    assert Text.of("plain ascii").lower == "plain ascii"
    assert Text.of("Zoé’s résumé").lower == "zoé’s résumé"
    assert Text.of("ſalary").lower is None  # long s matches "s" only case-insensitively
    assert Text.of("İstanbul").lower is None  # lower() makes it longer
    assert list(vocabulary.JOB_ASK.spans(Text.of("What is the ſalary?"))) == [(12, 18)]


def test_the_case_traps_are_every_character_lower_casing_gets_wrong():
    """For any other character, a case-insensitive ASCII letter matches it exactly when its
    lower case is that letter, and lower-casing keeps its length and its class (\\w, \\d, \\s)."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    classes = [re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s")]
    wrong = set()
    for code in range(0x110000):
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            wrong.add(char)
            continue
        matches_letter = letter.fullmatch(char) is not None
        if matches_letter != (lower in string.ascii_lowercase):
            wrong.add(char)
        if any(bool(c.match(char)) != bool(c.match(lower)) for c in classes):
            wrong.add(char)
    assert wrong == CASE_TRAPS


def test_a_texts_pieces_are_the_text_cut_where_no_literal_or_token_runs_across():
    """Pieces (kept across messages) give exactly the literals and tokens of the whole text."""
    samples = [*texts(400, seed=3), "Hi.  Then? Yes! no\n\n\nend. ", "a.b. c?!\n. x", ""]
    for raw in samples:
        text = Text.of(raw)
        if text.lower is None:
            continue
        pieces = PIECE.findall(text.lower)
        assert "".join(pieces) == text.lower
        for before, after in itertools.pairwise(pieces):
            if after:  # a cut before a line break, or between a stop and a space
                assert after[0] == "\n" or (before[-1] in ".!?" and after[0] == " ")
        assert text.literals() == LITERALS.found(text.lower), raw
        assert text.tokens == tokens_of(text.lower), raw
        assert matching.Vocabulary.of(text).stems == {matching.stem(t) for t in text.tokens}
    assert PIECE.findall("Thanks. See you!\nJo") == ["Thanks.", " See you!", "\nJo", ""]


def test_pieces_of_a_text_are_the_pieces_the_regex_finds():
    """pieces_of cuts where PIECE does (empty pieces, which hold nothing, aside)."""
    samples = [*texts(400, seed=5), "\nHi.  Then? Yes! no\n\n\nend. ", "a. . b..  c?! d", ""]
    for raw in [*samples, "with a NUL\x00. in it\n"]:
        lower = raw.lower()
        assert [p for p in pieces_of(lower) if p] == [p for p in PIECE.findall(lower) if p], raw


def test_no_piece_is_cut_across_a_literal():
    """A literal with a stop and a space in it would run across pieces: texts are then not cut."""
    index = LiteralIndex()
    index.add(["next year", "no."])
    assert index.piecewise
    index.add(["e.g. the"])
    assert not index.piecewise
    assert LITERALS.piecewise  # the rules' literals have none


def test_a_profile_phrase_is_searched_for_only_when_all_its_words_are_in_the_text():
    phrases = matching.any_phrase(["time series forecasting", "PSS/E", "Python"])
    has_time = Text.of("Thanks for your time! I write Python and PSS.")
    assert phrases._reduced_for(has_time).pattern.count("|") == 0  # "python" alone
    assert [has_time.raw[a:b] for a, b in phrases.spans(has_time)] == ["Python"]
    everything = Text.of("Time-series forecasting in PSS/E, with python")
    assert [everything.raw[a:b] for a, b in phrases.spans(everything)] == [
        "Time-series forecasting",
        "PSS/E",
        "python",
    ]
