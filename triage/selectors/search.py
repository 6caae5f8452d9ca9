"""Full-text search over requests: the one search function the inbox, its counts and the
bulk reply's "all that match" use. SQLite FTS5 or PostgreSQL full text (triage/fulltext.py),
over the person's name and email, the subject, the body and the attachments' names and text,
each word typed taken as a word prefix."""

from __future__ import annotations

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


def ranked(requests: QuerySet[CandidateRequest], query: str) -> QuerySet[CandidateRequest]:
    """`matching()`, best match first (newest among equals), each row with `search_rank`.
    Keep it lean (ids): a database works out every column of every match it sorts, so
    `shown()` reads the page's rows and snippets once their ids are known."""
    return (
        matching(requests, query)
        .annotate(search_rank=fulltext.SearchRank(F("search_entry__document"), query))
        .order_by("-search_rank", "-received_at", "-pk")
    )


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
