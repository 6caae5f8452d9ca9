"""Full-text search over requests: the one search function the inbox, its counts and the
bulk reply's "all that match" use. SQLite FTS5 or PostgreSQL full text (triage/fulltext.py),
over the person's name and email, the subject, the body and the attachments' names and text,
each word typed taken as a word prefix (a word of one or two letters, as in "C++" or "Go",
as a whole word)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.utils.safestring import mark_safe

from triage import fulltext
from triage.models import CandidateRequest

# How much of the body and attachments PostgreSQL cuts a snippet from (FTS5 cuts its own).
SNIPPET_SOURCE_CHARS = 20_000


def has_words(query: str) -> bool:
    """Whether a query has anything to search for (letters or digits)."""
    return bool(fulltext.terms(query))


def matching(requests: QuerySet[CandidateRequest], query: str) -> QuerySet[CandidateRequest]:
    """`requests` narrowed to those matching every word of `query` (none when it has no
    words: "@@" finds nothing rather than everything)."""
    if not has_words(query):
        return requests.none()
    return requests.filter(search_entry__document__match=query)


# A search ranks (best match first) only the newest matches of the bucket shown, this
# many, eight pages: ranking reads each match's document (PostgreSQL's ts_rank_cd unpacks
# it), so ranking every match made a search's cost grow with how many requests hold its
# words. The older matches follow, newest first: a recruiter searches for something recent.
RANKED = 200


def newest(requests: QuerySet[CandidateRequest], query: str) -> QuerySet[CandidateRequest]:
    """The matches, the most recently stored first: by the search table's key (the
    request's id), the order FTS5 walks its index in, so a read that stops after a few
    sorts nothing."""
    return matching(requests, query).order_by(F("search_entry__pk").desc())


def count_matches(
    requests: QuerySet[CandidateRequest], query: str, *, buckets: list[str], most: int
) -> tuple[dict[str, int], bool]:
    """How many of the newest `most` matches are in each bucket, and whether there are
    more than `most` (then every count is "at least"). One query, counted in the database:
    no match is ranked or read into Python."""
    totals = newest(requests, query)[: most + 1].aggregate(
        every=Count("pk"),
        **{bucket: Count("pk", filter=Q(final_bucket=bucket)) for bucket in buckets},
    )
    return {bucket: totals[bucket] for bucket in buckets}, totals["every"] > most


class Ranked:
    """A bucket's matches (`rows` narrowed to a bucket) in the order a search lists them,
    for a Paginator (SQLite's search; PostgreSQL's reads its matches once: read_matches):
    the newest RANKED best first (fulltext.SearchRank: name, email and subject weigh
    most), the newest among equals; then the older ones, newest first.
    Sliced, it reads that page's ids (the ranked ones: all RANKED, sorted here) and then
    its rows with their snippets (`shown`): two queries, whatever the number of matches;
    one when the page holds them all (`total` exact: a name, a rare word)."""

    def __init__(self, rows: QuerySet[CandidateRequest], query: str, *, total: int, exact: bool):
        self.rows, self.query, self.total, self.exact = rows, query, total, exact

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, page: slice) -> list:
        start, stop = page.start or 0, min(page.stop, self.total)
        if start >= stop:
            return []
        if self.exact and start == 0 and page.stop >= self.total:
            rank = fulltext.SearchRank(F("search_entry__document"), self.query)
            found = list(with_snippets(self.rows.annotate(search_rank=rank), self.query))
            found.sort(key=lambda row: (row.search_rank, row.received_at, row.pk), reverse=True)
            return highlighted(found)
        ids = []
        if start < RANKED:
            ids += self.ranked()[start:stop]
        if stop > RANKED:
            older = newest(self.rows, self.query).values_list("pk", flat=True)
            ids += older[max(start, RANKED) : stop]
        return shown(self.rows, ids, self.query)

    def ranked(self) -> list[int]:
        """The ids of the newest RANKED matches, best first, the newest among equals."""
        found = list(
            newest(self.rows, self.query)
            .annotate(search_rank=fulltext.SearchRank(F("search_entry__document"), self.query))
            .values_list("search_rank", "received_at", "pk")[:RANKED]
        )
        found.sort(reverse=True)
        return [pk for _, _, pk in found]


@dataclass(frozen=True)
class Found:
    """One match as the inbox's tabs and its ranked page need it (`read_matches`)."""

    pk: int
    bucket: str
    rank: float
    received_at: datetime


@dataclass(frozen=True)
class Matches:
    """The matches of a search, read once (`read_matches`): counted per bucket and ranked,
    best first, in memory. `stopped`: there were more than were read."""

    found: list[Found]
    stopped: bool

    def count(self, bucket: str) -> int:
        return sum(1 for match in self.found if match.bucket == bucket)

    def ranked(self, bucket: str) -> list[int]:
        """The ids of the bucket's matches, best first (fulltext.SearchRank), newest among
        equals."""
        mine = [match for match in self.found if match.bucket == bucket]
        mine.sort(key=lambda m: (m.rank, m.received_at, m.pk), reverse=True)
        return [match.pk for match in mine]


def read_matches(
    requests: QuerySet[CandidateRequest], query: str, *, most: int, bucket: str | None = None
) -> Matches:
    """The matches of `requests` for `query`, at most `most` of them, the most recently
    stored first, each with its bucket and rank (fulltext.SearchRank; given a `bucket`, the
    one shown, only its matches are ranked, the others 0): one pass over the search index
    that the tabs' counts and the ranked page share (PostgreSQL's search:
    selectors.requests.inbox_page says why). Past `most` (a word in thousands of requests),
    the ranking is of the newest `most` matches."""
    rank = fulltext.SearchRank(F("search_entry__document"), query)
    if bucket is not None:
        rank = Case(When(final_bucket=bucket, then=rank), default=Value(0.0))
    rows = (
        newest(requests, query)
        .annotate(search_rank=rank)
        .values_list("pk", "final_bucket", "search_rank", "received_at")
    )
    found = [Found(*row) for row in rows[: most + 1]]
    return Matches(found=found[:most], stopped=len(found) > most)


def with_snippets(rows: QuerySet[CandidateRequest], query: str) -> QuerySet[CandidateRequest]:
    """The matches among `rows`, each with `search_snippet`: a piece of its matched text,
    the matched words between fulltext.START and STOP (`highlighted` makes it HTML)."""
    text = Left(
        Concat(
            F("search_entry__body"),
            Value(" … "),
            F("search_entry__attachments"),
            output_field=TextField(),
        ),
        SNIPPET_SOURCE_CHARS,
    )
    snippet = fulltext.SearchSnippet(F("search_entry__document"), text, query)
    return matching(rows, query).annotate(search_snippet=snippet)


def highlighted(rows: list) -> list:
    """The rows, each with `snippet_html`: its snippet escaped, the matched words in
    <mark>."""
    for row in rows:
        row.snippet_html = mark_safe(fulltext.highlight(row.search_snippet))
    return rows


def shown(rows: QuerySet[CandidateRequest], ids: list[int], query: str) -> list:
    """The rows of `rows` with those ids, in their order, each with `snippet_html`. One
    query."""
    if not ids:
        return []
    # Not by the search table's key (rowid IN ids): FTS5 would then evaluate the query
    # once per id, merging every word a prefix such as "example104" stands for each time.
    found = {
        row.pk: row
        for row in with_snippets(rows.filter(pk__in=ids), query).order_by()  # no sort: below
    }
    return highlighted([found[pk] for pk in ids if pk in found])
