"""The durable outbox against a real SMTP server on loopback, with failures injected."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import DROP_AFTER_DATA, DROP_BEFORE_DATA
from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import CandidateRequest, RecruiterProfile, Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    """The real task backend, so deferred retries become rows with run_after."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(
        subject="Kaffee?",
        candidate=CandidateFactory(name="Zoë Ünal", email="zoe@mail.example"),
        message_id="<orig-9@mail.example>",
    )


def queued(candidate_request, by=None):
    return outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject="Re: Kaffee?",
        body="Hallo Zoë,\nschön von Ihnen zu hören.",
        by=by or UserFactory(),
    )


def allow_retry_now(reply):
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())


def test_it_retries_a_4xx_later_and_then_sends(smtp, candidate_request, db_tasks):
    smtp.script = ["451 4.3.0 Greylisted, try again later"]
    reply = queued(candidate_request)

    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.QUEUED
    assert reply.attempts == 1
    assert "451" in reply.error and "Greylisted" in reply.error
    assert reply.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert outbox.send_reply(reply.pk) is None  # too early: the retry waits for its time
    assert smtp.messages == []

    allow_retry_now(reply)
    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT and reply.attempts == 2 and reply.error == ""
    [(recipients, message)] = smtp.messages
    assert recipients == ["zoe@mail.example"]
    assert message["In-Reply-To"] == "<orig-9@mail.example>"
    assert message["References"] == "<orig-9@mail.example>"
    assert str(message["Subject"]) == "Re: Kaffee?"
    assert message["To"].addresses[0].display_name == "Zoë Ünal"
    assert message.get_content().replace("\r\n", "\n") == "Hallo Zoë,\nschön von Ihnen zu hören.\n"


def test_it_enqueues_the_retry_with_run_after(
    smtp, candidate_request, db_tasks, django_capture_on_commit_callbacks
):
    smtp.script = ["421 4.7.0 Too many connections"]
    reply = queued(candidate_request)

    with django_capture_on_commit_callbacks(execute=True):
        outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    deferred = DBTaskResult.objects.filter(run_after__isnull=False).get()
    assert deferred.args_kwargs["args"] == [reply.pk]
    assert deferred.run_after == reply.next_attempt_at


def test_it_backs_off_exponentially_and_gives_up(smtp, candidate_request, db_tasks):
    assert [outbox.backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert outbox.backoff(30) == outbox.BACKOFF_MAX
    smtp.script = ["450 4.2.1 Mailbox busy"] * outbox.MAX_ATTEMPTS
    reply = queued(candidate_request)

    for _ in range(outbox.MAX_ATTEMPTS):
        allow_retry_now(reply)
        outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    candidate_request.refresh_from_db()
    assert reply.status == Reply.Status.FAILED
    assert reply.attempts == outbox.MAX_ATTEMPTS
    assert "Mailbox busy" in reply.error
    assert candidate_request.status == CandidateRequest.Status.NEW
    assert smtp.messages == []


def test_a_5xx_fails_at_once_with_the_reason(smtp, candidate_request):
    smtp.script = ["554 5.7.1 Message rejected as spam"]
    reply = queued(candidate_request)  # immediate tasks: sent on commit in real use

    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.FAILED and reply.attempts == 1
    assert reply.error == "554 5.7.1 Message rejected as spam"
    assert smtp.messages == []


def test_a_connection_dropped_before_data_is_retried(smtp, candidate_request, db_tasks):
    smtp.script = [DROP_BEFORE_DATA]
    reply = queued(candidate_request)

    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.QUEUED
    assert "SMTPServerDisconnected" in reply.error
    assert smtp.dropped_after_data == [] and smtp.messages == []
    allow_retry_now(reply)
    outbox.send_reply(reply.pk)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT
    assert len(smtp.messages) == 1


def test_a_connection_dropped_after_data_is_unknown_and_never_resent_blindly(
    smtp, candidate_request, db_tasks
):
    smtp.script = [DROP_AFTER_DATA]
    reply = queued(candidate_request)

    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    candidate_request.refresh_from_db()
    assert reply.status == Reply.Status.UNKNOWN
    assert reply.next_attempt_at is None
    assert "after the message was handed over" in reply.error
    assert "SMTPServerDisconnected" in reply.error and "check with the candidate" in reply.error
    assert len(smtp.dropped_after_data) == 1  # the server had the whole message
    assert candidate_request.status == CandidateRequest.Status.REPLIED  # it counts as answered
    assert outbox.send_reply(reply.pk) is None
    assert outbox.send_due_replies() == 0
    assert smtp.messages == [] and not DBTaskResult.objects.filter(run_after__isnull=False)


def test_a_reply_stuck_in_sending_becomes_unknown_and_is_not_resent(smtp, candidate_request):
    reply = queued(candidate_request)
    long_ago = timezone.now() - timedelta(minutes=11)
    Reply.objects.filter(pk=reply.pk).update(
        status=Reply.Status.SENDING, sending_started_at=long_ago
    )

    assert outbox.sweep_stuck_replies() == 1
    assert outbox.send_reply(reply.pk) is None

    reply.refresh_from_db()
    assert reply.status == Reply.Status.UNKNOWN
    assert "check" in reply.error
    assert smtp.messages == []
    with pytest.raises(outbox.AlreadyAnswered):
        queued(candidate_request)  # "unknown" still counts as the answer


def test_a_recent_sending_reply_is_left_alone(candidate_request):
    reply = queued(candidate_request)
    Reply.objects.filter(pk=reply.pk).update(
        status=Reply.Status.SENDING, sending_started_at=timezone.now()
    )

    assert outbox.sweep_stuck_replies() == 0


def test_it_sends_a_failed_reply_again_by_hand(smtp, candidate_request):
    smtp.script = ["550 5.1.1 No such user"]
    reply = queued(candidate_request)
    outbox.send_reply(reply.pk)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.FAILED

    outbox.retry_reply(reply=reply, by=UserFactory())
    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    candidate_request.refresh_from_db()
    assert reply.status == Reply.Status.SENT
    assert candidate_request.status == CandidateRequest.Status.REPLIED
    [(_, message)] = smtp.messages
    assert str(message["Message-ID"]).strip() == reply.message_id


def test_it_refuses_to_retry_a_sent_reply(smtp, candidate_request):
    reply = queued(candidate_request)
    outbox.send_reply(reply.pk)
    reply.refresh_from_db()

    with pytest.raises(outbox.AlreadyAnswered):
        outbox.retry_reply(reply=reply, by=UserFactory())


def test_it_sends_from_the_recruiters_own_identity(smtp, candidate_request):
    sender = UserFactory(first_name="Sam", last_name="Sender")
    RecruiterProfile.objects.create(
        user=sender,
        display_name="Sam SSender",
        from_email="sam@acme-orbital.example",
        reply_to="sam.direct@acme-orbital.example",
    )
    reply = queued(candidate_request, by=sender)
    outbox.send_reply(reply.pk)

    [(_, message)] = smtp.messages
    assert message["From"].addresses[0].display_name == "Sam SSender"
    assert message["From"].addresses[0].addr_spec == "sam@acme-orbital.example"
    assert str(message["Reply-To"]) == "sam.direct@acme-orbital.example"


def test_a_subject_cannot_inject_a_header(smtp, candidate_request):
    reply = outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject="Re: Kaffee?\r\nBcc: everyone@mail.example",
        body="Hi",
        by=UserFactory(),
    )
    outbox.send_reply(reply.pk)

    [(recipients, message)] = smtp.messages
    assert recipients == ["zoe@mail.example"]
    assert str(message["Subject"]) == "Re: Kaffee? Bcc: everyone@mail.example"
    assert message["Bcc"] is None


def test_the_draft_uses_the_recruiters_own_name_and_signature(candidate_request, profile):
    sender = UserFactory(first_name="Sam", last_name="Sender")
    RecruiterProfile.objects.create(user=sender, signature="Sam S.\nTalent team")

    draft = outbox.draft_text(
        candidate_request, "{{ recruiter_name }}", "{{ recruiter_signature }}", profile, sender
    )

    assert (draft.subject, draft.body) == ("Sam Sender", "Sam S.\nTalent team")


@pytest.mark.parametrize(
    "error, transient",
    [
        (smtplib.SMTPDataError(451, b"Try later"), True),
        (smtplib.SMTPDataError(554, b"Rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (450, b"Busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"No such user")}), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
        (ConnectionRefusedError(111, "Connection refused"), True),
        (TimeoutError("timed out"), True),
        (ValueError("bad address"), False),
    ],
)
def test_it_tells_transient_from_permanent_errors(error, transient):
    assert outbox.is_transient(error) is transient
