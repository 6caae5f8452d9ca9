"""Signal receivers, the places a signal starts work: django-anymail announces inbound mail,
and the services announce what happened (triage.events). Each receiver only hands the
signal to one service."""

from anymail.signals import inbound
from django.dispatch import receiver

from triage import events
from triage.services import outgoing_webhooks, pool
from triage.services.inbound import ingest_inbound
from triage.services.notifications import notify


@receiver(inbound, dispatch_uid="triage.ingest_inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    ingest_inbound(message=event.message, esp_name=esp_name, event_id=event.event_id)


@receiver(events.happened, dispatch_uid="triage.outgoing_webhooks")
def deliver_to_webhooks(sender, event, **kwargs):
    """Inside the transaction that made the change: the deliveries commit with it."""
    outgoing_webhooks.record_deliveries(event)


@receiver(events.happened, dispatch_uid="triage.notify")
def notify_people(sender, event, **kwargs):
    """Notifications are written in the transaction that made the change (the signal is sent
    inside it); their email waits for the commit, in a task."""
    notify(event)


@receiver(events.happened, dispatch_uid="triage.pool_on_event")
def on_event_for_the_pool(sender, event, **kwargs):
    pool.on_event(event)
