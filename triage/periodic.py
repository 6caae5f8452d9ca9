"""Periodic background work: what runs when, and the scheduler tick that enqueues it.

django.tasks runs what is enqueued (`db_worker`) but has no clock. `manage.py run_periodic`
calls `run_due()` in a loop; each due job is enqueued through django.tasks like any other
task, so the worker runs it, retries nothing by itself, and its result is kept.

Exactly once per slot, however many schedulers run: a job is enqueued only by the scheduler
whose conditional UPDATE moved the job's `next_run_at` on from the value it read, in the same
transaction as the enqueue (django-tasks-db writes the task row in the same database).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from triage import tasks
from triage.models import PeriodicJob, WebhookEndpoint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A task enqueued `every` so often, or once a day at `daily_at` (local time, TIME_ZONE)."""

    name: str
    task: Task
    every: timedelta | None = None
    daily_at: time | None = None
    enabled: bool = True  # False leaves the job out, e.g. mailbox polling without IMAP_HOST

    def __post_init__(self):
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"{self.name}: give either every= or daily_at=, not both or neither.")
        if self.every is not None and self.every <= timedelta(0):
            raise ValueError(f"{self.name}: every= must be positive.")

    @property
    def schedule(self) -> str:
        if self.every is not None:
            return f"every {int(self.every.total_seconds())}s"
        return f"daily {self.daily_at:%H:%M}"

    def next_after(self, moment: datetime) -> datetime:
        if self.every is not None:
            return moment + self.every
        # Combined in the local zone each day, so 07:00 stays 07:00 across a DST change.
        zone = timezone.get_current_timezone()
        day = timezone.localtime(moment, zone).date()
        candidate = datetime.combine(day, self.daily_at, tzinfo=zone)
        if candidate <= moment:
            candidate = datetime.combine(day + timedelta(days=1), self.daily_at, tzinfo=zone)
        return candidate

    def first_run(self, now: datetime, last_enqueued_at: datetime | None = None) -> datetime:
        """A new (or rescheduled) job: interval jobs are catch-up work (sweeps, polling), so
        they run now, or one interval after their last run; daily jobs wait for their hour."""
        if self.every is not None:
            return last_enqueued_at + self.every if last_enqueued_at else now
        return self.next_after(now)


def jobs() -> list[Job]:
    """The schedule. Read at every tick, so settings apply; one line per job, and `enabled=`
    makes one conditional on a setting."""
    return [
        Job("sweep_stuck_replies", tasks.sweep_stuck_replies, every=timedelta(minutes=5)),
        Job("compact_inbox_counts", tasks.compact_inbox_counts, every=timedelta(minutes=5)),
        Job("store_rule_stats", tasks.store_rule_stats, every=timedelta(minutes=10)),
        Job("send_follow_up_digests", tasks.send_follow_up_digests, daily_at=time(7, 0)),
        Job("purge_expired", tasks.purge_expired, daily_at=time(3, 30)),
        Job("refresh_statistics", tasks.refresh_statistics, daily_at=time(4, 0)),
        Job(
            "poll_mailbox",
            tasks.poll_mailbox,
            every=timedelta(seconds=settings.IMAP_POLL_SECONDS),
            enabled=bool(settings.IMAP_HOST),
        ),
        # Safety nets: django-tasks-db defers each retry itself; these catch lost tasks.
        Job(
            "send_due_webhooks",
            tasks.send_due_webhooks,
            every=timedelta(minutes=1),
            enabled=WebhookEndpoint.objects.exists(),
        ),
        Job(
            "send_due_ats_exports",
            tasks.send_due_ats_exports,
            every=timedelta(minutes=1),
            enabled=bool(settings.ATS_PROVIDER),
        ),
    ]


@dataclass(frozen=True)
class Outcome:
    job: str
    enqueued: bool
    why: str  # "enqueued as <id>", or why not, for the command's output and the log


def run_due(*, now: datetime | None = None) -> list[Outcome]:
    """Enqueue every enabled job that is due; return what happened to the due ones."""
    now = now or timezone.now()
    outcomes = []
    for job in jobs():
        if not job.enabled:
            continue
        row = _row_for(job, now)
        if row.next_run_at > now:
            continue
        if (outcome := _claim_and_enqueue(job, row, now)) is not None:
            outcomes.append(outcome)
    return outcomes


def seconds_until_next_due(*, now: datetime | None = None, longest: float = 60.0) -> float:
    """How long the scheduler may sleep: until the earliest job is due, at most `longest`
    (so a job added or a schedule changed by another process is noticed soon)."""
    now = now or timezone.now()
    names = [job.name for job in jobs() if job.enabled]
    earliest = (
        PeriodicJob.objects.filter(name__in=names)
        .order_by("next_run_at")
        .values_list("next_run_at", flat=True)
        .first()
    )
    if earliest is None:
        return 0.0 if names else longest
    return max(0.0, min(longest, (earliest - now).total_seconds()))


def _row_for(job: Job, now: datetime) -> PeriodicJob:
    row, _created = PeriodicJob.objects.get_or_create(
        name=job.name, defaults={"schedule": job.schedule, "next_run_at": job.first_run(now)}
    )
    if row.schedule != job.schedule:
        # The interval or the hour changed in the code or a setting: don't wait out the old one.
        PeriodicJob.objects.filter(pk=row.pk, schedule=row.schedule).update(
            schedule=job.schedule, next_run_at=job.first_run(now, row.last_enqueued_at)
        )
        row.refresh_from_db()
    return row


def _claim_and_enqueue(job: Job, row: PeriodicJob, now: datetime) -> Outcome | None:
    with transaction.atomic():
        claimed = PeriodicJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=job.next_after(now)
        )
        if not claimed:
            return None  # another scheduler enqueued this run
        if _still_waiting(job, row.last_result_id, now):
            # The worker has not run the last one yet (stopped, or busy): a second copy would
            # only pile up behind it. The slot is used; the job is due again next time.
            log.warning("Periodic job %s: the previous run has not finished; skipped", job.name)
            return Outcome(job.name, False, "skipped: the previous run has not finished")
        result = job.task.enqueue()
        PeriodicJob.objects.filter(pk=row.pk).update(
            last_enqueued_at=now, last_result_id=str(result.id)
        )
    return Outcome(job.name, True, f"enqueued as {result.id}")


# A run "running" longer than this belonged to a worker that was killed: don't wait for it.
ABANDONED_AFTER = timedelta(hours=1)


def _still_waiting(job: Job, result_id: str, now: datetime) -> bool:
    backend = job.task.get_backend()
    if not result_id or not backend.supports_get_result:
        return False
    try:
        result = backend.get_result(result_id)
    except TaskResultDoesNotExist:
        return False  # pruned, or enqueued on another backend
    if result.status == TaskResultStatus.READY:
        return True
    return result.status == TaskResultStatus.RUNNING and (
        result.started_at is None or now - result.started_at < ABANDONED_AFTER
    )
