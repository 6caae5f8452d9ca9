"""The scheduler: due jobs are enqueued through django.tasks once per run, however many
schedulers are running, and nothing that is not due."""

import threading
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from triage import periodic, tasks
from triage.models import PeriodicJob

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
# A fixed moment: 10:00 UTC, after the 03:30 purge and the 07:00 digest of that day.
MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def db_tasks(settings):
    """The real task backend: an enqueued job is a row the worker would pick up."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TIME_ZONE = "UTC"


def enqueued(task) -> int:
    return DBTaskResult.objects.filter(task_path=task.module_path).count()


def test_a_new_interval_job_is_enqueued_at_once_and_daily_ones_wait_for_their_hour():
    outcomes = periodic.run_due(now=MORNING)

    assert [o.job for o in outcomes if o.enqueued] == [
        "sweep_stuck_replies",
        "compact_inbox_counts",
        "store_rule_stats",
    ]
    assert enqueued(tasks.sweep_stuck_replies) == 1
    assert enqueued(tasks.send_follow_up_digests) == 0
    assert enqueued(tasks.purge_expired) == 0
    digest = PeriodicJob.objects.get(name="send_follow_up_digests")
    assert digest.next_run_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert PeriodicJob.objects.get(name="purge_expired").next_run_at == datetime(
        2026, 11, 24, 3, 30, tzinfo=UTC
    )


def test_a_due_job_is_enqueued_once_and_not_again_until_its_next_slot():
    periodic.run_due(now=MORNING)
    periodic.run_due(now=MORNING + timedelta(minutes=1))
    periodic.run_due(now=MORNING + timedelta(minutes=4, seconds=59))
    assert enqueued(tasks.sweep_stuck_replies) == 1

    DBTaskResult.objects.update(status="SUCCESSFUL")  # the worker ran it
    periodic.run_due(now=MORNING + timedelta(minutes=5))
    assert enqueued(tasks.sweep_stuck_replies) == 2


def test_daily_jobs_run_once_when_their_hour_comes():
    periodic.run_due(now=MORNING)

    periodic.run_due(now=datetime(2026, 11, 24, 6, 59, tzinfo=UTC))
    assert enqueued(tasks.send_follow_up_digests) == 0
    assert enqueued(tasks.purge_expired) == 1  # 03:30 has passed

    periodic.run_due(now=datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    periodic.run_due(now=datetime(2026, 11, 24, 7, 1, tzinfo=UTC))
    assert enqueued(tasks.send_follow_up_digests) == 1
    digest = PeriodicJob.objects.get(name="send_follow_up_digests")
    assert digest.next_run_at == datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


def test_a_daily_job_keeps_its_local_hour_across_a_dst_change(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    job = periodic.Job("x", tasks.purge_expired, daily_at=time(7, 0))

    # Berlin leaves summer time on 25 October 2026: 07:00 is 05:00 UTC before, 06:00 after.
    before = job.next_after(datetime(2026, 10, 23, 8, 0, tzinfo=berlin))
    after = job.next_after(before)

    assert before.astimezone(UTC).hour == 5 and after.astimezone(UTC).hour == 6
    assert before.astimezone(berlin).hour == after.astimezone(berlin).hour == 7


def test_a_scheduler_that_read_a_stale_row_does_not_enqueue_it_again():
    periodic.run_due(now=MORNING)
    DBTaskResult.objects.update(status="SUCCESSFUL")
    due = MORNING + timedelta(minutes=5)
    job = next(j for j in periodic.jobs() if j.name == "sweep_stuck_replies")
    # Scheduler A reads the row; scheduler B claims and enqueues before A gets to it.
    row_seen_by_a = PeriodicJob.objects.get(name=job.name)
    periodic.run_due(now=due)

    assert periodic._claim_and_enqueue(job, row_seen_by_a, due) is None
    assert enqueued(tasks.sweep_stuck_replies) == 2  # the first run and B's, not A's


@pytest.mark.django_db(transaction=True)
def test_schedulers_running_at_the_same_moment_enqueue_each_run_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    start = threading.Barrier(4)
    errors = []

    def scheduler():
        try:
            start.wait()
            periodic.run_due(now=datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
        except Exception as error:  # surfaced below: a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    PeriodicJob.objects.create(
        name="send_follow_up_digests",
        schedule="daily 07:00",
        next_run_at=datetime(2026, 11, 24, 7, 0, tzinfo=UTC),
    )
    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert enqueued(tasks.send_follow_up_digests) == 1
    assert enqueued(tasks.sweep_stuck_replies) == 1


def test_a_run_still_waiting_for_the_worker_is_not_queued_twice():
    periodic.run_due(now=MORNING)  # enqueued, but no worker has run it

    outcomes = periodic.run_due(now=MORNING + timedelta(minutes=5))

    assert enqueued(tasks.sweep_stuck_replies) == 1
    sweep = [o for o in outcomes if o.job == "sweep_stuck_replies"]
    assert [(o.job, o.enqueued) for o in sweep] == [("sweep_stuck_replies", False)]
    assert "previous run has not finished" in sweep[0].why


def test_a_run_abandoned_by_a_killed_worker_does_not_block_the_job():
    periodic.run_due(now=MORNING)
    # A worker picked it up and was killed: the row says RUNNING for ever.
    DBTaskResult.objects.update(status="RUNNING", started_at=MORNING)

    still_running = periodic.run_due(now=MORNING + timedelta(minutes=30))
    abandoned = periodic.run_due(now=MORNING + periodic.ABANDONED_AFTER + timedelta(minutes=1))

    assert [o.enqueued for o in still_running if o.job == "sweep_stuck_replies"] == [False]
    assert [o.enqueued for o in abandoned if o.job == "sweep_stuck_replies"] == [True]
    assert enqueued(tasks.sweep_stuck_replies) == 2


def test_a_disabled_job_is_not_enqueued_and_adding_one_is_one_line(monkeypatch):
    schedule = periodic.jobs

    def with_extra_jobs():
        return [
            *schedule(),
            periodic.Job("mailbox_off", tasks.purge_expired, every=timedelta(1), enabled=False),
            periodic.Job("hourly_purge", tasks.purge_expired, every=timedelta(hours=1)),
        ]

    monkeypatch.setattr(periodic, "jobs", with_extra_jobs)

    outcomes = periodic.run_due(now=MORNING)

    assert sorted(o.job for o in outcomes) == [
        "compact_inbox_counts",
        "hourly_purge",
        "store_rule_stats",
        "sweep_stuck_replies",
    ]
    assert not PeriodicJob.objects.filter(name="mailbox_off").exists()


def test_a_changed_interval_reschedules_from_the_last_run(monkeypatch):
    periodic.run_due(now=MORNING)
    DBTaskResult.objects.update(status="SUCCESSFUL")
    schedule = periodic.jobs

    def sweep_every_minute():
        return [
            periodic.Job(j.name, j.task, every=timedelta(minutes=1))
            if j.name == "sweep_stuck_replies"
            else j
            for j in schedule()
        ]

    monkeypatch.setattr(periodic, "jobs", sweep_every_minute)
    periodic.run_due(now=MORNING + timedelta(minutes=1))

    row = PeriodicJob.objects.get(name="sweep_stuck_replies")
    assert row.schedule == "every 60s"
    assert enqueued(tasks.sweep_stuck_replies) == 2


def test_a_job_needs_exactly_one_kind_of_schedule():
    with pytest.raises(ValueError, match="either every= or daily_at="):
        periodic.Job("x", tasks.purge_expired)
    with pytest.raises(ValueError, match="either every= or daily_at="):
        periodic.Job("x", tasks.purge_expired, every=timedelta(1), daily_at=time(1))


def test_the_command_runs_one_pass_and_says_what_it_enqueued():
    out = StringIO()
    call_command("run_periodic", "--once", stdout=out)

    assert out.getvalue().startswith("sweep_stuck_replies: enqueued as ")
    assert enqueued(tasks.sweep_stuck_replies) == 1

    out = StringIO()
    call_command("run_periodic", "--once", stdout=out)
    assert out.getvalue() == ""
    assert enqueued(tasks.sweep_stuck_replies) == 1
