"""Signal receivers: django-anymail announces inbound mail with a signal, so this is the one
place a signal starts work. It only hands the message to the intake service."""

from anymail.signals import inbound
from django.dispatch import receiver

from triage.services.inbound import ingest_inbound


@receiver(inbound, dispatch_uid="triage.ingest_inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    ingest_inbound(message=event.message, esp_name=esp_name, event_id=event.event_id)
