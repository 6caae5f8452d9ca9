"""Eighth round (the geothermal developer's new tuning mail): what makes a record
exceptional in an opening's own skill, not only in a hard-to-fill one. A prize or a tool
"several firms" or "a fair number of projects" use is a good record in a skill the company
hires for every year; what the whole field works to is not: a recognised standards role
("has edited the recommended practice", "edits the national guideline"), or a thing most or
all of the field uses, its default, or part of the standard release of the field's tool
("ships with the standard distribution"). Written in a setting of its own (a glassworks),
before the rules changed. And the record told in the note an introduction forwards (the
introduced person's own words, below the forwarded-message line). Pure: no database."""

import pytest

from tests import rule_cases
from triage import mail
from triage.rules import Bucket, Opening, Profile

FERNHOLLOW = Profile(
    company="Fernhollow Glassworks",
    careers_url="https://careers.fernhollow.test",
    recruiter_name="Pia Recruiter",
    recruiter_email="pia@fernhollow.example",
    employee_domains=("fernhollow.example",),
    openings=(
        Opening(
            "Furnace Engineer",
            "https://careers.fernhollow.test/1",
            ("refractory lining design", "batch melting"),
        ),
        Opening(
            "Coatings Scientist",
            "https://careers.fernhollow.test/2",
            ("sputter deposition", "low-emissivity coatings"),
        ),
        Opening(
            "Forming Modeller",
            "https://careers.fernhollow.test/3",
            ("float bath simulation", "OpenFOAM"),
        ),
    ),
    hard_to_fill_skills=(
        "electric boosting of glass furnaces",
        "cullet contamination sorting",
    ),
)
STRANGER = "Ines <ines@elsewhere.example>"
COLLEAGUE = "Bo Lund <bo@fernhollow.example>"


def verdict(body: str, *, sender=STRANGER, subject="Hello", **facts):
    return rule_cases.classify(FERNHOLLOW, body, sender=sender, subject=subject, **facts)


# --- What the whole field works to, in an opening's skill ---------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # A core developer of the code most of the field runs (its use in the next sentence).
        "I am one of the three core developers of GlassFlow, the open-source float bath "
        "simulation code. Most float lines in Europe run it to set their tin bath "
        "temperatures. I'd like to apply for the Forming Modeller role.",
        # Their work is the default in the field's software.
        "My 2011 correlation for batch melting rates is now the default in most furnace "
        "design packages. Could we talk about the Furnace Engineer role?",
        # The field's default, told in the sentence after the work.
        "You may know my paper on batch melting kinetics. Its melting-rate curve is the "
        "default in nearly every furnace simulator on the market. I'd be glad to talk.",
        # Part of the standard release of the field's tool.
        "I wrote the sputter deposition module that ships with the standard distribution of "
        "the open coating simulator. I'm applying for the Coatings Scientist opening.",
        "I built the low-emissivity coatings library that is included in the official "
        "release of the optics toolkit. Happy to interview this week.",
        # Editing what the field designs to: a standards role, whatever the verb.
        "For six years I have edited the recommended practice on refractory lining design "
        "for container furnaces, the document most furnace builders design to. I'd like to apply.",
        "I edit the national guideline on refractory lining design that the regulator cites. "
        "Could we set up a call?",
    ],
)
def test_a_record_the_whole_field_works_to_in_an_openings_skill_is_exceptional(body):
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "Distinguished record" in result.reasons[0].text
    # The sentence quoted is the one with the record in it.
    quoted = result.reasons[0].evidence[0]
    assert any(w in quoted for w in ("developers", "My 2011", "paper", "wrote", "built", "edit"))
    assert result.reasons[1].text.startswith("In an opening's skill: ")


def test_an_employee_introducing_someone_with_such_a_record_gives_way_to_the_record():
    body = (
        "Pia, introducing Dr. Tomas Berg (cc'd). For the last six years he has edited the "
        "recommended practice on refractory lining design for glass furnaces, the document "
        "all the big furnace builders design to. He is interested in the Furnace Engineer "
        "opening."
    )
    result = verdict(body, sender=COLLEAGUE, subject="Intro: Tomas Berg")

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "edited the recommended practice" in result.reasons[0].evidence[0]


@pytest.mark.parametrize(
    "body",
    [
        # A prize in an opening's skill is a good record, not the field's standard.
        "My float bath simulation code won the regional glass conference's software prize "
        "last year. I'd like to apply for the Forming Modeller role.",
        # Used by several firms, or a fair share of projects: not most of the field.
        "I maintain a small OpenFOAM library for float bath simulation that several "
        "glassworks use. I'd like to apply for the Forming Modeller role.",
        "I wrote a fairly widely used sputter deposition toolkit (it's in a lot of lab "
        "projects). Could we talk about the Coatings Scientist role?",
        # "Entirely" says how, not how many of the field.
        "I wrote the batch melting model our plant runs, rather than relying entirely on a "
        "vendor. I'd like to apply for the Furnace Engineer role.",
        # A default of their own thing, not the field's.
        "I wrote the sputter deposition tutorial whose default settings I still use every "
        "day. I'm applying for the Coatings Scientist opening.",
        # Shipped with their own employer's product.
        "I wrote the sputter deposition module that ships with our coater's standard "
        "release. I'm applying for the Coatings Scientist opening.",
        # Editing what is no standard, or their own side's.
        "I edited the newsletter of our batch melting team for two years. I'd like to apply "
        "for the Furnace Engineer role.",
        "I edited our plant's internal guideline on refractory lining design. I'd like to "
        "apply for the Furnace Engineer role.",
        # Leading a piece of work is no standards role.
        "I led the commissioning of our second batch melting furnace last year. I'd like to "
        "apply for the Furnace Engineer role.",
    ],
)
def test_a_good_record_in_an_openings_skill_is_not_the_fields_standard(body):
    result = verdict(body)

    assert result.bucket == Bucket.FUNNEL
    assert result.rule == "funnel_default"


def test_editing_the_guideline_of_a_hard_to_fill_skill_is_a_recognised_role():
    body = (
        "Since 2019 I have edited the industry guideline on electric boosting of glass "
        "furnaces. I'd like to apply for the Furnace Engineer role."
    )
    result = verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "recognised role" in result.reasons[0].text
    assert "electric boosting of glass furnaces" in result.reasons[1].text


# --- The record told in the note an introduction forwards -----------------------------------

NOTE_RECORD = (
    "Dear Jon, yes, please pass it on. For context: I wrote, and still maintain, the float "
    "bath simulation solver that most float lines in Europe run.\n\nBest,\nAna"
)


@pytest.mark.parametrize(
    "text",
    [
        "Pia,\n\nforwarding as promised after our chat. Ana wants to move to industry.\n\nJon\n\n"
        "---------- Forwarded message ---------\nFrom: Ana Ruiz <ana@lab.example>\n"
        "Date: Tue, Nov 24, 2026 at 9:12 AM\nSubject: Re: Fernhollow\nTo: Jon <jon@uni.example>"
        "\n\n" + NOTE_RECORD,
        "Hi Pia, see Ana's note below.\n\nBegin forwarded message:\n\nFrom: Ana Ruiz "
        "<ana@lab.example>\nSubject: Fernhollow\nDate: 24 November 2026\n\n" + NOTE_RECORD,
        "Hallo Pia, anbei Anas Nachricht.\n\n-------- Weitergeleitete Nachricht --------\n"
        "Betreff: Fernhollow\nDatum: 24.11.2026\nVon: Ana Ruiz <ana@lab.example>\n\n" + NOTE_RECORD,
    ],
)
def test_the_note_a_message_forwards_is_read_for_the_record(text):
    note = mail.forwarded_note(text)
    assert note.startswith("Dear Jon, yes, please pass it on.")
    assert "From:" not in note

    result = verdict(mail.new_text(text), sender="Jon <jon@uni.example>", forwarded=note)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert result.reasons[0].text.startswith("In the note it forwards: Distinguished record")
    assert "I wrote, and still maintain" in result.reasons[0].evidence[0]


@pytest.mark.parametrize(
    ("text", "bucket"),
    [
        # A forwarded note with no record in it: the introducer's chat makes it network.
        (
            "Pia, forwarding as promised after our chat.\n\n---------- Forwarded message "
            "---------\nFrom: Ana <ana@lab.example>\n\nI'd love to work on float bath "
            "simulation in industry. Happy to talk.",
            Bucket.NETWORK,
        ),
        # What someone else made, told in the note, is not theirs.
        (
            "Pia, see below.\n\n---------- Forwarded message ---------\nFrom: Ana "
            "<ana@lab.example>\n\nMy supervisor wrote the float bath simulation solver that "
            "most float lines in Europe run; I used it in my thesis.",
            Bucket.FUNNEL,
        ),
    ],
)
def test_a_forwarded_note_without_their_own_record_is_not_exceptional(text, bucket):
    note = mail.forwarded_note(text)
    assert note and "From:" not in note
    introducer = text.split("\n\n")[0]  # the words above the forwarded note

    assert verdict(introducer, forwarded=note).bucket == bucket


def test_a_reply_quoting_history_forwards_no_note():
    text = (
        "Thanks Pia, Tuesday works.\n\nOn Mon, 23 Nov 2026 at 10:14, Pia Recruiter "
        "<pia@fernhollow.example> wrote:\n> I wrote the float bath simulation solver that most "
        "float lines run."
    )
    assert mail.forwarded_note(text) == ""
