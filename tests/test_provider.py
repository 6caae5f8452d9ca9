"""Replies through an email provider's HTTP API (django-anymail), against a real HTTP server
on loopback posing as Postmark: what arrives, and how each failure is treated."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import HANG
from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import CandidateRequest, Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db_tasks(settings):
    """The real task backend, so a transient failure becomes a deferred retry, not a loop."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(
        subject="Kaffee?",
        candidate=CandidateFactory(name="Zoë Ünal", email="zoe@mail.example"),
        message_id="<orig-9@mail.example>",
    )


def queued(candidate_request):
    return outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject="Re: Kaffee?",
        body="Hallo Zoë,\nschön von Ihnen zu hören.",
        by=UserFactory(username="sam", first_name="Sam", last_name="Sender"),
    )


def send(reply) -> Reply:
    outbox.send_reply(reply.pk)
    reply.refresh_from_db()
    return reply


def test_it_posts_the_reply_to_the_provider_and_records_its_message_id(
    provider_api, candidate_request
):
    reply = send(queued(candidate_request))

    [arrived] = provider_api.requests
    assert arrived["path"] == "/email"
    assert arrived["headers"]["X-Postmark-Server-Token"] == "test-server-token"
    payload = arrived["json"]
    assert payload["To"] == "Zoë Ünal <zoe@mail.example>"
    assert payload["From"] == "Sam Sender <recruiting@localhost>"
    assert payload["ReplyTo"] == "rita@acme-orbital.example"
    assert payload["Subject"] == "Re: Kaffee?"
    assert payload["TextBody"] == "Hallo Zoë,\nschön von Ihnen zu hören.\n"
    assert "HtmlBody" not in payload
    headers = {header["Name"]: header["Value"] for header in payload["Headers"]}
    assert headers["Message-ID"] == reply.message_id
    assert headers["In-Reply-To"] == headers["References"] == "<orig-9@mail.example>"
    assert reply.status == Reply.Status.SENT
    assert reply.provider_message_id == "pm-0001-0000-4000-8000-000000000000"


def test_the_request_page_shows_the_providers_message_id(
    provider_api, candidate_request, recruiter_client
):
    send(queued(candidate_request))

    page = recruiter_client.get(reverse("triage:request", args=[candidate_request.pk]))

    assert "pm-0001-0000-4000-8000-000000000000" in page.content.decode()


def test_a_server_error_is_retried_later_and_then_sent(provider_api, candidate_request, db_tasks):
    provider_api.script = [(500, {"ErrorCode": 500, "Message": "Internal server error"})]

    reply = send(queued(candidate_request))

    assert reply.status == Reply.Status.QUEUED
    assert reply.error.startswith("Retrying: ") and "500" in reply.error
    assert reply.next_attempt_at > timezone.now()
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=timezone.now())
    reply = send(reply)
    assert reply.status == Reply.Status.SENT and reply.attempts == 2
    assert len(provider_api.requests) == 2
    assert reply.provider_message_id == "pm-0001-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    "status",
    [429, 503],
    ids=["too-many-requests", "unavailable"],
)
def test_rate_limits_and_outages_are_transient(provider_api, candidate_request, db_tasks, status):
    provider_api.script = [(status, {"ErrorCode": 0, "Message": "Slow down"})]

    reply = send(queued(candidate_request))

    assert reply.status == Reply.Status.QUEUED and str(status) in reply.error


def test_an_unreachable_provider_is_transient(settings, provider_api, candidate_request, db_tasks):
    settings.ANYMAIL = {**settings.ANYMAIL, "POSTMARK_API_URL": "http://127.0.0.1:9/"}

    reply = send(queued(candidate_request))

    assert reply.status == Reply.Status.QUEUED
    assert "Connection refused" in reply.error or "Failed to establish" in reply.error


def test_a_refused_recipient_fails_at_once_with_the_reason_shown(
    provider_api, candidate_request, recruiter_client, db_tasks
):
    provider_api.script = [
        (422, {"ErrorCode": 300, "Message": "Invalid 'To' address: 'zoe@mail.example'."})
    ]

    reply = send(queued(candidate_request))

    assert reply.status == Reply.Status.FAILED and reply.next_attempt_at is None
    assert "refused the recipient" in reply.error and "zoe@mail.example: invalid" in reply.error
    candidate_request.refresh_from_db()
    assert candidate_request.status == CandidateRequest.Status.NEW
    page = recruiter_client.get(reverse("triage:request", args=[candidate_request.pk]))
    html = page.content.decode()
    assert "Not sent: The email provider refused the recipient" in html
    assert ">Retry</button>" in html


def test_an_inactive_recipient_is_permanent(provider_api, candidate_request):
    provider_api.script = [
        (
            422,
            {
                "ErrorCode": 406,
                "Message": "You tried to send to a recipient that has been marked as inactive.\n"
                "Found inactive addresses: zoe@mail.example.\nInactive recipients are ones "
                "that have generated a hard bounce or a spam complaint.",
            },
        )
    ]

    reply = send(queued(candidate_request))

    assert reply.status == Reply.Status.FAILED
    assert "zoe@mail.example: rejected" in reply.error


@pytest.mark.parametrize(
    "status, answer, words",
    [
        (422, {"ErrorCode": 300, "Message": "Invalid 'From' address: 'x'."}, "Invalid 'From'"),
        (400, {"ErrorCode": 402, "Message": "Invalid JSON"}, "Invalid JSON"),
        (401, {"ErrorCode": 10, "Message": "No Account or Server API tokens"}, "API tokens"),
    ],
    ids=["unprocessable", "bad-request", "bad-key"],
)
def test_a_client_error_fails_permanently_with_the_providers_words(
    provider_api, candidate_request, db_tasks, status, answer, words
):
    provider_api.script = [(status, answer)]

    reply = send(queued(candidate_request))

    assert reply.status == Reply.Status.FAILED
    assert f"API response {status}" in reply.error and words in reply.error
    assert len(provider_api.requests) == 1

    retried = outbox.retry_reply(reply=reply, by=reply.sent_by)  # the recruiter's Retry
    assert send(retried).status == Reply.Status.SENT


def settings_from_env(**env) -> subprocess.CompletedProcess:
    # A fresh Python reads the settings as a server would start with them (without starting
    # the whole app: the choice is made in the settings module).
    code = "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "ANYMAIL_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_provider_is_chosen_by_environment():
    assert settings_from_env(EMAIL_PROVIDER="mailgun").stdout.strip() == (
        "anymail.backends.mailgun.EmailBackend"
    )
    assert settings_from_env(EMAIL_HOST="smtp.example").stdout.strip() == (
        "triage.mail_backends.SMTPBackend"
    )
    assert settings_from_env().stdout.strip() == "triage.mail_backends.EmlFileBackend"
    wrong = settings_from_env(EMAIL_PROVIDER="pigeon")
    assert wrong.returncode != 0 and "is not one of: amazon_ses" in wrong.stderr


def test_brevo_gets_the_replys_idempotency_key_on_every_attempt(provider_api, settings, profile):
    local_api = settings.ANYMAIL["POSTMARK_API_URL"]  # the scripted server answers any path
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.brevo.EmailBackend"}}
    settings.ANYMAIL = {"BREVO_API_KEY": "test-key", "BREVO_API_URL": f"{local_api}v3/"}
    provider_api.script = [
        (503, {"code": "unavailable", "message": "Try later"}),
        (201, {"messageId": "<brevo-1@smtp-relay.mailin.fr>"}),
    ]
    reply = outbox.queue_reply(
        request=CandidateRequestFactory(), template=None, subject="Re", body="Hi", by=None
    )
    outbox.send_reply(reply.pk)
    Reply.objects.filter(pk=reply.pk).update(next_attempt_at=None)
    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    keys = [r["json"]["headers"]["idempotencyKey"] for r in provider_api.requests]
    assert reply.status == Reply.Status.SENT
    assert keys == [reply.message_id.strip("<>")] * 2


def test_a_request_the_provider_got_but_never_answered_is_unknown_not_retried(
    provider_api, settings, profile
):
    settings.ANYMAIL = {**settings.ANYMAIL, "REQUESTS_TIMEOUT": 0.5}
    provider_api.script = [(HANG, 1.5)]
    reply = outbox.queue_reply(
        request=CandidateRequestFactory(), template=None, subject="Re", body="Hi", by=None
    )

    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.UNKNOWN
    assert "check with the candidate" in reply.error and "timed out" in reply.error.lower()
    assert len(provider_api.requests) == 1
    assert outbox.send_due_replies() == 0
