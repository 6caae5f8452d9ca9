"""The concepts added after the second probe round (tests/test_rule_concepts_unseen_b.py),
each told here in a third setting, a piano maker, the probes never named: a paraphrase that
must now count and a near miss that must not. Pure: no database."""

import pytest

from tests import rule_cases
from triage import rules
from triage.rules import Bucket, Opening, Profile

E, N, F = Bucket.EXCEPTIONAL, Bucket.NETWORK, Bucket.FUNNEL

PIANOS = Profile(
    company="Harrowgate Pianofortes",
    careers_url="https://careers.harrowgate.example",
    recruiter_name="Edith Paul",
    recruiter_email="edith.paul@harrowgate.example",
    employee_domains=("harrowgate.example",),
    openings=(
        Opening(
            "Concert Technician",
            "https://careers.harrowgate.example/jobs/5",
            ("action regulation", "voicing", "tuning stability"),
        ),
    ),
    hard_to_fill_skills=(
        "piano action regulation",
        "soundboard voicing",
        "string scale design",
    ),
    other_names=rules.as_other_names({"string scale design": ["scaling"]}),
)


def bucket(body: str) -> Bucket:
    return rule_cases.classify(PIANOS, body).bucket


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The field's use told by a preposition left at the end of its clause.
        (
            "I devised the string scale design method most piano workshops in Europe lay "
            "out their instruments with.",
            E,
        ),
        (
            "The voicing gauge nearly every concert technician tests a soundboard against was "
            "my design.",
            E,
        ),
        # ... not the writer's own side's, nor people at large.
        (
            "I devised the string scale design sheet everyone in my workshop lays out a piano "
            "with.",
            F,
        ),
        (
            "I built the string scale design website that thousands of people sign in with.",
            F,
        ),
    ],
)
def test_the_fields_use_told_by_a_preposition_at_the_clause_end(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # What the field's buyers specify, the many told by where they are.
        (
            "My soundboard voicing tolerances are what concert halls across Germany now "
            "specify when they order a grand.",
            E,
        ),
        (
            "My string scale design tables are what most restorers prescribe for rebuilt grands.",
            E,
        ),
        # ... not what the writer's side specifies, nor people at large.
        (
            "My soundboard voicing notes are what we specify for our own customers across Germany.",
            F,
        ),
        (
            "My soundboard voicing videos are what people across Europe now specify in comments.",
            F,
        ),
    ],
)
def test_what_the_fields_buyers_specify(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A first of theirs that the field itself took up.
        (
            "I built the first carbon soundboard for a concert grand, which changed soundboard "
            "voicing; the whole field has built on it since.",
            E,
        ),
        (
            "I ran the first long-term study of soundboard voicing in humid halls; the "
            "profession has relied on it ever since.",
            E,
        ),
        # ... not the field as a place, nor a first at work.
        (
            "I built the first carbon soundboard in our workshop; colleagues in the field have "
            "built on it since. Soundboard voicing is my trade.",
            F,
        ),
        (
            "I ran the first round of soundboard voicing tests in my team; the field has "
            "built on it since.",
            F,
        ),
    ],
)
def test_a_first_the_field_took_up(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Their own work in the passive of the field's use, with its many.
        (
            "My soundboard voicing software is licensed to three of the big five piano makers.",
            E,
        ),
        # ... not used by their own colleagues, nor by a few of anyone.
        ("My soundboard voicing notes were used by twelve of my colleagues.", F),
        ("My soundboard voicing software is licensed to a friend.", F),
    ],
)
def test_their_own_work_licensed_to_the_field(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A year is a time, not the field's scale.
        (
            "My contract on the hall's restoration runs until it reopens in 2028; after that "
            "I'd like to hear about soundboard voicing work.",
            N,
        ),
        # ... but a count of sites is.
        ("My soundboard voicing method is installed in 2000 workshops worldwide.", E),
    ],
)
def test_a_year_is_no_count_of_the_field(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "whose" makes the maker someone else's, also beside an ask to be referred.
        (
            "I'm an apprentice at a famous workshop whose technicians developed the piano "
            "action regulation method most concert technicians use. Could you refer me?",
            F,
        ),
        # ... not when the writer made it.
        (
            "I developed the piano action regulation method most concert technicians use, at "
            "a workshop whose owners let me publish it.",
            E,
        ),
    ],
)
def test_made_by_someone_whose(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # An award the employer gives is internal.
        (
            "Our team won the company's innovation award for soundboard voicing. I'm looking "
            "for my next role.",
            F,
        ),
        # ... a body's award is not.
        ("The Piano Technicians Guild gave me its annual award for soundboard voicing.", E),
    ],
)
def test_the_employers_own_award(body, expected):
    assert bucket(body) == expected


# The second set's concepts (the digital preservation service's probes).


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Keeping a thing running is keeping it, in an introduction too.
        (
            "Forwarding a note from Tomasz below. He keeps the soundboard voicing rig "
            "running that half of Europe's concert halls rely on.",
            E,
        ),
        # ... not keeping people going.
        (
            "I keep the team running that half of Europe's concert halls rely on for "
            "soundboard voicing.",
            F,
        ),
    ],
)
def test_keeping_a_thing_running(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The many told by where they are, using it "with them".
        (
            "My soundboard voicing templates were taken up so workshops around the world now "
            "voice their boards with them.",
            E,
        ),
        # ... not people at large, nor their own side.
        (
            "My soundboard voicing templates were shared so people around the world now play "
            "with them.",
            F,
        ),
        (
            "My soundboard voicing templates were shared so we around the world now work "
            "with them.",
            F,
        ),
    ],
)
def test_the_many_around_the_world_with_them(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A first they recovered or discovered, which the field teaches.
        (
            "In 2019 I recovered the first playable soundboard of a 1790 grand, a case that "
            "soundboard voicing courses everywhere now teach.",
            E,
        ),
        # ... not a first in time.
        (
            "In 2019 I discovered for the first time how soundboard voicing works; courses "
            "everywhere teach it.",
            F,
        ),
    ],
)
def test_a_first_recovered_or_discovered(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "most of it" is their share, not the field's many.
        (
            "Our soundboard voicing checklist is used by every department in the company, "
            "and I wrote most of it. Looking for a new job.",
            F,
        ),
        # ... while most of the field is.
        ("I wrote the soundboard voicing checklist most of the big workshops use.", E),
    ],
)
def test_most_of_it_is_their_share(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # An award their team won is not theirs.
        (
            "My team won the guild's innovation award for soundboard voicing. I'd like to "
            "apply for the Concert Technician job.",
            F,
        ),
        # ... an award they won is.
        (
            "I won the guild's innovation award for soundboard voicing. I'd like to apply for "
            "the Concert Technician job.",
            E,
        ),
    ],
)
def test_an_award_their_team_won(body, expected):
    assert bucket(body) == expected


# The third set's concepts (the avalanche forecasting consultancy's probes).


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Their own work as the reason the field now does something.
        (
            "My soundboard voicing work is the reason most concert halls now tune twice a season.",
            E,
        ),
        # ... not their own side, nor people at large.
        (
            "My soundboard voicing work is the reason our workshop now tunes twice a season.",
            F,
        ),
        (
            "My soundboard voicing blog is the reason many people now tune their own pianos.",
            F,
        ),
    ],
)
def test_their_work_is_why_the_field_does_it(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Meeting us at an event, told after it, with no ask now.
        ("Lovely to meet you at the field day in Leipzig! I'll send the photos.", N),
        # ... not a meeting still to come.
        (
            "It would be lovely to meet you at the field day in Leipzig. I do soundboard voicing.",
            F,
        ),
    ],
)
def test_pleased_to_have_met_us_at_an_event(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "keynoted" is a keynote given.
        ("I keynoted the piano technicians' congress last year on soundboard voicing.", E),
        # ... an award their team won, however the team is named, is not theirs.
        (
            "Our concert service team won the guild's award for soundboard voicing. I'd like "
            "to apply.",
            F,
        ),
    ],
)
def test_keynoted_and_a_named_teams_award(body, expected):
    assert bucket(body) == expected


# The fourth set's concepts (the live captioning company's probes).


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Their work as what a document of the field cites or recommends.
        ("The guild's voicing handbook quotes my soundboard voicing study word for word.", E),
        (
            "The Piano Museum recommends my soundboard voicing method in its conservation "
            "guidelines.",
            E,
        ),
        # ... not a document of their own side's, nor of someone they know.
        ("Our team guideline quotes my soundboard voicing study word for word.", F),
        ("My supervisor's handbook quotes my soundboard voicing study.", F),
    ],
)
def test_their_work_cited_by_a_fields_document(body, expected):
    assert bucket(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # An award their department won is not theirs.
        (
            "Our department won the university's prize for soundboard voicing research. I'd "
            "like to apply.",
            F,
        ),
        # ... one they won is.
        ("I won the university's prize for soundboard voicing research. I'd like to apply.", E),
    ],
)
def test_an_award_their_department_won(body, expected):
    assert bucket(body) == expected
