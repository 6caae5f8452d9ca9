"""What /healthz reports: is the database answering, is a task worker running, is the
outbox moving, is the mailbox being read. Ages and counts only: never a name, an address or
a subject, since the endpoint needs no login."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Min
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from triage.models import MailboxState, PeriodicJob, Reply


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str  # what was found, in words, for whoever reads the JSON
    age_seconds: float | None = None  # how old the newest sign of life is (or the oldest item)
    limit_seconds: float | None = None  # older than this is stale

    def as_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class Health:
    checks: dict[str, Check]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks.values())

    def as_json(self) -> dict:
        return {
            "status": "ok" if self.ok else "unhealthy",
            "checks": {name: check.as_json() for name, check in self.checks.items()},
        }


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round(max((now - moment).total_seconds(), 0.0), 1)


def _fresh(name: str, moment: datetime | None, limit: timedelta, now: datetime) -> Check:
    limit_seconds = limit.total_seconds()
    age = _age(moment, now)
    if age is None:
        return Check(ok=False, detail=f"no {name} yet", limit_seconds=limit_seconds)
    ok = age <= limit_seconds
    return Check(
        ok=ok,
        detail=f"last {name} {age:.0f}s ago" + ("" if ok else " (stale)"),
        age_seconds=age,
        limit_seconds=limit_seconds,
    )


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The error's class only: its text may carry the host or the user name.
        return Check(ok=False, detail=f"query failed: {type(error).__name__}")
    return Check(ok=True, detail="query answered")


def worker_check(now: datetime) -> Check:
    """The worker's heartbeat is the newest task it finished: the scheduler enqueues the
    stuck-reply sweep every 5 minutes, so a running worker finishes one at least that often."""
    newest = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).aggregate(newest=Max("finished_at"))["newest"]
    return _fresh(
        "finished task",
        newest,
        timedelta(seconds=settings.HEALTH_WORKER_STALE_SECONDS),
        now,
    )


def scheduler_check(now: datetime) -> Check:
    newest = PeriodicJob.objects.aggregate(newest=Max("last_enqueued_at"))["newest"]
    return _fresh(
        "scheduled run",
        newest,
        timedelta(seconds=settings.HEALTH_SCHEDULER_STALE_SECONDS),
        now,
    )


def outbox_check(now: datetime) -> Check:
    """The oldest reply waiting to go out, counted from when it may be sent (after its undo
    delay): old means the worker is not sending."""
    limit = settings.HEALTH_QUEUED_REPLY_STALE_SECONDS
    waiting = Reply.objects.filter(status=Reply.Status.QUEUED)
    # A reply is due from its undo delay's end, or from when it was queued when it has none.
    oldest_due = waiting.filter(send_after__isnull=False).aggregate(oldest=Min("send_after"))
    oldest_queued = waiting.filter(send_after__isnull=True).aggregate(oldest=Min("created_at"))
    moments = [m for m in (oldest_due["oldest"], oldest_queued["oldest"]) if m is not None]
    if not moments:
        return Check(ok=True, detail="no reply queued", limit_seconds=limit)
    age = _age(min(moments), now)
    ok = age <= limit
    return Check(
        ok=ok,
        detail=f"oldest queued reply due {age:.0f}s ago" + ("" if ok else " (stale)"),
        age_seconds=age,
        limit_seconds=limit,
    )


def mailbox_check(now: datetime) -> Check:
    if not settings.IMAP_HOST:
        return Check(ok=True, detail="mailbox polling is off (no IMAP_HOST)")
    newest = MailboxState.objects.filter(
        host=settings.IMAP_HOST, user=settings.IMAP_USER, folder=settings.IMAP_FOLDER
    ).aggregate(newest=Max("last_polled_at"))["newest"]
    # Three missed polls, and never less than 5 minutes: one slow poll is not an outage.
    limit = timedelta(seconds=max(3 * settings.IMAP_POLL_SECONDS, 300))
    return _fresh("mailbox poll", newest, limit, now)


def health(*, now: datetime | None = None) -> Health:
    """Every check; when the database does not answer, the others are not tried (each would
    fail the same way) and say so."""
    now = now or timezone.now()
    database = database_check()
    if not database.ok:
        skipped = Check(ok=False, detail="not checked: the database is not answering")
        return Health(
            checks={
                "database": database,
                "worker": skipped,
                "scheduler": skipped,
                "outbox": skipped,
                "mailbox": skipped,
            }
        )
    try:
        checks = {
            "database": database,
            "worker": worker_check(now),
            "scheduler": scheduler_check(now),
            "outbox": outbox_check(now),
            "mailbox": mailbox_check(now),
        }
    except DatabaseError as error:  # the database went away between the checks
        failed = Check(ok=False, detail=f"query failed: {type(error).__name__}")
        checks = {"database": failed}
    return Health(checks=checks)
