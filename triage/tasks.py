"""Background work. Each task takes an id, loads the row and calls one service."""

from django.tasks import task

from triage.services import outbox


@task()
def send_reply(reply_id: int) -> None:
    outbox.send_reply(reply_id)


@task()
def send_follow_up_digests() -> None:
    """Daily: run `manage.py send_follow_up_digests` from cron; the worker sends them."""
    from django.utils import timezone

    from triage.services import digest

    digest.send_digests(today=timezone.localdate())


@task()
def purge_expired(days: int = 180) -> None:
    """Daily: the retention sweep (the same as `manage.py purge_expired`)."""
    from triage.services import privacy

    privacy.purge_expired(days=days)


@task()
def retriage_requests(run_id: int) -> None:
    """A re-triage a recruiter started from the page (services.retriage.start_run)."""
    from triage.services import retriage

    retriage.run_retriage(run_id)
