"""Signal receivers, the places a signal starts work: django-anymail announces inbound mail,
and the services announce what happened (triage.events). Each receiver only hands the
signal to one service."""

from anymail.signals import inbound
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from triage import events
from triage.models import (
    AssistantModel,
    KnownContact,
    NotablePerson,
    Opening,
    ReplyTemplate,
    TriageProfile,
    TriageRule,
)
from triage.services import config_cache, outgoing_webhooks, pool
from triage.services.inbound import ingest_inbound
from triage.services.notifications import notify


@receiver(inbound, dispatch_uid="triage.ingest_inbound")
def on_inbound(sender, event, esp_name, **kwargs):
    ingest_inbound(message=event.message, esp_name=esp_name, event_id=event.event_id)


@receiver(events.happened, dispatch_uid="triage.outgoing_webhooks")
def deliver_to_webhooks(sender, published, **kwargs):
    """Inside the transaction that made the change: the deliveries commit with it."""
    outgoing_webhooks.record_deliveries(published)


@receiver(events.happened, dispatch_uid="triage.notify")
def notify_people(sender, published, **kwargs):
    """Notifications are written in the transaction that made the change (the signal is sent
    inside it); their email waits for the commit, in a task."""
    for event in published:
        notify(event)


@receiver(events.happened_together, dispatch_uid="triage.pool_on_events")
def keep_the_pool_current(sender, batch, **kwargs):
    """One event as it happens, or an import batch's events together at the batch's end."""
    pool.on_events(batch)


# The configuration pages keep in memory (services.config_cache): a write to any of it gives
# the version a new token in the same transaction. (Bulk writes, which send no signals, call
# config_cache.changed() themselves.)
CONFIGURATION = (
    TriageProfile,
    Opening,
    NotablePerson,
    KnownContact,
    ReplyTemplate,
    TriageRule,
    AssistantModel,
    Group,
)


def configuration_changed(sender, **kwargs):
    config_cache.changed()


for model in CONFIGURATION:
    post_save.connect(configuration_changed, sender=model, dispatch_uid=f"config.{model}")
    post_delete.connect(configuration_changed, sender=model, dispatch_uid=f"config-{model}")

# Who is a hiring manager (and their names on the assign form): not a sign-in, which saves
# only last_login.
USER_FIELDS = {"username", "first_name", "last_name", "is_active", "is_superuser"}


@receiver(post_save, sender=get_user_model(), dispatch_uid="config.user")
def user_changed(sender, update_fields=None, **kwargs):
    if update_fields is None or USER_FIELDS & set(update_fields):
        config_cache.changed()


@receiver(post_delete, sender=get_user_model(), dispatch_uid="config.user-deleted")
def user_deleted(sender, **kwargs):
    config_cache.changed()


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="config.groups")
def groups_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        config_cache.changed()
