"""Reads for the dashboard: a few figures per week, each a table (shown, and as CSV) and a
chart drawn from it.

Every figure is aggregated by the database, one query each, so the page costs the same
number of queries for a hundred requests as for a hundred thousand (tests/test_view_dashboard.py
counts them at two sizes). Weeks start on Monday in TIME_ZONE.

Each query reads an index, never the table's rows (EXPLAIN in README, "Dashboard"): a weekly
figure is a UNION ALL of one part per week (`per_week`), each part a range of an index led
by the timestamp, grouped by a plain column; the wait for a first reply is the difference of
two columns the request keeps (`first_replied_at`, set when the answer is sent), in Julian
days on SQLite and epochs on PostgreSQL (`Seconds`; Django's datetime subtraction calls
Python per row on SQLite). `manage.py bench_dashboard` times it at 100,000 requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Round
from django.utils import timezone

from triage.models import Bucket, Candidate, CandidateRequest, HiringOutcome, Reply
from triage.services import rulebook

RANGES = {4: "Last 4 weeks", 12: "Last 12 weeks", 26: "Last 26 weeks", 52: "Last 52 weeks"}
DEFAULT_WEEKS = 12
PERCENTILES = {"median": 50, "p90": 90}


@dataclass(frozen=True)
class Period:
    """Whole weeks, Monday to Sunday, the last one being the current week."""

    start: datetime  # Monday 00:00 of the first week, local time
    end: datetime  # Monday 00:00 after the current week
    weeks: tuple[date, ...]

    @classmethod
    def last(cls, weeks: int, *, now: datetime | None = None) -> Period:
        today = timezone.localtime(now or timezone.now()).date()
        monday = today - timedelta(days=today.weekday())
        first = monday - timedelta(weeks=weeks - 1)
        mondays = tuple(first + timedelta(weeks=n) for n in range(weeks))
        zone = timezone.get_current_timezone()
        start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(monday + timedelta(weeks=1), datetime.min.time(), tzinfo=zone)
        return cls(start=start, end=end, weeks=mondays)

    def bounds(self) -> list[tuple[datetime, datetime]]:
        """Each week's start and end (Monday 00:00 local time, exact across clock changes)."""
        zone = timezone.get_current_timezone()
        starts = [datetime.combine(m, datetime.min.time(), tzinfo=zone) for m in self.weeks]
        return list(zip(starts, [*starts[1:], self.end], strict=True))


@dataclass
class Figure:
    """One figure of the dashboard: its table (what the CSV holds) and how to chart it."""

    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: dict = field(default_factory=dict)  # Chart.js type, labels, datasets (static/js)

    @property
    def data_id(self) -> str:
        """The id of the page's json_script element holding the chart's data."""
        return f"data-{self.key}"

    def csv_rows(self) -> list[list]:
        return [self.columns, *self.rows]


# Stand-ins for a week's bounds and index while the query of one week is compiled.
_MARK_START = datetime(1901, 1, 7, tzinfo=UTC)
_MARK_END = datetime(1901, 1, 14, tzinfo=UTC)
_MARK_WEEK = 987_654_321


def per_week(rows: QuerySet, field_name: str, period: Period, group) -> list[dict]:
    """`group(rows of one week)` (a values() and aggregates) for each week of the period, the
    week's index (0, 1, ...) in `week`, as dicts, in one query: a UNION ALL of one part per
    week. Each part reads its week's range of an index led by `field_name` and groups only
    that week's rows by a column, which both databases do in a few milliseconds (grouping
    the whole period by a computed week, a CASE per row, cost ten times more on SQLite).
    The ORM compiles one week's part, with stand-ins for its bounds; the other weeks repeat
    its SQL with their own parameters (compiling each week's part cost as much as running
    it: 25 ms for 12 weeks, 110 ms for 52)."""
    part = group(
        rows.filter(**{f"{field_name}__gte": _MARK_START, f"{field_name}__lt": _MARK_END}).annotate(
            week=Value(_MARK_WEEK, output_field=IntegerField())
        )
    ).order_by()
    sql, params = part.query.sql_with_params()
    field = rows.model._meta.get_field(field_name)
    marks = {
        field.get_db_prep_value(_MARK_START, connection): 0,
        field.get_db_prep_value(_MARK_END, connection): 1,
        _MARK_WEEK: 2,
    }
    where = {marks[p]: i for i, p in enumerate(params) if _is_mark(p, marks)}
    if len(where) != 3 or sum(_is_mark(p, marks) for p in params) != 3:
        raise RuntimeError(f"per_week: the bounds of {field_name} were not found once each")
    all_params: list = []
    for n, (start, end) in enumerate(period.bounds()):
        week = list(params)
        week[where[0]] = field.get_db_prep_value(start, connection)
        week[where[1]] = field.get_db_prep_value(end, connection)
        week[where[2]] = n
        all_params += week
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([sql] * len(period.weeks)), all_params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _is_mark(param, marks: dict) -> bool:
    try:
        return param in marks
    except TypeError:  # not hashable: never a mark
        return False


class Seconds(Func):
    """`later - earlier` in seconds, computed by the database itself."""

    output_field = FloatField()
    arity = 2

    def _pair(self, compiler):
        later, earlier = (compiler.compile(e) for e in self.source_expressions)
        return later, earlier, (*later[1], *earlier[1])

    def as_sqlite(self, compiler, connection, **extra):
        later, earlier, params = self._pair(compiler)
        return f"((julianday({later[0]}) - julianday({earlier[0]})) * 86400.0)", params

    def as_sql(self, compiler, connection, **extra):
        later, earlier, params = self._pair(compiler)
        return f"EXTRACT(EPOCH FROM ({later[0]} - {earlier[0]}))", params


def _in(period: Period, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


def counts_per_week(
    rows: QuerySet, field_name: str, column: str, period: Period
) -> dict[date, dict[str, int]]:
    """How many rows each week holds per value of `column`: {monday: {value: count}}."""
    counted = per_week(
        rows,
        field_name,
        period,
        lambda week: week.values("week", column).annotate(count=Count("*")),
    )
    by_week: dict[date, dict[str, int]] = {}
    for row in counted:
        by_week.setdefault(period.weeks[row["week"]], {})[row[column]] = row["count"]
    return by_week


def _label(monday: date) -> str:
    return monday.isoformat()


# --- Requests per bucket per week ------------------------------------------------------------


def requests_per_bucket(period: Period) -> Figure:
    by_week = counts_per_week(CandidateRequest.objects.all(), "received_at", "final_bucket", period)
    figure = Figure(
        key="buckets",
        title="Requests per bucket",
        description="Requests received each week, by their bucket now (after any override).",
        columns=["Week", *[b.label for b in Bucket], "Total"],
    )
    for monday in period.weeks:
        counts = [by_week.get(monday, {}).get(b.value, 0) for b in Bucket]
        figure.rows.append([_label(monday), *counts, sum(counts)])
    figure.chart = {
        "type": "bar",
        "stacked": True,
        "labels": [row[0] for row in figure.rows],
        "datasets": [
            {"label": b.label, "key": b.value, "data": [row[i + 1] for row in figure.rows]}
            for i, b in enumerate(Bucket)
        ],
    }
    return figure


# --- Time to first reply ---------------------------------------------------------------------


def _waits(period: Period) -> list[tuple[int, float, int]]:
    """How many requests received in each week of the period waited how many minutes for
    our first answer: rows of (week, minutes, count), as many as there are different waits,
    however many requests share them. One query over one index (`request_first_reply`:
    the arrival and the first reply time each request keeps, set when the answer is sent),
    no join with the replies."""
    rows = per_week(
        CandidateRequest.objects.filter(first_replied_at__isnull=False),
        "received_at",
        period,
        lambda week: (
            week.annotate(minutes=Round(Seconds(F("first_replied_at"), F("received_at")) / 60.0))
            .values("week", "minutes")
            .annotate(count=Count("*"))
        ),
    )
    return [(r["week"], float(r["minutes"]), r["count"]) for r in rows]


def nearest_rank(counts: list[tuple[float, int]], percent: int) -> float:
    """The value of rank ceil(percent/100 * n) in `counts` ((value, how many), sorted by value):
    the nearest-rank percentile, an actual wait, never an average of two."""
    n = sum(count for _, count in counts)
    rank = -(-percent * n // 100)  # ceil, in integers
    seen = 0
    for value, count in counts:
        seen += count
        if seen >= rank:
            return value
    raise ValueError("no values")


def _percentiles(period: Period) -> dict[date, tuple[int, float, float]]:
    """Week -> (requests answered, median wait, 90th percentile wait), waits in minutes.
    One query: the database counts the requests per week and wait, Python walks the counts."""
    per_week: dict[int, list[tuple[float, int]]] = {}
    for week, minutes, count in _waits(period):
        per_week.setdefault(week, []).append((minutes, count))
    result = {}
    for week, counts in per_week.items():
        counts.sort()
        answered = sum(count for _, count in counts)
        median, p90 = (nearest_rank(counts, p) for p in PERCENTILES.values())
        result[period.weeks[week]] = (answered, median, p90)
    return result


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 1)


def reply_times(period: Period) -> Figure:
    found = _percentiles(period)
    figure = Figure(
        key="reply-time",
        title="Time to first reply",
        description=(
            "Hours from a request's arrival to our first answer sent, by the week it arrived: "
            "the median and the 90th percentile (nearest rank, waits in whole minutes) of the "
            "requests answered."
        ),
        columns=["Week", "Answered", "Median (hours)", "90th percentile (hours)"],
    )
    for monday in period.weeks:
        n, median, p90 = found.get(monday, (0, None, None))
        figure.rows.append([_label(monday), n, _hours(median), _hours(p90)])
    figure.chart = {
        "type": "line",
        "unit": "hours",
        "labels": [row[0] for row in figure.rows],
        "datasets": [
            {"label": "Median", "key": "median", "data": [row[2] for row in figure.rows]},
            {"label": "90th percentile", "key": "p90", "data": [row[3] for row in figure.rows]},
        ],
    }
    return figure


# --- Waiting now -----------------------------------------------------------------------------


def oldest_new(*, now: datetime | None = None) -> Figure:
    """The requests waiting in New now, per bucket, and how long the oldest has waited
    (whatever the period: it is about today)."""
    now = now or timezone.now()
    rows = (
        # Every bucket named, so the index led by bucket and status answers from its entries.
        CandidateRequest.objects.filter(
            final_bucket__in=[b.value for b in Bucket], status=CandidateRequest.Status.NEW
        )
        .values("final_bucket")
        .annotate(waiting=Count("pk"), oldest=Min("received_at"))
        .order_by()
    )
    by_bucket = {r["final_bucket"]: r for r in rows}
    figure = Figure(
        key="waiting",
        title="Waiting now",
        description="Requests in New, and the age of the oldest, in days.",
        columns=["Bucket", "New requests", "Oldest received", "Oldest age (days)"],
    )
    for bucket in Bucket:
        row = by_bucket.get(bucket.value)
        if row is None:
            figure.rows.append([bucket.label, 0, "", None])
            continue
        age = (now - row["oldest"]).total_seconds() / 86400
        oldest = timezone.localtime(row["oldest"]).strftime("%Y-%m-%d %H:%M")
        figure.rows.append([bucket.label, row["waiting"], oldest, round(age, 1)])
    ages = [row[3] for row in figure.rows if row[3] is not None]
    figure.chart = {"oldest_days": max(ages) if ages else None}
    return figure


# --- Rules' precision ------------------------------------------------------------------------


def rule_precision(period: Period) -> Figure:
    """Per rule and week: of the requests it decided that a recruiter acted on (answered,
    closed, archived, marked as spam or moved), how many kept the rule's bucket. Untouched
    requests say nothing about a rule yet and are left out."""
    acted_on = (
        ~Q(status=CandidateRequest.Status.NEW)
        | Q(final_bucket_set_at__isnull=False)
        | ~Q(final_bucket=F("suggested_bucket"))
    )
    kept = acted_on & Q(final_bucket=F("suggested_bucket"))
    rows = per_week(
        CandidateRequest.objects.all(),
        "received_at",
        period,
        lambda week: (
            week.values("week", "suggested_rule")
            .annotate(decided=Count("pk", filter=acted_on), kept=Count("pk", filter=kept))
            .filter(decided__gt=0)
        ),
    )
    names = rulebook.titles()
    cells: dict[str, dict[date, tuple[int, int]]] = {}
    for row in rows:
        cells.setdefault(row["suggested_rule"], {})[period.weeks[row["week"]]] = (
            row["kept"],
            row["decided"],
        )
    figure = Figure(
        key="rule-precision",
        title="Rules' precision",
        description=(
            "Of each rule's requests a recruiter acted on (answered, put away or moved), the "
            "share that kept the rule's bucket, per week."
        ),
        columns=["Week", "Rule", "Acted on", "Kept", "Overridden", "Precision (%)"],
    )
    datasets = []
    for key in sorted(cells, key=lambda k: names.get(k, k).lower()):
        series = []
        for monday in period.weeks:
            kept_count, decided = cells[key].get(monday, (0, 0))
            share = round(100 * kept_count / decided, 1) if decided else None
            series.append(share)
            if decided:
                figure.rows.append(
                    [
                        _label(monday),
                        names.get(key, key),
                        decided,
                        kept_count,
                        decided - kept_count,
                        share,
                    ]
                )
        datasets.append({"label": names.get(key, key), "key": key, "data": series})
    figure.rows.sort(key=lambda row: (row[0], row[1].lower()))
    figure.chart = {
        "type": "line",
        "unit": "%",
        "labels": [_label(monday) for monday in period.weeks],
        "datasets": datasets,
    }
    return figure


# --- Network later: where the pool leads -----------------------------------------------------

PATH_STAGES = (
    ("pool", "In the pool (network later)"),
    ("kept_in_touch", "Kept in touch (reply sent)"),
    ("consented", "Agreed to stay in touch"),
    ("told_about_role", "Told about a role that opened"),
    ("talked", "Talked with a hiring manager"),
    ("hiring", "Moved into the hiring process"),
)


def network_path(period: Period) -> Figure:
    """The people whose network-later request arrived in the period, and how far along the
    path the app has seen them go. One query over the period's network-later requests, read
    from an index (`request_bucket_people`): a distinct count of their people per step, each
    step the set of people who reached it, found once by an index of its own (an uncorrelated
    IN, which both databases evaluate once and hash). "Kept in touch" is a network-later
    request of theirs answered: its first reply time set, as an answer sent (bounced or not)
    sets it."""
    in_pool = CandidateRequest.objects.filter(
        _in(period, "received_at"), final_bucket=Bucket.NETWORK
    )
    kept_in_touch = CandidateRequest.objects.filter(
        final_bucket=Bucket.NETWORK, first_replied_at__isnull=False
    ).values("candidate_id")
    consented = Candidate.objects.filter(consent_given_at__isnull=False).values("pk")
    told = Reply.objects.filter(
        kind=Reply.Kind.ROLE_OPENED, status__in=[Reply.Status.SENT, Reply.Status.BOUNCED]
    ).values("candidate_id")
    outcomes = HiringOutcome.objects.values("request__candidate_id")
    talked = outcomes.filter(kind__in=[HiringOutcome.Kind.TALKED, HiringOutcome.Kind.HIRING])
    hiring = outcomes.filter(kind=HiringOutcome.Kind.HIRING)

    def people(reached=None):
        step = None if reached is None else Q(candidate_id__in=reached)
        return Count("candidate_id", distinct=True, filter=step)

    counts = in_pool.aggregate(
        pool=people(),
        kept_in_touch=people(kept_in_touch),
        consented=people(consented),
        told_about_role=people(told),
        talked=people(talked),
        hiring=people(hiring),
    )
    figure = Figure(
        key="network-path",
        title="Network later: where it leads",
        description=(
            "People whose network-later request arrived in the period, and how many of them "
            "the app has seen at each step since (a step may be skipped)."
        ),
        columns=["Step", "People"],
        rows=[[label, counts[key]] for key, label in PATH_STAGES],
    )
    figure.chart = {
        "type": "bar",
        "horizontal": True,
        "labels": [label for _, label in PATH_STAGES],
        "datasets": [{"label": "People", "key": "people", "data": [r[1] for r in figure.rows]}],
    }
    return figure


# --- Replies ---------------------------------------------------------------------------------

REPLY_OUTCOMES = (
    (Reply.Status.SENT, "Sent"),
    (Reply.Status.BOUNCED, "Bounced"),
    (Reply.Status.FAILED, "Failed"),
    (Reply.Status.UNKNOWN, "Unknown"),
)


def reply_outcomes(period: Period) -> Figure:
    by_week = counts_per_week(Reply.objects.all(), "created_at", "status", period)
    figure = Figure(
        key="replies",
        title="Replies sent, bounced and failed",
        description=(
            "Replies written each week, by what became of them: sent, sent and then bounced, "
            "failed, or unknown (the worker stopped mid-send)."
        ),
        columns=["Week", *[label for _, label in REPLY_OUTCOMES]],
    )
    for monday in period.weeks:
        found = by_week.get(monday, {})
        figure.rows.append([_label(monday), *[found.get(s.value, 0) for s, _ in REPLY_OUTCOMES]])
    figure.chart = {
        "type": "bar",
        "stacked": True,
        "labels": [row[0] for row in figure.rows],
        "datasets": [
            {"label": label, "key": status.value, "data": [row[i + 1] for row in figure.rows]}
            for i, (status, label) in enumerate(REPLY_OUTCOMES)
        ],
    }
    return figure


# --- The page --------------------------------------------------------------------------------

FIGURES = {
    "buckets": requests_per_bucket,
    "reply-time": reply_times,
    "rule-precision": rule_precision,
    "network-path": network_path,
    "replies": reply_outcomes,
}


def _computed(weeks: int, now: datetime | None) -> dict:
    """Every figure of the period, with when it was computed. Kept in the cache for
    DASHBOARD_CACHE_SECONDS: the figures move slowly, and computing them over 100,000
    requests still takes a few hundred milliseconds (`manage.py bench_dashboard`)."""
    period = Period.last(weeks, now=now)
    key = f"triage:dashboard:{weeks}:{period.start.isoformat()}"
    seconds = getattr(settings, "DASHBOARD_CACHE_SECONDS", 60)
    if now is None and seconds and (found := cache.get(key)) is not None:
        return found
    computed = {
        "period": period,
        "computed_at": now or timezone.now(),
        "waiting": oldest_new(now=now),
        "figures": [build(period) for build in FIGURES.values()],
    }
    if now is None and seconds:
        cache.set(key, computed, seconds)
    return computed


def figure(key: str, *, weeks: int = DEFAULT_WEEKS) -> Figure | None:
    """One figure by its key (the CSV download), or None for an unknown key."""
    computed = _computed(weeks, None)
    if key == computed["waiting"].key:
        return computed["waiting"]
    return next((f for f in computed["figures"] if f.key == key), None)


def dashboard_page(*, weeks: int = DEFAULT_WEEKS, now: datetime | None = None) -> dict:
    """The page's figures (from the cache when they are fresh; never when `now` is given)."""
    return {"weeks": weeks, **_computed(weeks, now)}
