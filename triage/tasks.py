"""Background work. Each task takes an id, loads the row and calls one service.

The import rule (README, "Where things live"): services import this module at the top and
enqueue with transaction.on_commit; a task imports the service it runs inside its body. So
this module imports no service at import time, and a service can always import it."""

import logging

from django.tasks import task

log = logging.getLogger(__name__)


@task()
def send_reply(reply_id: int) -> None:
    from triage.services import outbox

    outbox.send_reply(reply_id)


@task()
def send_replies(reply_ids: list[int]) -> None:
    """A batch of a bulk's replies, sent over one connection to the mail server."""
    from triage.services import outbox

    outbox.send_replies(reply_ids)


@task()
def send_contact_acknowledgement(request_id: int) -> None:
    """Tell a candidate who used the contact page that we have their message."""
    from triage.services import contact

    contact.send_acknowledgement(request_id)


@task()
def send_follow_up_digests() -> None:
    """Daily (run_periodic, or `manage.py send_follow_up_digests`): each recruiter's list of
    pool people due for a follow-up today."""
    from django.utils import timezone

    from triage.services import digest

    digest.send_digests(today=timezone.localdate())


@task()
def refresh_statistics() -> None:
    """Daily: the database's statistics, for its query planner (the pool's indexes)."""
    from triage.services import upkeep

    upkeep.refresh_statistics()


@task()
def purge_expired(days: int = 180) -> None:
    """Daily: the retention sweep (the same as `manage.py purge_expired`): old funnel
    requests, talent pool people without consent, and audit entries older than
    AUDIT_RETENTION_DAYS."""
    from triage.services import audit, privacy

    privacy.purge_expired(days=days)
    privacy.purge_lapsed_consent()
    audit.purge_old_entries()


@task()
def poll_mailbox() -> dict:
    """Every IMAP_POLL_SECONDS (the same as `manage.py poll_mailbox`): read new mail from the
    IMAP folder. Nothing to do while IMAP_HOST is unset; a MailboxError fails the task."""
    from triage.services import mailbox

    if not mailbox.is_configured():
        return {}
    return mailbox.poll_mailbox().as_dict()


@task()
def compact_inbox_counts() -> None:
    """Every few minutes (run_periodic): the inbox's counts summed to one row per key."""
    from triage.services import counts

    counts.compact()


@task()
def store_rule_stats() -> None:
    """Every few minutes (run_periodic): the Rules page's figures, kept in RuleFigures."""
    from triage.services import rulebook

    rulebook.store_rule_stats()


@task()
def sweep_stuck_replies() -> None:
    """Every few minutes (run_periodic): a reply left in "sending" by a dead worker becomes
    "unknown" without waiting for the next send to notice it; a queued reply whose task was
    lost (a worker killed mid-drain) and whose time has come is enqueued again."""
    from datetime import timedelta

    from triage.services import outbox

    outbox.sweep_stuck_replies()
    outbox.send_due_replies(grace=timedelta(minutes=1))


@task()
def train_assistant() -> None:
    """Weekly: retrain the assistant on the decisions made since (the same as
    `manage.py train_assistant`). Too few decisions is not an error: it waits for more."""
    from triage import assistant
    from triage.services import assistant as assistant_service

    try:
        assistant_service.train_assistant()
    except assistant.NotEnoughSamples as refusal:
        log.info("Assistant not retrained: %s", refusal)


@task()
def notify_assignee(request_id: int) -> None:
    """Email a hiring manager the request just assigned to them."""
    from triage.services import assignment

    assignment.notify_assignee(request_id)


@task()
def retriage_requests(run_id: int) -> None:
    """A re-triage a recruiter started from the page (services.retriage.start_run)."""
    from triage.services import retriage

    retriage.run_retriage(run_id)


@task()
def deliver_webhook(delivery_id: int) -> None:
    """Post one outgoing webhook delivery (services.outgoing_webhooks)."""
    from triage.services import outgoing_webhooks

    outgoing_webhooks.deliver(delivery_id)


@task()
def send_due_webhooks() -> None:
    """Every minute (run_periodic): webhook retries whose time has come, and deliveries whose
    task was lost."""
    from triage.services import outgoing_webhooks

    outgoing_webhooks.send_due_webhooks()


@task()
def push_to_ats(export_id: int) -> None:
    """Create a person in the applicant tracking system (services.ats)."""
    from triage.services import ats

    ats.push_export(export_id)


@task()
def send_due_ats_exports() -> None:
    """Every minute (run_periodic): ATS hand-offs waiting out a rate limit or a retry."""
    from triage.services import ats

    ats.send_due_exports()


@task()
def email_notification(notification_id: int) -> None:
    """Email a notification to a user who chose email (My settings)."""
    from triage.services import notifications

    notifications.email_notification(notification_id)


@task()
def rebuild_opening_fits(opening_id: int) -> None:
    """A role changed (created, new skills or place, reopened) and its pool is big: rank
    everyone for it again (services/fits.py); its page ranks live until this has run."""
    from triage.services import fits

    fits.rebuild_opening(opening_id)
