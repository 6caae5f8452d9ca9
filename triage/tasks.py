"""Background work. Each task takes an id, loads the row and calls one service."""

from django.tasks import task

from triage.services import outbox


@task()
def send_reply(reply_id: int) -> None:
    outbox.send_reply(reply_id)


@task()
def send_contact_acknowledgement(request_id: int) -> None:
    """Tell a candidate who used the contact page that we have their message."""
    from triage.services import contact

    contact.send_acknowledgement(request_id)


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
