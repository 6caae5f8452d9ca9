"""Background work. Each task takes an id, loads the row and calls one service."""

from django.tasks import task

from triage.services import outbox


@task()
def send_reply(reply_id: int) -> None:
    outbox.send_reply(reply_id)
