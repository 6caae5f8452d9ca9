"""Flags beside the bucket (triage.flags): pure facts in, flags with evidence out, with the
near misses that must not be flagged."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import CandidateRequestFactory
from triage import flags, rules
from triage.models import CandidateRequest


def facts(body: str, subject: str = "Hello") -> rules.RequestFacts:
    return rules.RequestFacts(
        sender=rules.Address(name="Sam", email="sam@mail.example"), subject=subject, body=body
    )


def flagged(body: str, subject: str = "Hello") -> dict[str, flags.Flag]:
    return {flag.name.value: flag for flag in flags.flags_for(facts(body, subject))}


@pytest.mark.parametrize(
    ("subject", "body", "evidence"),
    [
        (
            "PLC role",
            "I received an offer from another company and I must decide by this Friday.",
            ("received an offer", "by this Friday"),
        ),
        (
            "Offer deadline Monday - Data Analyst",
            "I applied for the analyst role. Could we talk this week?",
            ("deadline Monday",),
        ),
        (
            "iOS role",
            "I've now got an offer from another bank that expires this Friday (25th).",
            ("got an offer", "expires this Friday"),
        ),
        ("URGENT - please read", "Could you look at my application?", ("URGENT",)),
        ("Question", "Please reply by tomorrow, I have to decide.", ("by tomorrow",)),
        (
            "Offer",
            "I've been offered a position elsewhere and need to give an answer by 3 June.",
            ("been offered a position", "by 3 June"),
        ),
    ],
)
def test_a_deadline_or_a_competing_offer_is_urgent(subject, body, evidence):
    flag = flagged(body, subject)["urgent"]

    assert flag.evidence == evidence
    assert flag.text.startswith("Urgent: ")
    assert flag.action
    assert all(item in subject + body for item in flag.evidence)


@pytest.mark.parametrize(
    "body",
    [
        "No rush at all, whenever suits you. I'd love to hear about the data team.",
        "Nothing urgent, I just wanted you to know before anyone else.",
        "This is not urgent: I'm moving to the area next year.",
        "I'm busy with the deadline for the conference paper, but happy to chat in May.",
        "My thesis is due by Friday, after that I am free to talk.",
        "There is no deadline on my side; I accepted a job last year and love it.",
        "I'll be in Rotterdam before Friday for a conference.",
        "Would you be available for a 20-minute interview before May 29?",
    ],
)
def test_near_misses_are_not_urgent(body):
    assert "urgent" not in flagged(body)


@pytest.mark.parametrize(
    ("subject", "body", "topic", "action_word"),
    [
        (
            "Vulnerability in your tracking API",
            "I could not find a security contact, so please forward it to your security "
            "team. The endpoint returns consignee addresses without authentication.",
            "security",
            "security team",
        ),
        (
            "App keeps logging me out",
            "I couldn't find a support address. Since the update the app crashes on start. "
            "Can you pass this on to whoever can fix it?",
            "bug",
            "customer support",
        ),
        (
            "Cut your screening time by 70%",
            "Recruiting teams use our platform. We integrate with your ATS in a day and you "
            "only pay per hire. Do you have 15 minutes for a quick demo? Account Executive",
            "vendor",
            "purchasing",
        ),
        (
            "Research study on recruiting",
            "I am a doctoral researcher. Would you complete a 10-minute anonymous survey? "
            "Participants receive a summary of the findings.",
            "research",
            "research requests",
        ),
        (
            "Press inquiry: hiring in the port",
            "I'm a reporter at the Port Herald working on a piece about automation. Could I "
            "interview you for 20 minutes?",
            "press",
            "press",
        ),
    ],
)
def test_messages_that_are_not_a_candidates_request(subject, body, topic, action_word):
    flag = flagged(body, subject)["not-candidate"]

    assert flag.topic == topic
    assert action_word in flag.action
    assert flag.evidence and all(item in subject + body for item in flag.evidence)


def test_a_security_report_is_also_urgent():
    found = flagged(
        "Sorry to email recruiting. Your iOS app ships a hard-coded API key; please pass "
        "this to your security team urgently.",
        "API key exposed",
    )

    assert set(found) == {"urgent", "not-candidate"}
    assert found["urgent"].text == "Urgent: a security problem reported"
    assert "urgently" in found["urgent"].evidence


def test_a_candidate_who_reports_a_security_bug_in_passing_is_urgent_and_still_a_candidate():
    found = flagged(
        "I'm a frontend engineer and I was looking at your Frontend Engineer opening when I "
        "noticed the search box on the careers site echoes the search term back into the "
        "page. I typed\n\n    <script>alert(1)</script>\n\nand got a popup. You'll probably "
        "want to pass that on to whoever owns the site! Anyway, I'd love to chat about the role.",
        "Frontend Engineer: found a small bug on your careers page",
    )

    assert set(found) == {"urgent"}
    assert found["urgent"].text == "Urgent: a security problem reported"
    assert "script>alert" in found["urgent"].evidence


@pytest.mark.parametrize(
    "body",
    [
        "I'm a security engineer; I found XSS and SQL injection bugs in bug bounty programs.",
        "At my last job I fixed an XSS vulnerability in the login page. I'd love to chat.",
    ],
)
def test_security_work_in_a_career_is_not_urgent(body):
    assert "urgent" not in flagged(body, "Application")


@pytest.mark.parametrize(
    "body",
    [
        # A candidate who fixed bugs is not reporting one.
        "I'm a support engineer: I fixed a crash that happened after the update in our app "
        "and I tracked down an error message nobody understood. My CV is attached.",
        "In my last role I fixed crashes since the latest patch and cut error codes by half. "
        "I'd be glad to be considered for the QA Engineer role.",
        # A sales candidate who ran demos is not a vendor.
        "I was an account executive for five years and ran a quick demo every day. I'd love "
        "to be considered for the Sales Manager role; my resume is attached.",
        # A security engineer applying is not a security report.
        "I'm an application security engineer who has found vulnerabilities in open-source "
        "libraries. I've applied for your AppSec role.",
        "I led the security team at a bank and ran our bug bounty program through responsible "
        "disclosure. I'd love to be considered for the AppSec role.",
        # A former journalist applying for a content role.
        "I was a reporter for six years and now write documentation. Please consider me for "
        "the Technical Writer position.",
        # Research in a candidate's own career.
        "My PhD research project was on protein folding; I'm looking for a new role.",
    ],
)
def test_candidates_with_such_words_are_still_candidates(body):
    assert "not-candidate" not in flagged(body, "Application")


def test_an_ordinary_request_has_no_flags():
    assert flags.flags_for(facts("I'd love an informational interview about your team.")) == ()


@pytest.mark.parametrize(
    "body",
    [
        "Hello, I would like to apply for the backend role.",
        "Please forward this to your security team: a vulnerability in your login page.",
        "I got an offer and must decide by Friday. It is urgent.",
        "Mañana, İstanbul: the app keeps crashing since the latest update.",  # no screen
    ],
)
def test_one_look_at_a_family_of_phrases_agrees_with_each_look(body):
    """Scan.may_match_any: a message passed over in one look is one that none of the
    family's phrases could match (the flags skip their topics on it)."""
    scan = rules.RequestFacts(sender=rules.Address("", "a@b.example"), subject="Hi", body=body).scan
    for group, patterns in [
        (flags.TOPIC_PHRASES, [p for t in flags.TOPICS for p in (t.plain, t.hints)]),
        (
            flags.URGENT_PHRASES,
            [
                flags.COMPETING_OFFER,
                flags.OFFER_ENDS,
                flags.NEAR_DAY,
                flags.PRESSING,
                flags.PERMIT_ENDS,
            ],
        ),
    ]:
        assert scan.may_match_any(group) == any(map(scan.may_match, patterns))


def test_the_first_look_holds_every_phrase_a_flag_rests_on():
    """flags_for passes over a message in which FLAG_PHRASES finds nothing: so it holds every
    alternative of every phrase a flag rests on, matched the same way (vocabulary()). Only
    the markers and guards, which narrow a phrase's matches down, are left out of it (a new
    module-level vocabulary must be one or the other)."""
    narrowing = {
        flags.OFFER,
        flags.DECISION,
        flags.NEAR_DATE,
        flags.OUR_SITE,
        flags.FIXED_IT,
        flags.OWN_WORK,
        flags.OWN_CANDIDACY,
    }
    module_level = {v for v in vars(flags).values() if isinstance(v, flags.Phrases)}
    flagged_on = {p for t in flags.TOPICS for p in (t.plain, t.hints)} | (
        module_level - narrowing - {flags.FLAG_PHRASES}
    )
    assert {flags.COMPETING_OFFER, flags.PRESSING, flags.SECURITY_PROBLEM} <= flagged_on
    assert all((p.before, p.after) == (r"\b", r"\b") for p in flagged_on)
    assert set(flags.FLAG_PHRASES.alternatives) == {a for p in flagged_on for a in p.alternatives}
    assert (flags.FLAG_PHRASES.before, flags.FLAG_PHRASES.after) == (r"\b", r"\b")


@pytest.mark.django_db
def test_the_database_keeps_no_flag_without_evidence():
    request = CandidateRequestFactory()
    rows = CandidateRequest.objects.filter(pk=request.pk)

    rows.update(flags={"urgent": {"text": "Urgent", "evidence": ["by Friday"]}})
    assert rows.filter(flags__has_key="urgent").exists()
    for bad in (
        {"urgent": {"text": "Urgent", "evidence": []}},
        {"not-candidate": {"text": "Not a candidate"}},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(flags=bad)
