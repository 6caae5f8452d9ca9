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


# --- Starting to do something is not making a thing ---------------------------------------


def test_starting_to_do_something_is_not_the_creation_the_reason_quotes():
    # "has started routing its calls": someone beginning to do a thing, not a thing made. The
    # reason quotes what they made: the checker they say is theirs.
    body = (
        "Hi Rhea, I've just applied for the Call Handler role. Possibly relevant, since I read "
        "that Lanternline has started routing its calls by risk: escalate-check is mine. I "
        "wrote it and still maintain it - it's the open-source crisis escalation model most "
        "helplines in Europe run under the hood."
    )
    result = lanternline_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "started" not in result.reasons[0].text
    assert "escalate-check is mine" in result.reasons[0].text or "I wrote" in result.reasons[0].text


def test_starting_a_thing_is_still_making_it():
    # "I started X in 2019": a thing begun, which is making it (not "started doing").
    body = (
        "Some context: I started escalate-check in 2019 as a weekend project. It is now the "
        "crisis escalation model most helplines in Europe run on every call."
    )
    result = lanternline_verdict(body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert "started" in result.reasons[0].text


# --- The skill a role is in: named by its acronyms, beside two loose words of another --------

# "call" and "quality" are two loose words of the first skill; "SIP" and "RTP" name the second.
CALLS_AND_PROTOCOLS = Profile(
    company="Lanternline Helplines",
    careers_url="https://careers.lanternline.test",
    recruiter_name="Rhea Recruiter",
    recruiter_email="rhea@lanternline.example",
    employee_domains=("lanternline.example",),
    hard_to_fill_skills=("call quality scoring for helplines", "telephony protocols (SIP/RTP)"),
)


def test_a_skill_named_by_its_acronyms_is_the_one_the_reason_names():
    # "call" and "quality" are two words of the first skill; "SIP" and "RTP" name the second
    # outright: the role is in the second.
    body = (
        "Dear Rhea, I chaired the expert working group on emergency lines that wrote the "
        "current call quality provisions, which were carried into both SIP and RTP. I now "
        "advise carriers independently."
    )
    result = rule_cases.classify(CALLS_AND_PROTOCOLS, body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert result.reasons[1].text == "In a hard-to-fill skill: telephony protocols (SIP/RTP)"


def test_more_of_a_skills_words_still_outweigh_one_acronym():
    # Three words of the first skill against one acronym of the second: the first.
    body = (
        "Dear Rhea, I chaired the expert working group that wrote the call quality scoring "
        "provisions most helplines follow, over SIP. I now advise carriers independently."
    )
    result = rule_cases.classify(CALLS_AND_PROTOCOLS, body)

    assert result.bucket == Bucket.EXCEPTIONAL
    assert result.reasons[1].text == "In a hard-to-fill skill: call quality scoring for helplines"


# --- A role found among the distinctions is called a role ----------------------------------


def test_a_role_among_the_distinctions_is_called_a_recognised_role():
    body = (
        "Hello Rhea. I have been a core maintainer of the open-source crisis escalation model "
        "toolkit for five years. I'm moving to Leeds next spring and would like to stay in touch."
    )
    result = lanternline_verdict(body)

    assert result.rule == "distinguished_record"
    assert result.reasons[0].text.startswith(
        'Distinguished record, a recognised role ("core maintainer")'
    )


def test_a_prize_is_still_a_distinction_recognised_outside_an_employer():
    body = (
        "Hello Rhea. My crisis escalation model won the national helpline award in 2025. I'm "
        "moving to Leeds next spring and would like to stay in touch."
    )
    result = lanternline_verdict(body)

    assert result.rule == "distinguished_record"
    assert result.reasons[0].text.startswith(
        "Distinguished record, a distinction recognised outside an employer"
    )


def test_of_two_skills_named_as_plainly_the_one_in_the_records_own_sentence():
    # Two words of each: the first skill's in the title of the opening they apply for, the
    # sentence before; the second's in the sentence that tells the creation.
    profile = Profile(
        company="Lanternline Helplines",
        careers_url="https://careers.lanternline.test",
        recruiter_name="Rhea Recruiter",
        recruiter_email="rhea@lanternline.example",
        employee_domains=("lanternline.example",),
        openings=(
            Opening("Switchboard Configuration Lead", "https://careers.lanternline.test/5", ()),
        ),
        hard_to_fill_skills=("switchboard configuration", "crisis escalation models"),
    )
    body = (
        "Dear Rhea, I would like to apply for the Switchboard Configuration Lead position. I "
        "am the author of a crisis escalation checker which many helplines in Europe use on "
        "every call."
    )
    result = rule_cases.classify(profile, body)

    assert (result.bucket, result.rule) == (Bucket.EXCEPTIONAL, "distinguished_record")
    assert result.reasons[1].text == "In a hard-to-fill skill: crisis escalation models"
