"""The inbox's views: the built-in ones (mine, unassigned, due for follow-up, urgent,
waiting on a hiring manager) and the ones recruiters saved, each with how many requests it
holds.

The counts take the same two queries at any size and however many views there are
(`views_for`: the saved views, then every count as a scalar subquery of one SELECT), and
none reads every request:
- a view of buckets, statuses and the urgent or not-a-candidate flag is summed from the
  counts the database keeps (InboxCount): exact, at any size;
- "unassigned" is those counts less the assigned requests, read from a partial index that
  holds only assigned requests: exact;
- any other view (a scope, a search) is counted over at most VIEW_COUNT_CAP + 1 of its
  rows, each from an index that leads to its own rows, and shown as "100+" past the cap,
  as mail clients badge a folder: how many hundreds is not worth reading a table for on
  every page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from triage.flags import FlagName
from triage.models import Bucket, CandidateRequest, HiringOutcome, InboxCount, SavedView
from triage.selectors import search

NEW = CandidateRequest.Status.NEW
SPAM = CandidateRequest.Status.SPAM
Scope = SavedView.Scope

# A search's or a scope's bucket tabs stop counting past this many: "1,000+" (their
# "1-25 of ..." pages go that far).
COUNT_CAP = 1000
# A view beside the inbox counted from its rows stops past this many: "100+". Every inbox
# page counts every view, and a capped count reads up to this many rows, each joined to what
# it is filtered by (the person's follow-up date, a search match): at 1,000 those counts were
# the one part of the page that grew from 10,000 to 100,000 requests on PostgreSQL.
VIEW_COUNT_CAP = 100
# InboxCount's column for each flag it keeps.
FLAG_COUNTS = {FlagName.URGENT.value: "urgent", FlagName.NOT_CANDIDATE.value: "not_candidate"}


@dataclass(frozen=True)
class InboxView:
    key: str  # "mine", or "saved-12"
    name: str
    params: dict  # the inbox's query string: bucket, status, flag, scope, q
    saved: SavedView | None = None
    count: int = 0
    capped: bool = False  # more than `count` (VIEW_COUNT_CAP): counting stopped there

    @property
    def query_string(self) -> str:
        return urlencode({name: value for name, value in self.params.items()})

    @property
    def count_label(self) -> str:
        """The count as the nav shows it: "100+" past the cap."""
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


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
        # recruiter set, else a quarter after the last request or reply. Read from the
        # pool's index (in_pool, follow_up_due): whoever has a network request is in the
        # pool, and without in_pool the count probed every quiet person outside it too.
        today = today or timezone.localdate()
        return Q(
            final_bucket=Bucket.NETWORK,
            candidate__in_pool=True,
            candidate__follow_up_due__lte=today,
        )
    if scope == Scope.WAITING:
        return Q(assigned_to__isnull=False) & ~Exists(
            HiringOutcome.objects.filter(request=OuterRef("pk"))
        )
    return Q()


def view_filter(params: dict, *, user, today: date | None = None) -> Q:
    """A view's whole filter, as the inbox applies it (selectors.requests.inbox_requests for
    status, words and flag, and the scope above), over every bucket unless it names one.
    tests/test_inbox_views.py checks that each view's count is what the inbox then lists."""
    condition = scope_filter(params.get("scope", ""), user=user, today=today)
    if params.get("status"):
        condition &= Q(status=params["status"])
    else:
        condition &= ~Q(status=CandidateRequest.Status.SPAM)
    if params.get("flag"):
        condition &= Q(flags__has_key=params["flag"])
    if words := params.get("q", "").strip():
        # The inbox's own full-text search (search.matching), as a join: the count reads
        # the matches from the search index, not every request. No words: nothing.
        if search.has_words(words):
            condition &= Q(search_entry__document__match=words)
        else:
            condition &= Q(pk__in=[])
    if params.get("bucket"):
        condition &= Q(final_bucket=params["bucket"])
    return condition


def saved_params(saved: SavedView) -> dict:
    params = {"bucket": saved.bucket, "status": saved.status, "flag": saved.flag}
    params |= {"scope": saved.scope, "q": saved.query}
    return {name: value for name, value in params.items() if value or name == "status"}


def views_for(user) -> list[InboxView]:
    """The built-in views, then the shared ones, then the user's own, each with its count.
    Two queries however many views: the saved views, and every count at once."""
    saved = SavedView.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner")
    views = [InboxView(key, name, params) for key, name, params in BUILT_IN]
    views += [
        InboxView(f"saved-{row.pk}", row.name, saved_params(row), saved=row)
        for row in sorted(saved, key=lambda row: (row.owner_id == user.pk, row.name.lower()))
    ]
    # What the counts' SQL depends on, and all it depends on: who asks (mine), the day (due),
    # the cap and each view's filter. Building and compiling a dozen querysets took the ORM
    # longer than the database takes to run them, on every inbox page.
    today = timezone.localdate()
    key = (user.pk, today, VIEW_COUNT_CAP, tuple((v.key, *sorted(v.params.items())) for v in views))
    if (compiled := _compiled_counts.get(key)) is None:
        compiled = compile_counts(_count_querysets(views, user=user, today=today))
        if len(_compiled_counts) >= COMPILED_COUNTS_KEPT:
            _compiled_counts.clear()  # many users or days since: start again
        _compiled_counts[key] = compiled
    counts = run_counts(compiled)
    return [
        InboxView(view.key, view.name, view.params, view.saved, *_count(view, counts))
        for view in views
    ]


# The counts' compiled SQL by what it depends on (views_for), kept in the process.
_compiled_counts: dict[tuple, CompiledCounts] = {}
COMPILED_COUNTS_KEPT = 512


def _count_querysets(views: list[InboxView], *, user, today: date) -> dict[str, QuerySet]:
    """A queryset per count the views need (two for "unassigned": kept less assigned)."""
    wanted: dict[str, QuerySet] = {}
    for view in views:
        if (columns := _kept_columns(view.params)) is None:
            condition = view_filter(view.params, user=user, today=today)
            wanted[view.key] = _capped(condition)
            continue
        wanted[view.key] = _kept(columns, with_status=bool(view.params.get("status")))
        if view.params.get("scope") == Scope.UNASSIGNED:
            wanted[f"{view.key} assigned"] = _assigned(view.params, user=user)
    return wanted


def _kept_columns(params: dict) -> dict | None:
    """The view's filter as InboxCount's columns, or None when those cannot answer it (a
    search, a scope other than unassigned, a flag it does not keep)."""
    if params.get("q", "").strip() or params.get("scope", "") not in ("", Scope.UNASSIGNED):
        return None
    flag = params.get("flag", "")
    if flag and flag not in FLAG_COUNTS:
        return None
    columns = {FLAG_COUNTS[flag]: True} if flag else {}
    if params.get("bucket"):
        columns["final_bucket"] = params["bucket"]
    if params.get("status"):
        columns["status"] = params["status"]
    return columns


def _count(view: InboxView, counts: dict[str, int]) -> tuple[int, bool]:
    """The view's count, and whether counting stopped at the cap."""
    count = counts[view.key]
    if f"{view.key} assigned" in counts:  # unassigned: the kept count less the assigned
        return count - counts[f"{view.key} assigned"], False
    if _kept_columns(view.params) is not None:
        return count, False
    return min(count, VIEW_COUNT_CAP), count > VIEW_COUNT_CAP


def _kept(columns: dict, *, with_status: bool) -> QuerySet:
    """The kept counts' rows that add up to a view's count (spam out unless it asks)."""
    rows = InboxCount.objects.filter(**columns)
    if not with_status:
        rows = rows.exclude(status=SPAM)
    return rows.order_by().values("n")


def _capped(condition: Q) -> QuerySet:
    """The rows a view holds, at most VIEW_COUNT_CAP + 1, in no order (none is sorted)."""
    rows = CandidateRequest.objects.filter(condition).order_by().values("pk")
    return rows[: VIEW_COUNT_CAP + 1]


def _assigned(params: dict, *, user) -> QuerySet:
    """The assigned requests among a view's (all of them: few, and read from the partial
    index request_assigned_state alone), to take from its kept count for "unassigned"."""
    others = {name: value for name, value in params.items() if name != "scope"}
    condition = view_filter(others, user=user) & Q(assigned_to__isnull=False)
    return CandidateRequest.objects.filter(condition).order_by().values("pk")


@dataclass(frozen=True)
class CompiledCounts:
    """One SELECT of a scalar subquery per count (compile_counts), ready to run."""

    sql: str
    params: tuple
    keys: tuple[str, ...]  # the counts it answers, in its columns' order
    empty: tuple[str, ...]  # the counts that cannot match (nothing to run for them)
    using: str


def compile_counts(querysets: dict[str, QuerySet]) -> CompiledCounts:
    """The one query that counts each queryset: the rows of requests it selects, or the sum
    of the kept counts (InboxCount's `n`) it selects."""
    parts, params, empty = {}, [], []
    for key, queryset in querysets.items():
        try:
            sql, values = queryset.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # a search without words
            empty.append(key)
            continue
        total = "COALESCE(SUM(n), 0)" if queryset.model is InboxCount else "COUNT(*)"
        parts[key] = f"(SELECT {total} FROM ({sql}) AS counted)"
        params.extend(values)
    using = next(iter(querysets.values())).db if querysets else "default"
    return CompiledCounts(
        "SELECT " + ", ".join(parts.values()), tuple(params), tuple(parts), tuple(empty), using
    )


def run_counts(compiled: CompiledCounts) -> dict[str, int]:
    counts = dict.fromkeys(compiled.empty, 0)
    if compiled.keys:
        with connections[compiled.using].cursor() as cursor:
            cursor.execute(compiled.sql, compiled.params)
            row = cursor.fetchone()
        counts |= {key: int(n) for key, n in zip(compiled.keys, row, strict=True)}
    return counts


def count_each(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """How many requests each queryset holds, all in one query (a scalar subquery each):
    the rows of requests it selects, or the sum of the kept counts (InboxCount's `n`) it
    selects; 0 for a queryset that cannot match (a search without words)."""
    return run_counts(compile_counts(querysets))


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
