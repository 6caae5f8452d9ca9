"""Reads for the outbox (replies not yet, or not certainly, delivered) and for the
messages kept aside (quarantine, machine mail, blocked senders)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q

from triage.models import QuarantinedMessage, Reply
from triage.selectors.paging import keyset_page
from triage.services import outbox as outbox_service

PAGE_SIZE = 25
BULK_NAMED = 500  # the bulk progress page names this many people, then counts the rest

# The outbox page's tabs: what needs a recruiter first, then what is still on its way.
OUTBOX_TABS = {
    "unknown": ("Check before resending", [Reply.Status.UNKNOWN]),
    "failed": ("Failed", [Reply.Status.FAILED]),
    "bounced": ("Bounced", [Reply.Status.BOUNCED]),  # sent, and a bounce came back
    "pending": ("On the way", [Reply.Status.QUEUED, Reply.Status.SENDING]),
}


# What an outbox row shows.
ROW_FIELDS = (
    "id",
    "request_id",
    "subject",
    "status",
    "attempts",
    "to_email",
    "created_at",
    "bounced_address",
    "error",
    "request__candidate__name",
    "sent_by__username",
    "sent_by__first_name",
    "sent_by__last_name",
)


def outbox_page(*, kind: str | None, before=None, after=None) -> dict:
    """Replies that have not (yet, or certainly) reached the candidate, by tab, newest
    first by keyset; and, once, a mail setting that stops every send (the replies wait in
    the queue meanwhile). Counted over the outbox's own statuses only (an index range), never
    over every reply ever sent."""
    kind = kind if kind in OUTBOX_TABS else "unknown"
    waiting = Reply.objects.filter(
        status__in=[status for _, statuses in OUTBOX_TABS.values() for status in statuses]
    )
    counts = waiting.aggregate(
        **{
            key: Count("pk", filter=Q(status__in=statuses))
            for key, (_, statuses) in OUTBOX_TABS.items()
        },
        waiting_for_settings=Count("pk", filter=WAITING_FOR_SETTINGS),
    )
    rows = (
        Reply.objects.filter(status__in=OUTBOX_TABS[kind][1])
        .select_related("request__candidate", "sent_by")
        .only(*ROW_FIELDS)
    )
    return {
        "kind": kind,
        "tabs": [(key, label, counts[key]) for key, (label, _) in OUTBOX_TABS.items()],
        "page": keyset_page(
            rows, total=counts[kind], before=before, after=after, field="created_at"
        ),
        "config_error": config_error(counts["waiting_for_settings"]),
    }


WAITING_FOR_SETTINGS = Q(
    status=Reply.Status.QUEUED, error__startswith=outbox_service.WAITING_FOR_SETTINGS
)


def config_error(waiting: int) -> dict | None:
    """The newest "waiting for the mail settings" reason, when `waiting` replies wait on it."""
    if not waiting:
        return None
    newest = (
        Reply.objects.filter(WAITING_FOR_SETTINGS)
        .order_by("-sending_started_at")
        .values_list("error", flat=True)
        .first()
    )
    reason = (newest or "").removeprefix(outbox_service.WAITING_FOR_SETTINGS)
    return {"reason": reason, "count": waiting}


def quarantine_page(*, kind: str | None, page_number) -> dict:
    """Messages kept aside: failed ones with their error, machine mail, blocked senders."""
    kind = kind or QuarantinedMessage.Kind.FAILED
    rows = QuarantinedMessage.objects.filter(resolved_at=None).defer("raw")
    counts = rows.aggregate(
        **{value: Count("pk", filter=Q(kind=value)) for value in QuarantinedMessage.Kind.values}
    )
    return {
        "kind": kind,
        "tabs": [(v, label, counts[v]) for v, label in QuarantinedMessage.Kind.choices],
        "page": Paginator(rows.filter(kind=kind), PAGE_SIZE).get_page(page_number),
    }


def bulk_replies(bulk, *, limit: int = BULK_NAMED) -> list[Reply]:
    """A bulk's replies with who each one is to and its request, in the order they were
    queued: the progress page names everyone (one query)."""
    return list(bulk.replies.select_related("request__candidate").order_by("pk")[:limit])
