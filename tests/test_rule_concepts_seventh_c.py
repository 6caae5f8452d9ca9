"""Issue 13, seventh round: a notable person's own note, forwarded to us by someone else;
leading a part of a method the field uses ("the technical lead for the dyeing section of
the method most mills use"); a prize for work told by a distinctive word of the skill that
the writer's subject line names too; a thing they put together that most of the field
started from. Written in a setting of its own (a textile firm), before the rules changed.
Pure: no database."""

import pytest

from tests import rule_cases
from triage.rules import Bucket, Opening, Person, Profile

LOOMHAVEN = Profile(
    company="Loomhaven Textiles",
    careers_url="https://careers.loomhaven.test",
    recruiter_name="Una Recruiter",
    recruiter_email="una@loomhaven.example",
    employee_domains=("loomhaven.example",),
    openings=(
        Opening("Dye House Chemist", "https://careers.loomhaven.test/3", ("colour matching",)),
    ),
    hard_to_fill_skills=(
        "water footprint accounting for textile dyeing",
        "mildew control in cotton warehouses",
        "enzyme expression in filamentous fungi",
    ),
    notable_people=(Person("Ilse Marchetti", "ilse@dyehouse-lab.example"),),
)
COLLEAGUE = "Bo Lund <bo@loomhaven.example>"
STRANGER = "Ines <ines@elsewhere.example>"


def loomhaven_verdict(body: str, *, sender=STRANGER, subject="Hello", quoted_authors=()):
    return rule_cases.classify(
        LOOMHAVEN, body, sender=sender, subject=subject, quoted_authors=quoted_authors
    )


# --- A notable person's note, forwarded ----------------------------------------------------

FORWARDED_NOTE = (
    "Una, see below - Ilse wrote to me after my talk in Lyon. She's open to moving. Could you "
    "pick this up?\n\nBo\n\n---------- Forwarded message ---------"
)


@pytest.mark.parametrize(
    ("sender", "subject", "body", "author"),
    [
        (COLLEAGUE, "Fwd: after Lyon", FORWARDED_NOTE, "From: Ilse Marchetti <ilse@x.example>"),
        # By address, whatever name the header gives; an agency forwarding it, in German.
        (
            "Kai <kai@agency.example>",
            "WG: Ihre Anfrage",
            "Hallo Una, anbei die Nachricht.\n\n-------- Weitergeleitete Nachricht --------",
            "Von: I. M. <ilse@dyehouse-lab.example>",
        ),
        # No prefix on the subject: the body says it forwards.
        (
            COLLEAGUE,
            "A note for you",
            "Forwarding Ilse's note below; she asked me to pass it on.",
            "From: Ilse Marchetti <ilse@dyehouse-lab.example>",
        ),
    ],
)
def test_a_notable_persons_note_forwarded_by_someone_else_is_theirs(sender, subject, body, author):
    result = loomhaven_verdict(body, sender=sender, subject=subject, quoted_authors=(author,))

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "notable_person")
    assert "Ilse Marchetti" in result.reasons[0].text


@pytest.mark.parametrize(
    ("subject", "body", "author"),
    [
        # A reply that quotes a notable person is not their note forwarded.
        (
            "Re: dye trials",
            "Thanks, that works for me. I look forward to the trial.",
            "On Tue, 3 Mar 2026, Ilse Marchetti <ilse@dyehouse-lab.example> wrote:",
        ),
        # A forward of someone not on the list.
        ("Fwd: after Lyon", FORWARDED_NOTE, "From: Ilse Marchetto <ilse@other-lab.example>"),
    ],
)
def test_a_reply_quoting_a_notable_person_or_a_stranger_forwarded_is_not_one(subject, body, author):
    result = loomhaven_verdict(body, sender=COLLEAGUE, subject=subject, quoted_authors=(author,))

    assert result.rule != "notable_person"


# --- Leading a part of a method the field uses ---------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "For five years I have been the technical lead for the dyeing chapter of the sector's "
        "water footprint method, the version most mills now use.",
        "I am the lead on the dyeing module of the water footprint calculator that nearly every "
        "textile brand uses.",
    ],
)
def test_the_lead_for_a_part_of_what_the_field_uses_is_a_creation(body):
    result = loomhaven_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Leading people, not a thing.
        "I am the technical lead for the team that most dyeing customers rely on for water "
        "footprint figures.",
        # No use by the field.
        "I am the lead for a water footprint project in our dyeing plant.",
    ],
)
def test_the_lead_for_a_team_or_a_thing_nobody_uses_is_not_one(body):
    assert loomhaven_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- A prize for work told by a distinctive word, named in the subject ----------------------

MILDEW_PRIZE = (
    "Some background: my way of finding where mildew starts in a bale store - humidity "
    "logging at every bay, then re-zoning the racks - is described in the trade press. The "
    "national textile association gave me its industry award for it in 2021."
)


@pytest.mark.parametrize("subject", ["Mildew and bale stores", "Mildew - Rotterdam"])
def test_a_prize_for_work_told_by_a_distinctive_word_the_subject_names(subject):
    result = loomhaven_verdict(MILDEW_PRIZE, subject=subject)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert any("mildew" in e.lower() for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # The subject names something else: one word of the skill is too little.
        ("Bale stores", MILDEW_PRIZE),
        # An award inside the employer is no distinction.
        ("Mildew", MILDEW_PRIZE.replace("its industry award", "its in-house award")),
    ],
)
def test_one_word_of_the_skill_beside_a_prize_needs_the_subjects_headline(subject, body):
    assert loomhaven_verdict(body, subject=subject).bucket != Bucket.EXCEPTIONAL


# --- Put together, and most of the field started from it -----------------------------------


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Enzyme expression",
            "There is a good chance your team used my vector kit. I put it together during my "
            "postdoc in Ghent; most of the enzyme start-ups I know started from it.",
        ),
        (
            "Enzyme expression in fungi",
            "I put together the filamentous fungi promoter set in 2019. Most finishing labs "
            "that make their own enzymes started from it.",
        ),
    ],
)
def test_what_they_put_together_and_most_of_the_field_started_from(subject, body):
    result = loomhaven_verdict(body, subject=subject)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # A start-up is a firm, not an act of making; starting from scratch is no use of it.
        "I built enzyme expression strains at two fungi start-ups. Most of us started from "
        "scratch.",
        # Their own side starting from it, or friends, is not the field.
        "I put together an enzyme expression kit for filamentous fungi; my friends started "
        "from it.",
        "I put the filamentous fungi expression notes together; we started from them.",
        # What someone else built is not theirs, though the field uses it.
        "If anyone on your enzyme team has built a fungi expression strain, most labs used "
        "the same vectors.",
    ],
)
def test_a_start_up_scratch_or_their_own_side_starting_from_it_is_not_the_field(body):
    assert loomhaven_verdict(body, subject="Enzyme expression").bucket != Bucket.EXCEPTIONAL


# --- A start-up is a firm, not a start ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Since 2023 I have been at a fungi start-up where I took enzyme expression from plate "
        "screens to the pilot.",
        "I work at a start-up on enzyme expression in filamentous fungi, from lab to pilot.",
    ],
)
def test_a_start_up_beside_a_commitment_is_no_later_availability(body):
    assert loomhaven_verdict(body).rule != "relevant_skills_no_job_ask"


def test_starting_after_a_commitment_is_still_one():
    body = "I can start once the enzyme expression pilot at my start-up is done in March."
    assert loomhaven_verdict(body).rule == "relevant_skills_no_job_ask"
