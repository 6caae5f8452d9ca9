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
    """Daily: the retention sweep (the same as `manage.py purge_expired`): old funnel
    requests, and talent pool people without consent."""
    from triage.services import privacy

    privacy.purge_expired(days=days)
    privacy.purge_lapsed_consent()


@task()
def notify_assignee(request_id: int) -> None:
    """Email a hiring manager the request just assigned to them."""
    from triage.services import assignment

    assignment.notify_assignee(request_id)
