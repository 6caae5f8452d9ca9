"""Signal receivers: django-anymail announces inbound mail with a signal, and triage.events
announces what happened; this is the one place a signal starts work. Each receiver only
hands the event to one service."""

from anymail.signals import inbound
from django.dispatch import receiver

from triage import events
from triage.services import outgoing_webhooks
from triage.services.inbound import ingest_inbound


@receiver(inbound, dispatch_uid="triage.ingest_inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    ingest_inbound(message=event.message, esp_name=esp_name, event_id=event.event_id)


@receiver(events.happened, dispatch_uid="triage.outgoing_webhooks")
def on_event(sender, event, **kwargs):
    """Inside the transaction that made the change: the deliveries commit with it."""
    outgoing_webhooks.record_deliveries(event)
