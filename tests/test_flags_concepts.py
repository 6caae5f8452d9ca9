"""Flags (triage.flags) on concepts issue 13's sixth round found missing, in an invented
company's words (Saltmarsh Ferries, careers.saltmarsh.example): an automatic reply, a visa
or permit that ends by a date, a press request (its deadline is not ours), a bug report
about the careers site, a vendor's pitch and a podcast or student paper's request; each
with its near misses."""

import pytest

from triage import flags, rules


def flagged(body: str, subject: str = "Hello") -> dict[str, flags.Flag]:
    facts = rules.RequestFacts(
        sender=rules.Address(name="Kim", email="kim@mail.example"), subject=subject, body=body
    )
    return {flag.name.value: flag for flag in flags.flags_for(facts)}


# --- An automatic reply: not a candidate, and "for urgent matters" is not urgent ----------


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Out of Office: Deckhand vacancy",
            "I'm away from the office until 4 March and have limited access to my email. "
            "For urgent questions please call the harbour desk on 0100 200 300.",
        ),
        (
            "Auto-reply: your message",
            "Thanks for your email. I am currently out of office, back on Monday 9 June. "
            "If it is urgent, contact ops@ferry.example.",
        ),
    ],
)
def test_an_automatic_reply_is_not_a_candidate_and_not_urgent(subject, body):
    found = flagged(body, subject)

    assert set(found) == {"not-candidate"}
    assert found["not-candidate"].topic == "auto-reply"
    assert all(item in subject + body for item in found["not-candidate"].evidence)


@pytest.mark.parametrize(
    "body",
    [
        # A candidate who mentions their own leave is still a candidate.
        "I'm out of the office until Friday, but I'd love to be considered for the Deckhand "
        "role; my CV is attached.",
        "I'll be on annual leave in May, so could we talk before then about the ferry jobs?",
        "Thanks for your message! I'm on annual leave until 3 May with limited access to "
        "email, but I'd love to talk about the Deckhand role when I'm back.",
        "I built an auto-reply bot for a ferry booking desk and would love to talk about "
        "your developer opening.",
    ],
)
def test_a_candidate_on_leave_is_not_an_automatic_reply(body):
    assert "not-candidate" not in flagged(body, "Deckhand")


def test_for_urgent_matters_in_a_persons_mail_is_not_urgent():
    assert "urgent" not in flagged(
        "Happy to talk any time about the engineer opening. For urgent things my mobile is "
        "0100 200 300.",
        "Marine engineer",
    )


# --- A visa or permit that ends by a date -------------------------------------------------


@pytest.mark.parametrize(
    ("body", "evidence"),
    [
        (
            "My graduate visa expires on 30 September, so I need an employer before then.",
            "visa expires",
        ),
        (
            "My work permit runs out at the end of June; is the Deckhand role still open?",
            "permit runs out",
        ),
        ("OPT ends Nov 3 - need a sponsor. Can interview any day.", "OPT ends"),
        (
            "My residence pass will be cancelled on 12 April 2027 unless I find a new employer.",
            "pass will be cancelled",
        ),
    ],
)
def test_a_visa_ending_by_a_date_is_urgent(body, evidence):
    flag = flagged(body, "Deckhand")["urgent"]

    assert any(evidence in item for item in flag.evidence)
    assert flag.text == "Urgent: their visa or permit ends by a date"


@pytest.mark.parametrize(
    "body",
    [
        "My visa doesn't expire until 2031, so there is no rush.",
        "I hold a permanent residence permit; no sponsorship needed.",
        "My old work permit ended in 2019 when I became a citizen.",
        "The permit for the new terminal expires? No idea, I just want the Deckhand role.",
    ],
)
def test_a_visa_without_a_near_end_is_not_urgent(body):
    assert "urgent" not in flagged(body, "Deckhand")


# --- A press request, and a deadline that is not ours ---------------------------------


def test_a_press_request_is_not_urgent_for_its_deadline():
    """A reporter's deadline is theirs, not a decision wanted from us."""
    found = flagged(
        "I'm writing a story on ferry crews for the Coast Gazette. Could Saltmarsh comment? "
        "My deadline is Wednesday at noon.",
        "Comment request",
    )

    assert set(found) == {"not-candidate"}
    assert found["not-candidate"].topic == "press"
    assert "comment" in " ".join(found["not-candidate"].evidence)


def test_a_candidates_own_deadline_is_not_urgent():
    assert "urgent" not in flagged(
        "My dissertation deadline is Friday; after that I'd love to talk about the Deckhand role.",
        "Deckhand",
    )


@pytest.mark.parametrize(
    "body",
    [
        # A student paper's feature, no rush.
        "I'm the features editor at the Harbour Student Press. We're putting together a "
        "feature on careers at sea and I'd love to ask you a few questions.",
        # A podcast.
        "I host a podcast about maritime careers and would love to have someone from "
        "Saltmarsh talk about what you look for when hiring, in a 30-minute episode.",
    ],
)
def test_a_feature_or_a_podcast_request_is_press(body):
    found = flagged(body, "Request")

    assert found["not-candidate"].topic == "press"
    assert "urgent" not in found


def test_a_reporter_asking_for_a_referral_is_a_candidate():
    assert "not-candidate" not in flagged(
        "I am a sports reporter at a local newspaper. I saw the Data Journalist job; could "
        "you recommend me to the editor?",
        "Data Journalist role",
    )


# --- A bug report about the careers site ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "FYI, the apply form on careers.saltmarsh.example rejects every postcode with a "
        'space ("invalid format"). Just letting you know.',
        "Helping my nephew apply tonight: the upload step fails for PDFs over 5 MB and returns "
        "a 500 with a stack trace. I'm not applying myself, just flagging it.",
        "The links in your vacancy feed point to pages that return a 404 since last week, "
        "and the upload button does nothing in Safari.",
    ],
)
def test_a_bug_report_about_the_careers_site_is_not_a_candidate(body):
    found = flagged(body, "Careers site problem")

    assert found["not-candidate"].topic == "bug"
    assert "support" in found["not-candidate"].action


@pytest.mark.parametrize(
    "body",
    [
        # A candidate whose upload failed is still a candidate.
        "The upload step fails for me, so I attach my CV here for the Deckhand role.",
        # A developer describing their own work.
        "I built an upload service that returns a 500 only under load tests; I'd love to be "
        "considered for the Backend role.",
    ],
)
def test_a_candidate_with_a_site_problem_is_still_a_candidate(body):
    assert "not-candidate" not in flagged(body, "Application")


# --- A vendor's pitch ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Tidewater Crew supplies relief deckhands within 48 hours. Could we set up a call "
        "to discuss a staffing partnership?",
        "We are an approved maritime training provider offering group rates of 20% for "
        "crews. Could I arrange a short call with your training manager?",
        "I have two pre-screened engineers ready to interview. Our fee is 15% of first-year "
        "salary, payable on placement.",
        "Crewfinder's AI finds mariners before they post a CV. Quick demo next week? "
        "Unsubscribe: https://crewfinder.example/u/1",
    ],
)
def test_a_vendor_pitch_in_new_words_is_not_a_candidate(body):
    assert flagged(body, "Hiring deckhands")["not-candidate"].topic == "vendor"


@pytest.mark.parametrize(
    "body",
    [
        "I spent three years at a staffing agency placing crew. Could we set up a call to "
        "discuss the recruiter opening?",
        "I ran a training provider's courses for five years. Could we arrange a short call "
        "with your training manager about the instructor job?",
    ],
)
def test_a_candidate_from_an_agency_is_still_a_candidate(body):
    assert "not-candidate" not in flagged(body, "Recruiter")
