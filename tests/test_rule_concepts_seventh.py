"""Issue 13, seventh round: records and later availabilities told in words the rules did not
know yet, from the kinds of miss a tuning half showed: a hyphenated "best-paper prize", a
method that "became the normal practice", a design "every operator now starts from", the one
"holding the pen" on a recommended practice, and a PhD that ends with a thesis defence at a
time ahead. Written in a setting of their own (an invented subsea robotics firm), before the
rules changed. Pure: no database."""

import pytest

from tests import rule_cases
from triage.rules import Bucket, Opening, Profile

SKERRY = Profile(
    company="Skerry Subsea Works",
    careers_url="https://careers.skerry.test",
    recruiter_name="Maren Holt",
    recruiter_email="maren.holt@skerry.example",
    employee_domains=("skerry.example",),
    openings=(
        Opening("Pilot Technician", "https://careers.skerry.test/3", ("ROV piloting",)),
        Opening("Subsea Design Engineer", "https://careers.skerry.test/4", ("pressure housings",)),
    ),
    hard_to_fill_skills=(
        "autonomous underwater vehicle (AUV) navigation",
        "deep-water and high-pressure housing design (3000 m and deeper)",
        "coupled fluid-structure interaction modelling (OpenFOAM / CalculiX)",
        "biofouling and corrosion control in seawater cooling loops",
    ),
)
STRANGER = "Ines Roca <ines@elsewhere.example>"


def skerry_verdict(body: str, *, sender=STRANGER, subject="Hello"):
    return rule_cases.classify(SKERRY, body, sender=sender, subject=subject)


# --- A record in words the rules did not know --------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I'd like to introduce Aiko Mori. Her paper on AUV navigation took the best-paper "
        "prize at the Oceans symposium.",
        "My thesis on fluid-structure interaction modelling won a best-student-paper award.",
    ],
)
def test_a_hyphenated_best_paper_prize_is_a_distinction(body):
    result = skerry_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


def test_a_hyphenated_best_paper_prize_in_another_field_is_not_exceptional():
    body = "My paper on solar tracker layout took the best-paper prize at a photovoltaics meeting."
    assert skerry_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "I developed the dosing schedule that keeps biofouling out of seawater cooling loops, "
        "and after we published it in 2019 it became the normal practice at plants in four "
        "countries.",
        "The AUV navigation filter I devised is now the accepted method on most survey fleets.",
        "I wrote the corrosion control checklist for seawater cooling loops; within five years "
        "it had become the norm across the industry.",
    ],
)
def test_a_creation_that_became_the_usual_practice_is_a_record(body):
    result = skerry_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # A practice, not one their creation became.
        "I developed a dosing schedule for seawater cooling loops. Weekly checks are the "
        "normal practice here.",
        "It is normal practice to clean biofouling from seawater cooling loops each spring.",
        # Their own habit.
        "I wrote AUV navigation scripts; that is my usual method.",
    ],
)
def test_near_misses_of_the_usual_practice_are_not_exceptional(body):
    assert skerry_verdict(body).bucket != Bucket.EXCEPTIONAL


@pytest.mark.parametrize(
    "body",
    [
        "The dive-spacing rules we worked out on that pilot are, more or less, what every AUV "
        "navigation team now starts from.",
        "I devised the housing test sequence most deep-water high-pressure housing designers "
        "start from today.",
    ],
)
def test_a_creation_the_field_starts_from_is_a_record(body):
    result = skerry_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Their own start, or a count of time.
        "I worked out of the Bergen office on AUV navigation; every survey starts from there.",
        "We worked out AUV navigation routes; most days started from the harbour.",
    ],
)
def test_near_misses_of_starting_from_are_not_exceptional(body):
    assert skerry_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- Not now, in words the rules did not know ----------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # The end of a PhD told by its defence, at a time ahead.
        "I am a PhD candidate modelling coupled fluid-structure interaction with OpenFOAM. I "
        "will defend in May 2028.",
        "My thesis is on AUV navigation under ice, and I defend my dissertation next spring.",
        # Saying plainly there is no ask now.
        "I work on AUV navigation for a survey institute. I am not asking anything now; I "
        "only wanted to introduce myself.",
        "I model fluid-structure interaction with OpenFOAM. It is far too early for me to "
        "apply, but Skerry is where I would most like to work.",
    ],
)
def test_a_later_availability_in_other_words_is_network(body):
    result = skerry_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "relevant_skills_no_job_ask")


@pytest.mark.parametrize(
    "body",
    [
        # A defence in the past, or of something else than a thesis.
        "I defended my thesis on AUV navigation in May 2024.",
        "We will defend the AUV navigation budget at the board in October.",
        # An ask now beside the words.
        "I work on AUV navigation. I'm not asking for much: could you refer me for a role?",
        "Is it too early to apply? I work on AUV navigation and want to apply for a role now.",
    ],
)
def test_near_misses_of_a_later_availability_are_not_network(body):
    assert skerry_verdict(body).bucket != Bucket.NETWORK


# --- Drafting the field's recommended practice is a role --------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Thirty years designing deep-water pressure housings. I'm the one holding the pen on "
        "the industry's rewrite of the recommended practice for housings rated to 3000 m; the "
        "load cases in the current draft are mine.",
        "I hold the pen on the guideline for biofouling control in seawater cooling loops.",
        "I am the editor of the recommended practice for AUV navigation trials.",
    ],
)
def test_holding_the_pen_on_a_recommended_practice_is_a_role(body):
    result = skerry_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Following it is not writing it.
        "I follow the recommended practice for deep-water high-pressure housing design.",
        # A pen on something that is not the field's.
        "I held the pen on our team's meeting notes about AUV navigation.",
        "I hold the pen on the weekly status report for our AUV navigation project.",
        "I'm holding a pen and a notebook at every AUV navigation trial.",
    ],
)
def test_near_misses_of_holding_the_pen_are_not_exceptional(body):
    assert skerry_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- People counted by what they use it for ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "hi maren - i'm the main author of subflow, the open-source meshing kit a lot of people "
        "use to set up OpenFOAM runs for fluid-structure interaction.",
        "I wrote the AUV navigation toolbox most folks use to plan under-ice missions.",
    ],
)
def test_people_who_use_a_creation_for_the_fields_work_are_the_field(body):
    result = skerry_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # People at large, with no work they use it for.
        "I wrote an AUV navigation app that a lot of people use.",
        "I wrote an AUV navigation app that hundreds of people downloaded to try out.",
        # "used to": what people once did.
        "Most people used to plan AUV navigation by hand, so I wrote a planner for my team.",
    ],
)
def test_near_misses_of_people_using_a_creation_are_not_exceptional(body):
    assert skerry_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- A first that changed what the whole field did before -------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "In 2023 my team did the first AUV navigation survey under fast ice that the "
        "hydrographic office accepted for its charts. Before, everybody used towed sonar or "
        "left those areas blank.",
        "I was dive lead on the vent expedition. Before that dive nobody had a deep-water "
        "housing that survived the pressure and heat at 3000 m; I designed the one we used.",
    ],
)
def test_a_first_beside_what_everybody_did_before_is_a_record(body):
    result = skerry_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Before, in their own team: not the field.
        "Before, nobody in our team knew AUV navigation; I wrote the first notes on it.",
        # A personal first, and no first beside the field's past.
        "My first AUV navigation survey was in 2019. Before that, everyone on the ship was new "
        "to it too.",
        "Before I joined, everybody used paper logs. I like AUV navigation.",
    ],
)
def test_near_misses_of_a_first_are_not_exceptional(body):
    assert skerry_verdict(body).bucket != Bucket.EXCEPTIONAL
