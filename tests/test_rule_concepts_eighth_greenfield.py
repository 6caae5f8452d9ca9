"""Eighth round, from the food cooperative's new tuning mail: the note a message forwards is
read (a professor's introduction, forwarded by the candidate); putting a collection
together is making it ("assembled the panel", "compiled the reference set"); what the field
calibrates, benchmarks or validates its own work against, the work named in between
("calibrate their models against it"); and an award a team won is not the writer's own.
Written in a setting of its own (a bell foundry), before the rules changed. Pure: no
database."""

import pytest

from tests import rule_cases
from triage import mail
from triage.rules import Bucket, Opening, Profile

CAMPANA = Profile(
    company="Campana Bell Foundry",
    careers_url="https://careers.campana.test",
    recruiter_name="Rosa Recruiter",
    recruiter_email="rosa@campana.example",
    employee_domains=("campana.example",),
    openings=(
        Opening(
            "Foundry Metallurgist",
            "https://careers.campana.test/7",
            ("bronze casting", "spark spectrometry", "loam mould making"),
        ),
    ),
    hard_to_fill_skills=(
        "partial tuning of cast bells",
        "clapper fatigue analysis",
        "carillon keyboard restoration",
    ),
)
STRANGER = "Pim <pim@elsewhere.example>"


def campana_verdict(body: str, *, sender=STRANGER, subject="Hello", **facts):
    return rule_cases.classify(CAMPANA, body, sender=sender, subject=subject, **facts)


# --- The note a message forwards is read -----------------------------------------------------

INTRODUCTION = (
    "Dear Ms Recruiter,\n\nI'd like to introduce Dr Ada Voss, a postdoc in my group until "
    "June.\n\nAda compiled the clapper fatigue data set that nearly every bell foundry in "
    "Europe now checks its new clapper designs against. I recommend her warmly.\n\n"
    "Best wishes,\nProf. Tomas Berg"
)


@pytest.mark.parametrize(
    "marker",
    [
        "---------- Forwarded message ---------",  # Gmail
        "-------- Forwarded Message --------",  # Thunderbird
        "Begin forwarded message:",  # Apple Mail
        "-------- Weitergeleitete Nachricht --------",
    ],
)
def test_the_note_a_message_forwards_is_read(marker):
    raw = (
        "Dear Ms Recruiter,\n\nProfessor Berg suggested I forward you his note below. I'd "
        "welcome a conversation about the metallurgist post.\n\nBest,\nAda Voss\n\n"
        f"{marker}\nFrom: Tomas Berg <t.berg@uni.example>\nDate: Fri, 5 Jun 2026 at 16:22\n"
        f"Subject: Introduction - Ada Voss\nTo: Ada Voss <ada@mail.example>\n\n{INTRODUCTION}"
    )

    words, note = mail.new_text(raw), mail.forwarded_note(raw)
    result = campana_verdict(words, subject="Fwd: Introduction - Ada Voss", forwarded=note)

    assert "suggested I forward you his note" in words
    assert "compiled the clapper fatigue data set" in note
    assert "From: Tomas Berg" not in note  # the forwarded header is not the note
    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "compiled the clapper fatigue data set" in result.reasons[0].text


@pytest.mark.parametrize(
    "history",
    [
        # A reply's quoted history is not a note forwarded to us.
        "On Fri, 5 Jun 2026 at 16:22, Tomas Berg <t.berg@uni.example> wrote:\n",
        "-----Original Message-----\nFrom: Tomas Berg <t.berg@uni.example>\nSubject: Re: Ada\n\n",
    ],
)
def test_a_replys_quoted_history_is_still_left_out(history):
    raw = f"Thanks, I'll apply through the site.\n\nAda\n\n{history}{INTRODUCTION}"

    assert mail.new_text(raw) == "Thanks, I'll apply through the site.\n\nAda"


# --- Putting a collection together is making it --------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I assembled the reference set of 400 tuned bells that most foundries now use for "
        "partial tuning.",
        "She compiled the partial tuning tables that nearly every bell founder in Europe "
        "relies on. I'd vouch for her - forwarding her details.",
        "Over six years I curated the clapper fatigue records that most carillon "
        "insurers now work with.",
    ],
)
def test_a_collection_they_assembled_that_the_field_uses_is_a_creation(body):
    result = campana_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Assembled for their own side: not the field's.
        "I assembled the partial tuning data our own workshop uses every week.",
        # Assembling people, not a thing the field uses.
        "I assembled a team of twelve for partial tuning of cast bells.",
        "I compiled a list of partial tuning references for my course.",
    ],
)
def test_assembling_for_their_own_side_or_a_team_is_not_one(body):
    assert campana_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- What the field calibrates, benchmarks or checks its work against ------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I built the clapper fatigue test rig. Most foundries calibrate their strain gauges "
        "against it.",
        "I designed the partial tuning benchmark; nearly every founder benchmarks new tuning "
        "software against it.",
        "I wrote the clapper fatigue model. Dozens of bell makers validate their clapper "
        "designs against it today.",
        "I created the carillon keyboard restoration reference, and most restorers check "
        "their finished actions against it.",
    ],
)
def test_what_many_calibrate_or_check_their_work_against_is_used_by_the_field(body):
    result = campana_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # The writer calibrating many things against it is their own use.
        "I built a clapper fatigue test rig and calibrated every gauge in our lab against it.",
        "I wrote a partial tuning script; we check every bell we cast against it.",
        # Against something, but nobody in the field doing it.
        "I designed a clapper fatigue model and compared it against two older ones.",
    ],
)
def test_their_own_calibration_against_it_is_not_the_fields(body):
    assert campana_verdict(body).bucket != Bucket.EXCEPTIONAL


# --- An award a team won is not the writer's own --------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Last year my team won the European Bell Founding Award for our partial tuning "
        "work, and I coordinated the measurements. I'd love an interview.",
        "Our department received the Carillon Society Prize for clapper fatigue analysis in "
        "2024; I ran two of the tests. Could we talk about the role?",
        "The project team I was part of won the national heritage medal for carillon keyboard "
        "restoration. I'd like to apply.",
        "Our lab was awarded the Bronze Prize for partial tuning of cast bells. I am applying "
        "for the metallurgist role.",
    ],
)
def test_an_award_a_team_won_is_not_a_personal_distinction(body):
    assert campana_verdict(body).bucket == Bucket.FUNNEL


@pytest.mark.parametrize(
    "body",
    [
        # Their own award, or the team they led.
        "I won the European Bell Founding Award for partial tuning of cast bells.",
        "I led the team that won the Carillon Society Prize for clapper fatigue analysis.",
        # Their team won it, and the winning work was theirs.
        "My team won the European Bell Founding Award for partial tuning of cast bells. The "
        "tuning method was mine end to end.",
        # The writer won it, in their team.
        "In the restoration team at the cathedral works I won the Vasari Heritage Award for "
        "carillon keyboard restoration.",
        # Their team's work won it, theirs too.
        "Our team's carillon keyboard restoration method won the Vasari Heritage Award.",
        # Their own work earned it for the team.
        "For years I've tuned cast bells by their partials. That work earned our team the "
        "Vasari Founding Award last year.",
    ],
)
def test_their_own_award_or_the_team_they_led_is_still_one(body):
    result = campana_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


# --- Several in the field build on it or teach with it ----------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I wrote the clapper fatigue library that several foundry software platforms build on "
        "and several universities teach with.",
        "I designed the partial tuning method; several foundries in Europe now rely on it.",
        "She devised the carillon keyboard restoration guide several conservatories teach "
        "from. Forwarding her details - I'd vouch for her.",
    ],
)
def test_what_several_in_the_field_build_on_or_teach_with_is_used_by_it(body):
    result = campana_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")


@pytest.mark.parametrize(
    "body",
    [
        # Several colleagues, or several years: not the field.
        "I wrote a clapper fatigue script that several colleagues use.",
        "I have used partial tuning software for several years and built on it.",
    ],
)
def test_several_colleagues_or_years_are_not_the_field(body):
    assert campana_verdict(body).bucket != Bucket.EXCEPTIONAL
