"""Replies leave through a real SMTP server on loopback (aiosmtpd), not a mock."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import CandidateRequest, Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db


class Sink:
    """Keeps what arrives; answers `fail_with` (an SMTP reply line) instead when it is set."""

    def __init__(self):
        self.messages = []
        self.fail_with = None

    async def handle_DATA(self, server, session, envelope):
        if self.fail_with:
            return self.fail_with
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


def free_port() -> int:
    # aiosmtpd's start() connects to its own port to check it is up, so it needs a real one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    settings.MESSAGE_ID_DOMAIN = "replies.acme-orbital.example"
    yield sink
    controller.stop()


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
    smtp.fail_with = "550 5.1.1 Mailbox unavailable"
    with django_capture_on_commit_callbacks(execute=True):
        failed = queue(candidate_request)

    failed.refresh_from_db()
    candidate_request.refresh_from_db()
    assert failed.status == Reply.Status.FAILED
    assert "Mailbox unavailable" in failed.error
    assert candidate_request.status == CandidateRequest.Status.NEW
    assert smtp.messages == []

    smtp.fail_with = None
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
