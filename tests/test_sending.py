"""Replies leave through a real SMTP server on loopback (aiosmtpd), not a mock."""

import pytest

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import CandidateRequest, Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(
        subject="Kaffee?",
        body="Hallo!",
        candidate=CandidateFactory(name="Jürgen Größe", email="jurgen@mail.example"),
        message_id="<original-123@mail.example>",
    )


def queue(candidate_request, body="Hallo Jürgen,\nDanke für Ihre Nachricht.\n"):
    return outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject="Re: Kaffee? – Grüße",
        body=body,
        by=UserFactory(),
    )


def test_it_sends_a_threaded_plain_text_reply(
    smtp, candidate_request, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = queue(candidate_request)

    reply.refresh_from_db()
    [(recipients, message)] = smtp.messages
    assert recipients == ["jurgen@mail.example"]
    assert reply.status == Reply.Status.SENT and reply.sent_at is not None
    assert message["In-Reply-To"] == "<original-123@mail.example>"
    assert message["References"] == "<original-123@mail.example>"
    assert str(message["Message-ID"]).strip() == reply.message_id
    assert reply.message_id.endswith("@replies.acme-orbital.example>")
    assert str(message["Subject"]) == "Re: Kaffee? – Grüße"
    assert message["To"].addresses[0].display_name == "Jürgen Größe"
    assert str(message["Reply-To"]) == "rita@acme-orbital.example"
    assert "Rita Recruiter" in str(message["From"])
    assert message.get_content_type() == "text/plain"
    body = message.get_content().replace("\r\n", "\n")  # SMTP carries CRLF line ends
    assert body == "Hallo Jürgen,\nDanke für Ihre Nachricht.\n"


def test_a_refused_send_is_visible_and_can_be_sent_again(
    smtp, candidate_request, django_capture_on_commit_callbacks
):
    smtp.script = ["550 5.1.1 Mailbox unavailable"]
    with django_capture_on_commit_callbacks(execute=True):
        failed = queue(candidate_request)

    failed.refresh_from_db()
    candidate_request.refresh_from_db()
    assert failed.status == Reply.Status.FAILED
    assert "Mailbox unavailable" in failed.error
    assert candidate_request.status == CandidateRequest.Status.NEW
    assert smtp.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        retried = queue(candidate_request)

    retried.refresh_from_db()
    assert retried.status == Reply.Status.SENT
    assert len(smtp.messages) == 1


def test_a_reply_is_sent_once_even_if_the_task_runs_twice(smtp, candidate_request):
    reply = queue(candidate_request)  # on_commit not run: the worker has not picked it up

    outbox.send_reply(reply.pk)
    outbox.send_reply(reply.pk)

    assert len(smtp.messages) == 1


def test_a_reply_queued_before_do_not_contact_was_set_is_not_sent(smtp, candidate_request):
    from triage.services import candidates

    reply = queue(candidate_request)  # queued; the worker has not picked it up yet
    candidates.set_do_not_contact(candidate=candidate_request.candidate, value=True, by=None)

    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    assert smtp.messages == []
    assert reply.status == Reply.Status.FAILED
    assert "asked not to be contacted" in reply.error
