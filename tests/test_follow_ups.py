"""A person's follow-up joins their open conversation, "Re:" and threading headers or not.

The messages are real .eml files written the way people write: a new subject with
"Following up on my note below" and the old mail quoted under an Outlook-style header, a
second note with no "Re:" at all, an address in another case. They live in
tests/mail-follow-ups/, not tests/data/, which the ingest tests import as a whole."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import CandidateRequestFactory
from tests.test_threading import raw, take_in
from triage.models import CandidateRequest, Message, QuarantinedMessage, Reply
from triage.services import intake, outbox, review

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "mail-follow-ups"


def eml(name: str) -> bytes:
    return (DATA / name).read_bytes()


def priyas_requests():
    return CandidateRequest.objects.filter(candidate__email="priya.raman@fastmail.example")


def test_a_follow_up_under_a_new_subject_joins_the_open_request(profile):
    summary = take_in(eml("1-first-note.eml"), eml("2-following-up-new-subject.eml"))

    assert (summary.new, summary.threaded) == (1, 1)
    request = priyas_requests().get()
    assert request.subject == "Coffee chat about flight software?"
    assert [m.subject for m in request.messages.all()] == [
        "Coffee chat about flight software?",
        "Quick follow-up - firmware engineer",
    ]
    assert request.status == CandidateRequest.Status.NEW


def test_a_second_note_without_re_joins_even_in_another_import(profile):
    take_in(eml("1-first-note.eml"))

    summary = take_in(eml("3-second-message-no-re.eml"))

    assert (summary.new, summary.threaded) == (0, 1)
    assert priyas_requests().get().messages.count() == 2


def test_a_follow_up_to_an_answered_request_reopens_it_for_a_new_round(profile, recruiter):
    take_in(eml("1-first-note.eml"))
    request = priyas_requests().get()
    outbox.queue_reply(request=request, template=None, subject="Re: hi", body="Hi.", by=recruiter)
    request.refresh_from_db()
    assert request.status == CandidateRequest.Status.REPLIED

    take_in(eml("2-following-up-new-subject.eml"))

    request.refresh_from_db()
    assert priyas_requests().count() == 1
    assert request.status == CandidateRequest.Status.NEW
    second = outbox.queue_reply(
        request=request, template=None, subject="Re: again", body="Again.", by=recruiter
    )
    assert second.round == 2
    with pytest.raises(outbox.AlreadyAnswered):
        outbox.queue_reply(
            request=request, template=None, subject="Re: x", body="Third.", by=recruiter
        )


def test_an_answer_within_the_window_keeps_an_old_request_open_to_follow_ups(
    profile, recruiter, settings
):
    """We wrote last, recently: their next note answers us, even 40 days after they wrote."""
    take_in(eml("1-first-note.eml"))
    request = priyas_requests().get()
    reply = outbox.queue_reply(
        request=request, template=None, subject="Re: hi", body="Hi.", by=recruiter
    )
    Reply.objects.filter(pk=reply.pk).update(created_at=datetime(2025, 4, 10, tzinfo=UTC))

    summary = take_in(raw(sender="priya.raman@fastmail.example", date="Mon, 21 Apr 2025 9:00:00"))

    assert (summary.new, summary.threaded) == (0, 1)


def test_another_person_with_a_follow_up_wording_is_a_new_request(profile):
    summary = take_in(eml("1-first-note.eml"), eml("4-another-person.eml"))

    assert (summary.new, summary.threaded) == (2, 0)


def test_after_the_window_the_same_person_opens_a_new_request(profile):
    summary = take_in(eml("1-first-note.eml"), eml("5-months-later.eml"))

    assert (summary.new, summary.threaded) == (2, 0)
    assert priyas_requests().count() == 2


def test_the_window_is_a_setting(profile, settings):
    settings.FOLLOW_UP_WINDOW_DAYS = 120

    summary = take_in(eml("1-first-note.eml"), eml("5-months-later.eml"))

    assert (summary.new, summary.threaded) == (1, 1)


def test_a_closed_conversation_takes_no_follow_up_without_headers(profile, recruiter):
    take_in(eml("1-first-note.eml"))
    review.put_away(
        request=priyas_requests().get(), status="closed", by=recruiter, reason="Met at a meetup"
    )

    summary = take_in(eml("3-second-message-no-re.eml"))

    assert (summary.new, summary.threaded) == (1, 0)


def test_an_answer_by_headers_reopens_a_closed_request_and_keeps_who_closed_it(profile, recruiter):
    take_in(eml("1-first-note.eml"))
    request = priyas_requests().get()
    review.put_away(request=request, status="closed", by=recruiter, reason="Met at a meetup")

    take_in(
        raw(sender="priya.raman@fastmail.example", In_Reply_To="<CAF2x1pQ7@mail.fastmail.example>")
    )

    request.refresh_from_db()
    assert request.status == CandidateRequest.Status.NEW
    assert (request.put_away_by, request.put_away_reason) == (recruiter, "Met at a meetup")


def test_mail_from_a_sender_marked_as_spam_is_set_aside(profile, recruiter):
    take_in(eml("1-first-note.eml"))
    review.put_away(
        request=priyas_requests().get(), status="spam", by=recruiter, reason="Sells SEO"
    )

    summary = take_in(eml("3-second-message-no-re.eml"))

    assert (summary.new, summary.threaded) == (0, 0)
    assert summary.set_aside == [("test#0", "blocked sender (priya.raman@fastmail.example)")]
    assert Message.objects.count() == 1
    # Kept, not lost: it is on the "Kept aside" page with the reason.
    kept = QuarantinedMessage.objects.get()
    assert kept.error == "blocked sender (priya.raman@fastmail.example)"


def test_a_large_batch_still_joins_a_persons_second_note(profile):
    """Plain mail is written in bulk; a sender already talking to us, or twice in the batch,
    goes through threading one message at a time."""
    others = [raw(sender=f"p{n}@mail.example", message_id=f"<m{n}@x.example>") for n in range(5)]
    summary = take_in(eml("1-first-note.eml"), *others, eml("3-second-message-no-re.eml"))

    assert (summary.new, summary.threaded) == (6, 1)
    assert priyas_requests().get().messages.count() == 2


def test_an_open_request_made_elsewhere_takes_the_follow_up(profile):
    existing = CandidateRequestFactory(candidate__email="priya.raman@fastmail.example")
    Message.objects.create(
        request=existing,
        sender="priya.raman@fastmail.example",
        received_at=datetime(2025, 3, 1, tzinfo=UTC),
        message_id="<form@x>",
    )

    result = intake.ingest_message(
        eml("3-second-message-no-re.eml"), source="test", channel="email"
    )

    assert result.outcome == intake.Outcome.THREADED
    assert result.request == existing
