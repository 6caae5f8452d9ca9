"""Signal receivers: django-anymail announces inbound mail with a signal, and the domain
events (triage.events) are heard here. Each only hands over to a service."""

from anymail.signals import inbound
from django.dispatch import receiver

from triage import events
from triage.services import pool
from triage.services.inbound import ingest_inbound


@receiver(inbound, dispatch_uid="triage.ingest_inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    ingest_inbound(message=event.message, esp_name=esp_name, event_id=event.event_id)


@receiver(events.happened, dispatch_uid="triage.pool_on_event")
def on_event_for_the_pool(sender, event, **kwargs):
    pool.on_event(event)
