"""/healthz: the database, the worker's heartbeat (its newest finished task), the scheduler,
the oldest queued reply and the mailbox poll; 200 when all are fresh, 503 when one is not,
and never a word of candidate data."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from triage.models import MailboxState, Reply
from triage.services import outbox

from .factories import CandidateFactory, CandidateRequestFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worked(db_tasks, profile):
    """A real scheduler pass and a real worker run: the scheduler enqueues its jobs, the
    worker runs them and exits when the queue is empty."""
    call_command("run_periodic", "--once", stdout=io.StringIO())
    call_command("db_worker", "--batch", verbosity=0)
    assert DBTaskResult.objects.filter(finished_at__isnull=False).exists()


def get_health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    return response, json.loads(response.content)


def test_fresh_worker_and_scheduler_answer_200_without_login(client, worked):
    response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "worker", "scheduler", "outbox", "mailbox"}
    assert all(check["ok"] for check in checks.values())
    assert checks["worker"]["age_seconds"] < 60
    assert checks["worker"]["limit_seconds"] == 900
    assert checks["outbox"]["detail"] == "no reply queued"
    assert "polling is off" in checks["mailbox"]["detail"]


def test_a_stale_worker_heartbeat_answers_503(client, worked, settings):
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(hours=1))
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["status"] == "unhealthy"
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["age_seconds"] >= 3600
    assert "stale" in body["checks"]["worker"]["detail"]
    assert body["checks"]["database"]["ok"] is True


def test_no_worker_ever_answers_503(client, profile, db_tasks):
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["worker"] == {
        "ok": False,
        "detail": "no finished task yet",
        "limit_seconds": 900,
    }


def test_a_database_that_does_not_answer_gives_503(client, worked):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    # Sessions are not touched by an anonymous GET, so only the health queries reach the wrapper.
    with connection.execute_wrapper(refuse):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["database"] == {"ok": False, "detail": "query failed: OperationalError"}
    assert body["checks"]["worker"]["ok"] is False
    assert "database is not answering" in body["checks"]["worker"]["detail"]
    assert "server closed" not in response.content.decode()


def test_an_old_queued_reply_and_a_stale_mailbox_answer_503_without_candidate_data(
    client, worked, settings
):
    settings.IMAP_HOST = "imap.example"
    settings.IMAP_USER = "jobs"
    settings.IMAP_FOLDER = "INBOX"
    settings.IMAP_POLL_SECONDS = 60
    MailboxState.objects.create(
        host="imap.example",
        user="jobs",
        folder="INBOX",
        uidvalidity=1,
        last_polled_at=timezone.now() - timedelta(minutes=30),
    )
    request = CandidateRequestFactory(
        subject="Secret subject line",
        candidate=CandidateFactory(name="Zoë Ünal", email="zoe@mail.example"),
    )
    reply = outbox.queue_reply(
        request=request, template=None, subject="Re: hi", body="Hallo Zoë", by=UserFactory()
    )
    assert reply.status == Reply.Status.QUEUED
    Reply.objects.filter(pk=reply.pk).update(send_after=timezone.now() - timedelta(hours=2))

    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["outbox"]["ok"] is False
    assert body["checks"]["outbox"]["age_seconds"] >= 7200
    assert body["checks"]["mailbox"]["ok"] is False
    assert body["checks"]["mailbox"]["limit_seconds"] == 300
    assert body["checks"]["worker"]["ok"] is True
    text = response.content.decode()
    for private in ("zoe@mail.example", "Zoë", "Ünal", "Secret subject", "Hallo", "jobs"):
        assert private not in text


def test_a_recent_mailbox_poll_and_a_fresh_queued_reply_are_healthy(client, worked, settings):
    settings.IMAP_HOST = "imap.example"
    MailboxState.objects.create(
        host="imap.example",
        user=settings.IMAP_USER,
        folder=settings.IMAP_FOLDER,
        uidvalidity=1,
        last_polled_at=timezone.now() - timedelta(seconds=30),
    )
    outbox.queue_reply(
        request=CandidateRequestFactory(), template=None, subject="Re", body="x", by=UserFactory()
    )
    response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["checks"]["mailbox"]["age_seconds"] < 60
    assert body["checks"]["outbox"]["age_seconds"] < 60
