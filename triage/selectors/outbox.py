"""Reads for the outbox (replies not yet, or not certainly, delivered) and for the
messages kept aside (quarantine, machine mail, blocked senders)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q, Value

from triage.models import QuarantinedMessage, Reply
from triage.selectors.paging import keyset_page
from triage.services import outbox as outbox_service

PAGE_SIZE = 25
BULK_NAMED = 500  # the bulk progress page names this many people, then counts the rest

# The outbox page's tabs (Reply.OUTBOX_TABS: which statuses each shows), by their labels.
OUTBOX_TAB_LABELS = {
    "unknown": "Check before resending",
    "failed": "Failed",
    "bounced": "Bounced",
    "pending": "On the way",
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
    the queue meanwhile). Read from reply_outbox_tab_newest, which holds the outbox's own
    rows only, not every reply ever sent."""
    count_of, waiting = tab_counts()
    if kind not in OUTBOX_TAB_LABELS:
        # Opened without a tab: the first one with replies in it, not an empty first tab.
        kind = next((tab for tab in OUTBOX_TAB_LABELS if count_of[tab]), "unknown")
    rows = (
        Reply.objects.filter(outbox_tab=kind)
        .select_related("request__candidate", "sent_by")
        .only(*ROW_FIELDS)
    )
    return {
        "kind": kind,
        "tabs": [(tab, label, count_of[tab]) for tab, label in OUTBOX_TAB_LABELS.items()],
        "page": keyset_page(
            rows, total=count_of[kind], before=before, after=after, field="created_at"
        ),
        "config_error": config_error(waiting),
    }


def tab_counts() -> tuple[dict[str, int], int]:
    """Replies in each outbox tab, and how many of those on their way wait for the mail
    settings, in one query of two parts: the tabs counted from reply_outbox_tab_newest
    alone, the waiting ones from the rows on their way only (their error is in the table)."""
    per_tab = (
        Reply.objects.filter(outbox_tab__isnull=False)
        .values_list("outbox_tab")
        .annotate(Count("pk"))
        .order_by()
    )
    waiting = (
        Reply.objects.filter(WAITING_FOR_SETTINGS, outbox_tab="pending")
        .annotate(tab=Value(WAITING))
        .values_list("tab")
        .annotate(Count("pk"))
        .order_by()
    )
    counts = dict(per_tab.union(waiting, all=True).order_by())
    return {tab: counts.get(tab, 0) for tab in OUTBOX_TAB_LABELS}, counts.get(WAITING, 0)


WAITING = "waiting for the settings"  # no tab's name
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
    """Messages kept aside: failed ones with their error, machine mail, blocked senders.
    Read and counted from quarantine_open_newest (the rows still kept aside)."""
    kind = kind or QuarantinedMessage.Kind.FAILED
    rows = QuarantinedMessage.objects.filter(resolved_at=None).defer("raw")
    counts = dict(rows.values_list("kind").annotate(Count("pk")).order_by())
    paginator = Paginator(rows.filter(kind=kind), PAGE_SIZE)
    paginator.count = counts.get(kind, 0)  # a cached_property: counted above already
    return {
        "kind": kind,
        "tabs": [(v, label, counts.get(v, 0)) for v, label in QuarantinedMessage.Kind.choices],
        "page": paginator.get_page(page_number),
    }


def bulk_replies(bulk, *, limit: int = BULK_NAMED) -> list[Reply]:
    """A bulk's replies with who each one is to and its request, in the order they were
    queued: the progress page names everyone (one query)."""
    return list(bulk.replies.select_related("request__candidate").order_by("pk")[:limit])
