"""Pages of long lists. Newest-first lists are read by keyset ("older than this row"), so
the 400th page costs what the first does and a row arriving meanwhile neither repeats nor
hides one; short lists (a search's ranked matches) are paged by number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet

PAGE_SIZE = 25


@dataclass
class ListPage:
    """One page of a long list, read by keyset ("older than this row") so that the 400th
    page costs what the first does; a search's ranked matches are paged by number instead
    (they are few). `older`/`newer` are the query strings of the next pages, "" at an end."""

    rows: list
    total: int
    first: int | None = None  # the first row's position (1-based), when known
    total_capped: bool = False  # counting stopped at `total`: there are more
    older: str = ""
    newer: str = ""

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    @property
    def last(self) -> int | None:
        return self.first + len(self.rows) - 1 if self.first is not None else None


def cursor_of(row, field: str = "received_at") -> str:
    """A row's place in a list newest first by `field`, for `before=`/`after=`."""
    return f"{getattr(row, field).isoformat()}~{row.pk}"


def parse_cursor(value: str | None) -> tuple[datetime, int] | None:
    """A cursor back from the URL; None for anything else (the first page is shown)."""
    moment, _, pk = (value or "").partition("~")
    try:
        when = datetime.fromisoformat(moment)
        return (when, int(pk)) if when.tzinfo is not None and pk.isdigit() else None
    except ValueError:
        return None


def keyset_page(
    rows: QuerySet,
    *,
    total: int,
    before: str | None = None,
    after: str | None = None,
    size: int = PAGE_SIZE,
    field: str = "received_at",
) -> ListPage:
    """A page of `rows` (newest first by `field`, then pk): the newest, or those older
    than `before`, or newer than `after`. One query, reading `size` + 1 rows."""
    older_than, newer_than = parse_cursor(before), parse_cursor(after)
    if newer_than:
        when, pk = newer_than
        chunk = list(
            rows.filter(Q(**{f"{field}__gt": when}) | Q(**{field: when, "pk__gt": pk}))
            .filter(**{f"{field}__gte": when})
            .order_by(field, "pk")[: size + 1]
        )
        more_newer, chunk = len(chunk) > size, chunk[:size][::-1]
        more_older = True
    else:
        if older_than:
            when, pk = older_than
            rows = rows.filter(Q(**{f"{field}__lt": when}) | Q(**{field: when, "pk__lt": pk}))
            rows = rows.filter(**{f"{field}__lte": when})
        chunk = list(rows.order_by(f"-{field}", "-pk")[: size + 1])
        more_older, chunk = len(chunk) > size, chunk[:size]
        more_newer = older_than is not None
    return ListPage(
        rows=chunk,
        total=total,
        first=1 if not (older_than or newer_than) or not more_newer else None,
        older=urlencode({"before": cursor_of(chunk[-1], field)}) if chunk and more_older else "",
        newer=urlencode({"after": cursor_of(chunk[0], field)}) if chunk and more_newer else "",
    )


def numbered_page(
    rows: QuerySet, *, page_number, total: int | None = None, size: int = PAGE_SIZE
) -> ListPage:
    """A page of a short list by its number (a search's matches, in rank order); `total`,
    when the caller counted already, saves counting again."""
    paginator = Paginator(rows, size)
    if total is not None:
        paginator.count = total  # a cached_property: set, it is not computed
    page = paginator.get_page(page_number)
    return ListPage(
        rows=list(page),
        total=page.paginator.count,
        first=page.start_index() if page.paginator.count else 1,
        older=urlencode({"page": page.next_page_number()}) if page.has_next() else "",
        newer=urlencode({"page": page.previous_page_number()}) if page.has_previous() else "",
    )
