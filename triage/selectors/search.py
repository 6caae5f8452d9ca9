"""Full-text search over requests: the one search function the inbox, its counts and the
bulk reply's "all that match" use. SQLite FTS5 or PostgreSQL full text (triage/fulltext.py),
over the person's name and email, the subject, the body and the attachments' names and text,
each word typed taken as a word prefix (a single letter, as in "C++", as a whole word)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet, TextField, Value
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


def read_matches(requests: QuerySet[CandidateRequest], query: str, *, most: int) -> Matches:
    """The matches of `requests` for `query`, at most `most` of them, the most recently
    stored first, each with its bucket and rank (fulltext.SearchRank): one pass over the search
    index that the tabs' counts and the ranked page share, where a query each read every
    match again (four times a page, at a thousand matches most of a search's time). Past
    `most` (a word in thousands of requests), the ranking is of the newest `most` matches:
    a recruiter searches for something recent, and "1,000+" says there is more."""
    rows = (
        matching(requests, query)
        .annotate(search_rank=fulltext.SearchRank(F("search_entry__document"), query))
        # By the search table's key (the request's id): FTS5 walks its index in that
        # order, so the read stops at `most` without sorting every match.
        .order_by(F("search_entry__pk").desc())
        .values_list("pk", "final_bucket", "search_rank", "received_at")
    )
    found = [Found(*row) for row in rows[: most + 1]]
    return Matches(found=found[:most], stopped=len(found) > most)


def shown(rows: QuerySet[CandidateRequest], ids: list[int], query: str) -> list:
    """The rows of `rows` with those ids, in their order, each with `snippet_html`: a piece
    of its matched text, escaped, the matched words in <mark>. One query."""
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
    # Not by the search table's key (rowid IN ids): FTS5 would then evaluate the query
    # once per id, merging every word a prefix such as "example104" stands for each time.
    found = {
        row.pk: row
        for row in matching(rows.filter(pk__in=ids), query)
        .annotate(search_snippet=snippet)
        .order_by()  # in `ids`' order, below: no sort
    }
    shown_rows = [found[pk] for pk in ids if pk in found]
    for row in shown_rows:
        row.snippet_html = mark_safe(fulltext.highlight(row.search_snippet))
    return shown_rows
