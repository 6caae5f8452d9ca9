"""A profile's other names of its skills: the rules recognise a skill by any of them, and
quote the skill as the profile names it. An invented company, not one of the corpora.
Pure: no database."""

import dataclasses

import pytest

from triage import matching, rules
from triage.rules import Address, Bucket, Opening, Profile, RequestFacts

KILN = Opening(
    "Kiln Technician",
    "https://careers.glassworks.example/kiln",
    ("annealing schedules", "kiln maintenance"),
)
PROFILE = Profile(
    company="Lumen Glassworks",
    careers_url="https://careers.glassworks.example",
    recruiter_name="Rita Recruiter",
    recruiter_email="rita@glassworks.example",
    openings=(KILN,),
    hard_to_fill_skills=("scientific glassblowing", "optical coating design"),
    other_names=rules.as_other_names(
        {
            "scientific glassblowing": ["lampworking", "borosilicate flameworking", "SGB"],
            "annealing schedules": ["annealing curves", "lehr programming"],
            "optical coating design": ["thin-film filter design"],
        }
    ),
)
WITHOUT = dataclasses.replace(PROFILE, other_names=())


def verdict(body: str, profile: Profile = PROFILE, subject: str = "Hello") -> rules.Verdict:
    facts = RequestFacts(sender=Address("Sam", "sam@elsewhere.example"), subject=subject, body=body)
    return rules.classify(facts, profile)


@pytest.mark.parametrize(
    ("body", "evidence"),
    [
        # A role near the skill, named only by an other name.
        (
            "For six years I chaired the working group that wrote the lampworking safety standard.",
            "lampworking",
        ),
        # An other name in another word form ("flameworked" of "flameworking").
        (
            "I devised the borosilicate flameworked seal that most research labs now use.",
            "borosilicate flameworked",
        ),
        # A prize for work in it.
        (
            "My borosilicate flameworking won the national Kestrel Prize for craft in 2023.",
            "borosilicate flameworking",
        ),
        # An acronym the profile gives, written in capitals.
        ("I chair the SGB standards committee of the European glass society.", "SGB"),
        # A multi-word other name of a second skill.
        (
            "I wrote the thin-film filter design tool that most photonics labs use.",
            "thin-film filter design",
        ),
    ],
)
def test_a_distinction_in_a_skill_named_only_by_an_other_name_is_exceptional(body, evidence):
    result = verdict(body)

    assert result.bucket == Bucket.EXCEPTIONAL, result.reasons
    skill = next(r for r in result.reasons if r.text.startswith("In a hard-to-fill skill"))
    assert skill.text.endswith(("scientific glassblowing", "optical coating design"))
    assert " ".join(skill.evidence).replace("-", " ") == evidence.replace("-", " ")
    assert all(e in body for r in result.reasons for e in r.evidence)
    # Without the other names, the same message is not exceptional.
    assert verdict(body, WITHOUT).bucket != Bucket.EXCEPTIONAL


def test_an_opening_s_skill_named_only_by_an_other_name_is_background_for_network():
    body = (
        "I have written annealing curves for studio kilns for ten years. I am on a contract "
        "until next summer, so I am not looking now, but I would love to stay in touch."
    )

    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.NETWORK, "relevant_skills_no_job_ask")
    assert result.reasons[0].text == (
        f'Matches open role Kiln Technician ({KILN.url}): "annealing curves"'
    )
    assert result.reasons[0].evidence == ("annealing curves",)
    assert verdict(body, WITHOUT).bucket == Bucket.FUNNEL


@pytest.mark.parametrize(
    "body",
    [
        # An other name's words apart are not the skill: its words are not the skill's.
        "I chaired the borosilicate recycling committee; my hobby is flame painting.",
        # An acronym the profile gives in capitals, written in lower case: another word.
        "I chair the sgb standards committee of the European glass society.",
        # A role near one word of the skill ("glass"), not the skill.
        "I chaired the working group that wrote the glass recycling standard.",
        # A prize near an other name of an opening's skill only: not a hard skill (a
        # standards role there is what the whole field works to: see
        # test_rule_concepts_eighth_caldera.py).
        "My annealing curves won the best-poster prize at a regional glass fair.",
    ],
)
def test_near_misses_of_other_names_are_not_exceptional(body):
    assert verdict(body).bucket != Bucket.EXCEPTIONAL


def test_near_misses_of_an_opening_s_other_name_are_not_network():
    body = (
        "I have plotted learning curves for ten years and I once annealed a bracelet. I am "
        "on a contract until next summer, but I would love to stay in touch."
    )
    assert verdict(body).bucket == Bucket.FUNNEL


def test_other_names_make_the_concept_and_its_acronyms():
    concept = matching.SkillConcept.of(
        "scientific glassblowing", ("lampworking", "SGB", "Lwk", "borosilicate flame working")
    )

    assert ("lampwork",) in concept.names and ("lampwork",) in concept.given
    assert {"SGB", "Lwk", "BFW"} <= concept.acronyms  # the last: of three words
    assert concept.words == {"scientif", "glassblow"}  # the skill's own words only


def test_a_profile_with_other_names_gets_its_own_compiled_skills():
    # Caches keyed by the skills alone would hand one profile's concepts to the other.
    assert PROFILE.hard_skill_concepts != WITHOUT.hard_skill_concepts
    assert PROFILE.catalogue is not WITHOUT.catalogue
    assert {c.skill for c in PROFILE.skill_concepts} >= {"annealing schedules", "Kiln Technician"}


def test_an_other_name_outside_ascii_is_found_by_the_concept_not_the_phrases():
    profile = dataclasses.replace(
        PROFILE,
        other_names=rules.as_other_names(
            {"scientific glassblowing": ["verre soufflé au chalumeau"]}
        ),
    )
    body = "I chaired the working group that wrote the verre soufflé au chalumeau standard."

    result = verdict(body, profile)

    assert result.bucket == Bucket.EXCEPTIONAL
    assert result.reasons[-1].text == "In a hard-to-fill skill: scientific glassblowing"
    assert result.reasons[-1].evidence == ("verre", "soufflé", "au", "chalumeau")
    assert all(p.isascii() for _, p in profile.catalogue.skills for p in [p.regex.pattern])
