"""Eighth round, from the kinds of miss the insurer's new tuning mail showed: a paper that
"many people cite" (citing is the field's use, whoever the citers are called), a design
"reused" or "replicated" by others, and two things read as a distinction that were not: an
award given to a team ("Team of the Year"), and a count that was none (a year, "leading" as
the act, a "comparative" study). Written in a setting of its own (an invented bridge
engineering firm), before the rules changed. Pure: no database."""

import pytest

from tests import rule_cases
from triage.rules import Bucket, Opening, Profile

TARNBRIDGE = Profile(
    company="Tarnbridge Structures",
    careers_url="https://careers.tarnbridge.test",
    recruiter_name="Oona Recruiter",
    recruiter_email="oona@tarnbridge.example",
    employee_domains=("tarnbridge.example",),
    openings=(Opening("Bridge Inspector", "https://careers.tarnbridge.test/5", ("load rating",)),),
    hard_to_fill_skills=(
        "scour monitoring for river bridges",
        "fatigue assessment of cable-stayed bridges",
        "timber-concrete composite deck design",
    ),
)
STRANGER = "Ines Roca <ines@elsewhere.example>"


def tarnbridge_verdict(body: str, *, subject="Hello"):
    return rule_cases.classify(TARNBRIDGE, body, sender=STRANGER, subject=subject)


# --- Cited by people: citing is the field's use ---------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Maybe you know my paper of 2016 on scour monitoring for river bridges with tilt "
        "sensors. It is the one with the field trials on the Severn; many people cite it.",
        "I wrote the 2018 paper on fatigue assessment of cable-stayed bridges. A lot of people "
        "still cite it in their design reviews.",
        "Lots of folks cite the paper on timber-concrete composite deck design I published in "
        "2019.",
        "Hundreds of people have cited my paper on scour monitoring for river bridges.",
    ],
)
def test_a_paper_people_cite_is_a_creation_the_field_uses(body):
    result = tarnbridge_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # People who read, like or use it: people at large, not the field's citing.
        "Many people liked my paper on scour monitoring for river bridges.",
        "I wrote a paper on scour monitoring for river bridges that many people read.",
        # Their own citing of others' work.
        "In my thesis on scour monitoring for river bridges I cite many people's papers.",
        # Citing, but not of anything of theirs.
        "Many people cite the Hansen paper on scour monitoring for river bridges.",
    ],
)
def test_near_misses_of_a_paper_people_cite_are_not_exceptional(body):
    assert tarnbridge_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- Reused or replicated by others --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I designed the first timber-concrete composite deck on a motorway bridge in 2019. The "
        "connector detail has since been reused on at least eight other bridges by other "
        "owners.",
        "I devised the sensor layout for scour monitoring for river bridges; a dozen other "
        "operators have since replicated it.",
        "I wrote the fatigue assessment method for cable-stayed bridges that most consultancies "
        "have re-used since.",
    ],
)
def test_a_design_others_reused_is_a_creation_the_field_uses(body):
    result = tarnbridge_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Their own side's reuse is not the field's.
        "I designed a connector detail for timber-concrete composite deck design and we reused "
        "it on six of our bridges.",
        "I reused the standard scour monitoring layout for river bridges on twelve sites.",
    ],
)
def test_near_misses_of_a_reused_design_are_not_exceptional(body):
    assert tarnbridge_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- An award given to a team is not a personal distinction --------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Our team won Bridge Inspection Team of the Year at the national structures awards for "
        "our scour monitoring for river bridges; I was one of five engineers on it. I'd like to "
        "apply for the inspector role.",
        "My department received the Institution's team award for its work on timber-concrete "
        "composite deck design. Could I apply for a job with you?",
        "We were named Best Team at the 2024 bridge awards for fatigue assessment of "
        "cable-stayed bridges. I am applying for the inspector role.",
    ],
)
def test_an_award_to_a_team_is_not_a_distinguished_record(body):
    assert tarnbridge_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # A personal prize, and one shared by a paper's authors, stay distinctions.
        "I won the Institution's gold medal for my work on scour monitoring for river bridges.",
        "My team won the best paper award for our study of fatigue assessment of cable-stayed "
        "bridges.",
    ],
)
def test_near_misses_of_a_team_award_stay_distinctions(body):
    result = tarnbridge_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


# --- A count that is none -------------------------------------------------------------------


def test_leading_work_on_a_first_comparative_study_until_a_year_is_not_a_creation():
    body = (
        "I'm on a fixed-term contract leading the scour monitoring work for a county council's "
        "first comparative survey of river bridges, and I want to see it through to the end in "
        "March 2027. After that I'd be very interested; may I stay in touch?"
    )
    result = tarnbridge_verdict(body)

    assert result.bucket == Bucket.NETWORK


@pytest.mark.parametrize(
    "body",
    [
        # A year is a time, not a count of the field.
        "I wrote the scour monitoring plan for river bridges that the county used until 2021.",
        "I built the scour monitoring for river bridges tool that the county used in 2019.",
        # "Leading" the act, not "the leading firms": one county is not the field.
        "I am leading the scour monitoring for river bridges work that the county relies on.",
        "I have been leading the design review of timber-concrete composite deck design that "
        "the council uses.",
        # A comparative study compares; nobody uses it.
        "I designed a comparative study of timber-concrete composite deck design in 12 countries.",
    ],
)
def test_a_year_leading_or_comparative_is_no_count_or_use(body):
    assert tarnbridge_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        # A number the shape of a year, counting things, and the field's leading firms.
        "My scour monitoring layout for river bridges is now used on 2000 bridges.",
        "I wrote the fatigue assessment method for cable-stayed bridges that the leading "
        "consultancies use.",
    ],
)
def test_near_misses_of_a_count_that_is_none_stay_counts(body):
    result = tarnbridge_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


# --- The reason quotes what shows the record -------------------------------------------------


def test_a_creation_whose_use_a_later_sentence_tells_is_quoted_with_that_sentence():
    body = (
        "I designed the first timber-concrete composite deck on a motorway bridge in 2019. "
        "The connector detail has since been reused on at least eight other bridges by other "
        "owners. I'd like to apply."
    )
    record = tarnbridge_verdict(body).reasons[0]

    assert record.text.startswith("Distinguished record, a creation the field uses")
    assert "I designed the first timber-concrete composite deck" in record.text
    assert "reused on at least eight other bridges" in record.text
    assert record.evidence == (
        "I designed the first timber-concrete composite deck on a motorway bridge in 2019",
        "The connector detail has since been reused on at least eight other bridges by other "
        "owners",
    )


def test_a_creation_whose_use_its_own_sentence_tells_is_quoted_once():
    body = "My scour monitoring layout for river bridges is now used on 2000 bridges. Thanks."
    record = tarnbridge_verdict(body).reasons[0]

    assert record.evidence == (
        "My scour monitoring layout for river bridges is now used on 2000 bridges",
    )
    assert record.text.count("used on 2000 bridges") == 1


# --- Inside commercial products: the field's vendors ship it --------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I devised the scour index for river bridges; it is now implemented in two commercial "
        "monitoring packages.",
        "I developed a fatigue assessment method for cable-stayed bridges. Since 2021 it has "
        "been built into a commercial design suite that consultancies license.",
        "I wrote the paper on timber-concrete composite deck design whose method is now inside "
        "two commercial design programs.",
    ],
)
def test_a_creation_inside_commercial_products_is_in_use(body):
    result = tarnbridge_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Their own commercial work, or a tool they worked in, or their employer's product.
        "I built commercial software for timber-concrete composite deck design for ten years.",
        "I designed the fatigue assessment of cable-stayed bridges in a commercial tool.",
        "I developed a scour index for river bridges and we built it into our commercial product.",
        "I have experience in commercial packages for scour monitoring for river bridges and "
        "wrote the reports.",
    ],
)
def test_near_misses_of_a_creation_inside_commercial_products_are_not_exceptional(body):
    assert tarnbridge_verdict(body).bucket != Bucket.EXCEPTIONAL


def test_wanting_to_join_the_best_team_does_not_discount_a_prize():
    body = (
        "I won the Institution's gold medal for scour monitoring for river bridges and would "
        "love to join the best team in the field."
    )
    result = tarnbridge_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
