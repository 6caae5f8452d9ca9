"""In-app notifications, and their email for those who want it.

`notify` subscribes to the domain events (triage.events, connected in triage.receivers) and
writes one row per person to tell, in the transaction of the change itself; email goes
through a task once that commits, never from here. Who is told:

- a new **exceptional** request: every recruiter (it is rare, and anyone may take it);
- a candidate **answered** us: whoever sent our last answer on that request, else every
  recruiter (a rule's reply, a user since removed);
- a hiring manager's **outcome**: the recruiter who assigned the request to them, else every
  recruiter (a rule's action assigned it);
- a reply **failed** or **bounced**: the recruiter who sent it, else every recruiter.

Nobody is told about what they did themselves. Reads: selectors/notifications.py."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from triage import access, events, tasks
from triage.models import (
    Bucket,
    CandidateRequest,
    HiringOutcome,
    Notification,
    RecruiterProfile,
    Reply,
)

log = logging.getLogger(__name__)

KINDS = {
    events.CANDIDATE_ANSWERED: Notification.Kind.ANSWERED,
    events.OUTCOME_RECORDED: Notification.Kind.OUTCOME,
    events.REPLY_FAILED: Notification.Kind.REPLY_FAILED,
    events.REPLY_BOUNCED: Notification.Kind.REPLY_BOUNCED,
}


def kind_of(event: events.Event) -> str | None:
    """The notification an event makes, or None for the events nobody is notified of."""
    if event.name == events.REQUEST_CREATED:
        exceptional = event.data.get("bucket") == Bucket.EXCEPTIONAL
        return Notification.Kind.EXCEPTIONAL if exceptional else None
    return KINDS.get(event.name)


def notify(event: events.Event) -> list[Notification]:
    """Write the notifications `event` makes (none for most events), and queue the email of
    those whose recipient asked for it. Three queries when there is something to tell."""
    kind = kind_of(event)
    if kind is None or event.request_id is None:
        return []
    request = (
        CandidateRequest.objects.select_related("candidate").filter(pk=event.request_id).first()
    )
    if request is None:
        return []
    reply = Reply.objects.filter(pk=event.reply_id).first() if event.reply_id else None
    people = [p for p in _recipients(kind, request, reply) if p.pk != event.actor_id]
    text = describe(kind, request, event)[:300]
    made = Notification.objects.bulk_create(
        [Notification(user=person, kind=kind, request=request, text=text) for person in people]
    )
    emailed = {p.pk for p in people if _wants_email(p)}
    for notification in made:
        if notification.user_id in emailed and notification.pk is not None:
            transaction.on_commit(
                lambda pk=notification.pk: tasks.email_notification.enqueue(pk), robust=True
            )
    return made


def _recipients(kind: str, request: CandidateRequest, reply: Reply | None):
    """The people to tell, each with their settings (one query)."""
    person_id = None
    if kind == Notification.Kind.OUTCOME:
        person_id = request.assigned_by_id
    elif kind in (Notification.Kind.REPLY_FAILED, Notification.Kind.REPLY_BOUNCED):
        person_id = reply.sent_by_id if reply else None
    elif kind == Notification.Kind.ANSWERED:
        last = (
            request.replies.filter(kind=Reply.Kind.ANSWER, sent_by__isnull=False)
            .order_by("-created_at", "-pk")
            .values_list("sent_by", flat=True)
            .first()
        )
        person_id = last
    if person_id is not None:
        # Theirs alone, if they still work here; else the team's.
        users = get_user_model().objects.filter(is_active=True, pk=person_id)
        if people := list(users.select_related("recruiter_profile")):
            return people
    return list(access.recruiters().select_related("recruiter_profile").order_by("pk"))


def _wants_email(user) -> bool:
    profile = getattr(user, "recruiter_profile", None)
    return bool(
        user.email
        and profile is not None
        and profile.notification_email == RecruiterProfile.NotificationEmail.IMMEDIATELY
    )


def describe(kind: str, request: CandidateRequest, event: events.Event) -> str:
    """The notification's line, as the list and the email subject show it."""
    who = request.candidate.name or request.candidate.email
    subject = request.subject or "(no subject)"
    if kind == Notification.Kind.EXCEPTIONAL:
        return f"New exceptional request from {who}: {subject}"
    if kind == Notification.Kind.ANSWERED:
        return f"{who} answered: {subject}"
    if kind == Notification.Kind.OUTCOME:
        outcome = event.data.get("outcome", "")
        label = dict(HiringOutcome.Kind.choices).get(outcome, outcome)
        return f"Outcome for {who}: {label}"
    if kind == Notification.Kind.REPLY_BOUNCED:
        address = event.data.get("address") or "the address"
        return f"Our reply to {who} bounced: {address} could not be reached"
    error = " ".join(str(event.data.get("error", "")).split())
    return f"Our reply to {who} failed: {error}" if error else f"Our reply to {who} failed"


# --- Reading them ------------------------------------------------------------------------------


def mark_read(*, user, pk: int) -> int:
    """Mark one of the user's notifications read; 0 when it is not theirs or read already."""
    mine = Notification.objects.filter(user=user, pk=pk, read_at__isnull=True)
    return mine.update(read_at=timezone.now())


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Email -------------------------------------------------------------------------------------


def email_notification(notification_id: int) -> bool:
    """Email one notification to its user (the task's work). Claimed with a conditional
    UPDATE first, so a task run twice sends it once; False when there is nothing to send
    (already sent, read meanwhile, the user switched email off or has no address)."""
    notification = (
        Notification.objects.select_related("user", "user__recruiter_profile", "request")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not _wants_email(notification.user):
        return False
    claimed = Notification.objects.filter(
        pk=notification.pk, emailed_at__isnull=True, read_at__isnull=True
    ).update(emailed_at=timezone.now())
    if not claimed:
        return False
    context = {"notification": notification, "site_url": settings.SITE_URL.rstrip("/")}
    message = EmailMessage(
        subject=notification.text[:200],
        body=render_to_string("triage/notification_email.txt", context),
        to=[notification.user.email],
    )
    try:
        mailers.default.send_messages([message])
    except Exception:
        # Not sent: let a later run try again, and let the task fail loudly.
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True
