"""Issue 13, eighth round: a distinctive word of a skill that the stemmer cuts short (the
Greek and Latin singulars in "-is": "crisis" is no plural of a "crisi"), beside a prize or a
creation that the subject line names too; and a word clipped in speech ("cert", "config")
as the word it clips, so a subject line "cert guru" names what "certification" does.
Written in a setting of its own (a crisis helpline operator), before the rules changed.
Pure: no database."""

import pytest

from tests import rule_cases
from triage.rules import Bucket, Opening, Profile

LANTERNLINE = Profile(
    company="Lanternline Helplines",
    careers_url="https://careers.lanternline.test",
    recruiter_name="Rhea Recruiter",
    recruiter_email="rhea@lanternline.example",
    employee_domains=("lanternline.example",),
    openings=(Opening("Call Handler", "https://careers.lanternline.test/2", ("listening",)),),
    hard_to_fill_skills=(
        "crisis escalation models",
        "telephony platform certification",
        "switchboard configuration",
    ),
)
COLLEAGUE = "Noor Aziz <noor@lanternline.example>"
STRANGER = "Ines <ines@elsewhere.example>"


def lanternline_verdict(body: str, *, sender=STRANGER, subject="Hello"):
    return rule_cases.classify(LANTERNLINE, body, sender=sender, subject=subject)


# --- A distinctive "-is" word, which the stemmer cuts to five letters ------------------------


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # A prize, the skill told by its distinctive word, which the subject names too.
        (
            "Crisis prediction",
            "I am a psychiatrist and statistician in Leeds. The risk score I developed to spot "
            "callers heading into a crisis hours before a counsellor would is now built into "
            "three of the four largest helpline platforms, and the study that tested it won a "
            "national award for the best mental-health research of 2025. I can only move next "
            "year, but I would like to talk now.",
        ),
        # A creation the field uses, no prize.
        (
            "Crisis lines",
            "Hello Rhea. I wrote the screening tool that most crisis lines in the country run "
            "on every incoming call. I'd be glad to hear what you are building.",
        ),
    ],
)
def test_a_distinctive_word_ending_in_is_names_the_skill_with_the_subject(subject, body):
    result = lanternline_verdict(body, subject=subject)

    assert result.bucket == Bucket.EXCEPTIONAL
    assert "crisis escalation models" in " ".join(r.text for r in result.reasons)
    assert any("crisis" in e.lower() for r in result.reasons for e in r.evidence)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        # A plain word of the skill ("model") is no sign of it, whatever the subject says.
        (
            "Models",
            "The model I developed to spot customers about to cancel is now built into three of "
            "the four largest billing platforms, and the study that tested it won a national "
            "award for the best retail research of 2025.",
        ),
        # Nor in the plural, six letters as written: a plural's stem is the word's length.
        (
            "Models",
            "I wrote the pricing models that most billing platforms in the country run.",
        ),
    ],
)
def test_a_plain_word_of_the_skill_beside_a_prize_is_not_the_skill(subject, body):
    assert lanternline_verdict(body, subject=subject).bucket != Bucket.EXCEPTIONAL


# --- Clipped words: "cert" of "certification" --------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "body", "skill"),
    [
        (
            "Fwd: Dana Okoro - cert guru",
            "Rhea, you asked who could get us through the carrier audits. Dana is the person. "
            "She spent six years inside one of the big carriers on the team that owns the "
            "certification rules, and she wrote a big part of the checklist every vendor's "
            "build gets tested against before launch. She is freelance now.\n\nNoor\n\n"
            "-------- Forwarded Message --------",
            "telephony platform certification",
        ),
        (
            "Fwd: config tooling - Piet",
            "Forwarding Piet's note below. He wrote the configuration checker that most "
            "exchanges run before a change goes live.\n\nNoor\n\n"
            "-------- Forwarded Message --------",
            "switchboard configuration",
        ),
    ],
)
def test_a_clipped_word_in_the_subject_is_the_word_it_clips(subject, body, skill):
    result = lanternline_verdict(body, sender=COLLEAGUE, subject=subject)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert skill in " ".join(r.text for r in result.reasons)


def test_a_clipped_word_in_the_subject_needs_the_skills_word_in_the_body():
    # The body's creation is in no word of the skill: the subject's "cert" alone is not it.
    body = (
        "Rhea, Dana wrote a big part of the style guide every vendor's help pages follow. She "
        "is freelance now.\n\nNoor\n\n-------- Forwarded Message --------"
    )
    result = lanternline_verdict(body, sender=COLLEAGUE, subject="Fwd: Dana Okoro - cert guru")

    assert result.bucket == Bucket.NETWORK
