"""The shortcuts matching takes give the answers of the slow way they stand in for."""

import gc
import random

from tests.test_phrases import SEPARATORS, WORDS
from triage import matching
from triage.vocabulary import NAMED_HONOUR_HINT, NAMED_HONOUR_NEEDS, NEGATION

EXTRA = [
    "NOT", "Not", "never", "NEVER", "no longer", "No  longer", "don't", "DON'T", "isn’t",
    "nothing", "note", "cannot", "won", "Won", "WON", "Pulitzer-winning", "Nobel Prize",
    "prizes", "Award", "/awards/", "a Fellow", "fellowship", "http://x.example/awards/gold",
    "www.example.com/prize", "/jobs/42-data-engineer/", "(see /a/b/)", "İ", "ſ",
]  # fmt: skip


def _texts(count: int, seed: int) -> list[str]:
    chosen = random.Random(seed)
    words = WORDS + EXTRA
    return [
        "".join(
            chosen.choice(words) + chosen.choice(SEPARATORS) for _ in range(chosen.randint(1, 30))
        )
        for _ in range(count)
    ]


def test_a_negation_is_found_where_its_regex_finds_one():
    for text in _texts(3000, seed=1):
        for end in range(0, len(text) + 1, 7):
            start = max(0, end - matching.NEGATION_WINDOW)
            found = NEGATION.search(text, start, end)
            expected = NEGATION.regex.search(text, start, end)
            assert (found and found.span()) == (expected and expected.span()), (text, end)


def test_a_negation_turns_an_ask_around():
    scan = matching.Scan("", "I am NOT looking for a job. I'd love a referral.")
    asks = matching.vocabulary([r"looking for a job", "referral"])
    assert scan.find_unnegated(asks, NEGATION) == ("referral",)


def test_links_are_blanked_where_the_scan_found_them():
    for text in _texts(2000, seed=2):
        links = matching.Scan("", text).links[1]
        assert matching.blanked(text, links) == matching.without_links(text), text


def test_a_named_honour_needs_what_the_first_look_finds():
    texts = [*_texts(3000, seed=3), "He won the Kestrel", "a Pulitzer-winning series", "X\nAward"]
    found = 0
    for text in texts:
        lower = matching.Scan("", text).texts[1].lower
        if NAMED_HONOUR_HINT.search(text):
            found += 1
            assert lower is None or NAMED_HONOUR_NEEDS.search(lower), text
    assert found > 100  # the texts have named honours to find


def test_a_sentence_check_is_worked_out_once_per_sentence_text():
    asked = []

    @matching.per_sentence
    def first_word(sentence: matching.Sentence, upper: bool) -> str:
        asked.append(sentence.words)
        return sentence.words[0].upper() if upper else sentence.words[0]

    one = matching.sentences("Thank you for your time. Ada chairs the committee.")
    other = matching.sentences("Hello there. Thank you for your time.")
    assert [first_word(s, False) for s in one] == ["Thank", "Ada"]
    assert [first_word(s, False) for s in other] == ["Hello", "Thank"]
    assert first_word(other[1], True) == "THANK"
    # "Thank you for your time." was read once for each argument, in either message.
    assert asked.count(("Thank", "you", "for", "your", "time")) == 2
    assert len(asked) == 4


def test_the_scans_first_look_agrees_with_each_texts_literals_and_tokens():
    """Scan.may_match (literals as masks, one `&`) answers what Phrases.may_match answers
    from the subject's and body's literals and tokens together."""
    # type(), not isinstance(): a dead weak proxy among the objects (another test's) raises
    # ReferenceError when isinstance asks it for its class.
    patterns = [p for p in gc.get_objects() if issubclass(type(p), matching.Phrases)]
    patterns.append(matching.any_phrase(["C++", "data pipelines"]))
    assert len(patterns) > 20  # the rules' vocabularies, loaded with them
    texts = _texts(300, seed=4)
    answers = set()
    for subject, body in zip(texts, reversed(texts), strict=True):
        scan = matching.Scan(subject, body)
        first, second = scan.texts
        if first.lower is None or second.lower is None:
            continue  # no first look: everything may match
        literals, tokens = first.literals() | second.literals(), first.tokens | second.tokens
        for pattern in patterns:
            answer = scan.may_match(pattern)
            assert answer == pattern.may_match(literals, tokens), (pattern.regex, subject, body)
            answers.add(answer)
    assert answers == {True, False}


def test_spelled_out_first_look_on_the_lower_case_copy_is_the_plain_one():
    """SkillConcept.may_be_in looks for an acronym written out on the text's lower-cased
    copy, case-sensitively: the same answer as the case-insensitive look on the text."""
    concept = matching.SkillConcept.of("IEC 61850 (SAR, ET)")
    texts = [
        "We build Intelligent Electronic Controllers.",
        "intelligent-electronic  controllers",
        "Synthetic Aperture Radar at scale",
        "Electron Tomography, and more",
        "#intelligent electronic controllers",
        "intelligent electronic controllers+",
        "xintelligent electronic controllers",
        "Intelligent Electronic Co",
        "int electronic controllers",
        "Éntelligent électronic çontrollers",
        "\u212aelvin interlude electronic controllers",
        "Intelligent \u00e9lectronic controllers",
        "intelligent_x electronic controllers",
        "intelligent electronic controllers9",
        "Electron\nTomography",
    ]
    for raw in texts:
        text = matching.Text.of(raw)
        assert text.lower is not None
        plain = bool(concept._spelled_at_a_glance.search(raw))
        assert bool(concept._spelled_in_lower_case.search(text.lower)) is plain, raw
        # Without its words (an empty vocabulary) only the spelled-out look can say yes.
        bare = matching.Vocabulary(frozenset(), frozenset(), raw, text.lower)
        assert concept.may_be_in(bare) is plain, raw
    assert concept.may_be_in(matching.Vocabulary.of(matching.Text.of(texts[0])))
    assert not concept.may_be_in(matching.Vocabulary.of(matching.Text.of(texts[6])))
