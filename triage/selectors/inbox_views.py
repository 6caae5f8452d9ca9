"""The inbox's views: the built-in ones (mine, unassigned, due for follow-up, urgent,
waiting on a hiring manager) and the ones recruiters saved, each with how many requests it
holds. All the counts come from one query (a conditional aggregate per view), so the nav
costs the same however many views there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from triage.flags import FlagName
from triage.models import Bucket, CandidateRequest, HiringOutcome, SavedView
from triage.selectors import search

NEW = CandidateRequest.Status.NEW
Scope = SavedView.Scope


@dataclass(frozen=True)
class InboxView:
    key: str  # "mine", or "saved-12"
    name: str
    params: dict  # the inbox's query string: bucket, status, flag, scope, q
    saved: SavedView | None = None
    count: int = 0

    @property
    def query_string(self) -> str:
        return urlencode({name: value for name, value in self.params.items()})


# The built-in views. "status" is always in the query string: without it the inbox shows
# only new requests.
BUILT_IN = (
    ("mine", "Mine", {"scope": Scope.MINE, "status": ""}),
    ("unassigned", "Unassigned", {"scope": Scope.UNASSIGNED, "status": NEW}),
    ("due", "Due for follow-up", {"scope": Scope.DUE, "status": ""}),
    ("urgent", "Urgent", {"flag": FlagName.URGENT.value, "status": NEW}),
    ("waiting", "Waiting on a hiring manager", {"scope": Scope.WAITING, "status": ""}),
)


def scope_filter(scope: str, *, user, today: date | None = None) -> Q:
    """The requests a scope keeps (any Q: the empty scope keeps everything).

    - mine: assigned to me, or that I assigned, moved to another bucket or put away;
    - unassigned: no hiring manager has it;
    - due: network-later requests whose person is due a follow-up (the date a recruiter
      set, else a quarter after the last request or reply, as the talent pool counts it);
    - waiting: assigned to a hiring manager who has recorded no outcome yet."""
    if scope == Scope.MINE:
        return (
            Q(assigned_to=user)
            | Q(assigned_by=user)
            | Q(final_bucket_set_by=user)
            | Q(put_away_by=user)
        )
    if scope == Scope.UNASSIGNED:
        return Q(assigned_to__isnull=True)
    if scope == Scope.DUE:
        # The date the talent pool keeps on the person (services.pool.refresh): the one a
        # recruiter set, else a quarter after the last request or reply. An indexed column,
        # so the view's count does not read every request's history.
        today = today or timezone.localdate()
        return Q(final_bucket=Bucket.NETWORK, candidate__follow_up_due__lte=today)
    if scope == Scope.WAITING:
        return Q(assigned_to__isnull=False) & ~Exists(
            HiringOutcome.objects.filter(request=OuterRef("pk"))
        )
    return Q()


def view_filter(params: dict, *, user) -> Q:
    """A view's whole filter, as the inbox applies it (selectors.requests.inbox_requests for
    status, words and flag, and the scope above), over every bucket unless it names one.
    tests/test_inbox_views.py checks that each view's count is what the inbox then lists."""
    condition = scope_filter(params.get("scope", ""), user=user)
    if params.get("status"):
        condition &= Q(status=params["status"])
    else:
        condition &= ~Q(status=CandidateRequest.Status.SPAM)
    if params.get("flag"):
        condition &= Q(flags__has_key=params["flag"])
    if words := params.get("q", "").strip():
        # The inbox's own full-text search, as a subquery: each count stays one CASE.
        condition &= Q(pk__in=search.matching(CandidateRequest.objects.all(), words).values("pk"))
    if params.get("bucket"):
        condition &= Q(final_bucket=params["bucket"])
    return condition


def saved_params(saved: SavedView) -> dict:
    params = {"bucket": saved.bucket, "status": saved.status, "flag": saved.flag}
    params |= {"scope": saved.scope, "q": saved.query}
    return {name: value for name, value in params.items() if value or name == "status"}


def views_for(user) -> list[InboxView]:
    """The built-in views, then the shared ones, then the user's own, each with its count.
    Two queries: the saved views, and every count at once."""
    saved = SavedView.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner")
    views = [InboxView(key, name, params) for key, name, params in BUILT_IN]
    views += [
        InboxView(f"saved-{row.pk}", row.name, saved_params(row), saved=row)
        for row in sorted(saved, key=lambda row: (row.owner_id == user.pk, row.name.lower()))
    ]
    counts = CandidateRequest.objects.aggregate(
        **{view.key: Count("pk", filter=view_filter(view.params, user=user)) for view in views}
    )
    return [
        InboxView(view.key, view.name, view.params, view.saved, counts[view.key]) for view in views
    ]


def active_view(views: list[InboxView], params: dict) -> InboxView | None:
    """The view whose filter is the one on screen (the bucket aside, unless it names one)."""
    shown = {name: value for name, value in params.items() if value}
    for view in views:
        wanted = {name: value for name, value in view.params.items() if value}
        if "bucket" not in wanted:
            shown_here = {name: value for name, value in shown.items() if name != "bucket"}
        else:
            shown_here = shown
        if wanted == shown_here:
            return view
    return None
