"""Background work. Each task takes an id, loads the row and calls one service."""

from django.tasks import task

from triage import services


@task()
def send_reply(reply_id: int) -> None:
    services.send_reply(reply_id)
