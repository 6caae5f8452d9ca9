"""Reads for the outbox (replies not yet, or not certainly, delivered) and for the
messages kept aside (quarantine, machine mail, blocked senders)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.lookups import Exact

from triage.models import WAITING_FOR_SETTINGS, QuarantinedMessage, Reply, error_start
from triage.selectors import inbox_views
from triage.selectors.paging import keyset_page

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
    first by keyset, each tab's count up to COUNT_CAP (`capped_tabs` have more); and, once,
    a mail setting that stops every send (the replies wait in the queue meanwhile). Read
    from reply_outbox_tab_newest, which holds the outbox's own rows only, not every reply
    ever sent."""
    count_of, waiting = tab_counts()
    if kind not in OUTBOX_TAB_LABELS:
        # Opened without a tab: the first one with replies in it, not an empty first tab.
        kind = next((tab for tab in OUTBOX_TAB_LABELS if count_of[tab]), "unknown")
    rows = (
        Reply.objects.filter(outbox_tab=kind)
        .select_related("request__candidate", "sent_by")
        .only(*ROW_FIELDS)
    )
    capped = {tab for tab, count in count_of.items() if count > COUNT_CAP}
    count_of = {tab: min(count, COUNT_CAP) for tab, count in count_of.items()}
    page = keyset_page(rows, total=count_of[kind], before=before, after=after, field="created_at")
    page.total_capped = kind in capped
    return {
        "kind": kind,
        "tabs": [(tab, label, count_of[tab]) for tab, label in OUTBOX_TAB_LABELS.items()],
        "capped_tabs": capped,
        "page": page,
        "config_error": config_error(waiting),
    }


# A tab's count stops here ("100+"): counting a tab reads its rows' index entries, so an
# exact count grows with the outbox (at 100,000 requests the benchmark's outbox holds 4,000
# replies, and the page took half as long again as at 10,000). A recruiter needs to know
# that a tab is long, not by how much.
COUNT_CAP = 100


def tab_counts() -> tuple[dict[str, int], int]:
    """Replies in each outbox tab, each counted up to COUNT_CAP + 1 (more than COUNT_CAP:
    shown as "100+"), and how many of those on their way wait for the mail settings: one
    query, a scalar subquery each, reading at most COUNT_CAP + 1 index entries per tab (of
    the outbox's partial indexes) and only the waiting replies' entries of
    reply_outbox_waiting (none while mail goes out)."""
    counted = {
        tab: Reply.objects.filter(outbox_tab=tab).order_by().values("pk")[: COUNT_CAP + 1]
        for tab in OUTBOX_TAB_LABELS
    }
    counted[WAITING] = (
        Reply.objects.filter(WAITING_REPLIES, outbox_tab="pending").order_by().values("pk")
    )
    counts = inbox_views.count_each(counted)
    return {tab: counts[tab] for tab in OUTBOX_TAB_LABELS}, counts[WAITING]


WAITING = "waiting for the settings"  # no tab's name
# Found through reply_outbox_waiting (the start of the error), not with a LIKE.
WAITING_REPLIES = Q(Exact(error_start(), WAITING_FOR_SETTINGS), status=Reply.Status.QUEUED)


def config_error(waiting: int) -> dict | None:
    """The newest "waiting for the mail settings" reason, when `waiting` replies wait on it."""
    if not waiting:
        return None
    newest = (
        Reply.objects.filter(WAITING_REPLIES)
        .order_by("-sending_started_at")
        .values_list("error", flat=True)
        .first()
    )
    reason = (newest or "").removeprefix(WAITING_FOR_SETTINGS)
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
