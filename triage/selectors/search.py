"""Full-text search over requests: the one search function the inbox, its counts and the
bulk reply's "all that match" use. SQLite FTS5 or PostgreSQL full text (triage/fulltext.py),
over the person's name and email, the subject, the body and the attachments' names and text,
each word typed taken as a word prefix (a word of one or two letters, as in "C++" or "Go",
as a whole word)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, FloatField, Q, QuerySet, TextField, Value
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
            # One match (a person's name, most often) needs no ranking: SQLite's bm25 first
            # counts the rows holding each word, a common first name's thousands.
            rank = fulltext.SearchRank(F("search_entry__document"), self.query)
            if self.total == 1:
                rank = Value(0.0, output_field=FloatField())
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


# PostgreSQL's one read of a search's matches (read_matches), from the search table alone:
# it keeps each request's bucket, status and time received (migration 0039), so no match is
# looked up among the requests. The newest matches, numbered overall (`position`, to know
# whether there were more) and within their bucket (the newest RANKED of the buckets ranked
# are `ranked`); then one row per bucket: its ids, newest first, and the rank and time
# received of its ranked ones. Only those are ranked (ts_rank_cd unpacks each document:
# ranking every match grew with them), their documents read again by key (the aggregate's
# FILTER comes first): carrying every match's document through the sorts cost more.
MATCHES_SQL = """
SELECT final_bucket, max(position),
       array_agg(rowid ORDER BY rowid DESC) FILTER (WHERE position <= %s),
       array_agg(
         (SELECT ts_rank_cd(s.triage_search, {tsquery}) FROM triage_search s
          WHERE s.rowid = found.rowid)
         ORDER BY rowid DESC
       ) FILTER (WHERE ranked),
       array_agg(received_at ORDER BY rowid DESC) FILTER (WHERE ranked)
FROM (
  SELECT rowid, final_bucket, received_at, position,
         position <= %s AND final_bucket = ANY(%s)
           AND row_number() OVER (PARTITION BY final_bucket ORDER BY rowid DESC) <= %s
           AS ranked
  FROM (
    SELECT rowid, final_bucket, received_at, row_number() OVER (ORDER BY rowid DESC) AS position
    FROM triage_search
    WHERE triage_search @@ {tsquery} AND {where}
    ORDER BY rowid DESC LIMIT %s
  ) AS newest
) AS found
GROUP BY final_bucket
"""


@dataclass(frozen=True)
class Matches:
    """The matches of a search as the inbox's tabs need them, read at once (`read_matches`):
    each bucket's ids, the most recently stored first, and the rank and time received of
    its newest RANKED (the buckets ranked). `stopped`: there were more than were read."""

    ids: dict[str, list[int]]
    ranks: dict[str, list[tuple[float, datetime, int]]]
    stopped: bool

    def count(self, bucket: str) -> int:
        return len(self.ids.get(bucket, ()))

    def ranked(self, bucket: str) -> list[int]:
        """The bucket's ids in the order a search lists them (as `Ranked`): the newest
        RANKED best first (fulltext.SearchRank), the newest among equals; then the older
        ones, newest first."""
        best = sorted(self.ranks.get(bucket, ()), reverse=True)
        return [pk for *_, pk in best] + self.ids.get(bucket, [])[len(best) :]


def read_matches(
    query: str,
    *,
    status: str,
    most: int,
    buckets: list[str],
    ranked: list[str],
    within: QuerySet[CandidateRequest] | None = None,
) -> Matches:
    """PostgreSQL's search for the inbox (selectors.requests.inbox_page says why): the
    newest `most` matches of `query` in `buckets` with `status` (none: all but spam), among
    `within` if given (a flag or a view's scope), with the newest RANKED of each bucket of
    `ranked` ranked. One query over the search table, counted and ranked in the database:
    past `most` matches (a word in thousands of requests) it stops, and a word in 1% of the
    requests costs about what a rare one does."""
    if not has_words(query):
        return Matches(ids={}, ranks={}, stopped=False)
    words = fulltext.postgresql_query(fulltext.terms(query))
    if status:
        where, params = ["status = %s"], [status]
    else:
        where, params = ["status <> %s"], [CandidateRequest.Status.SPAM]
    where.append("final_bucket = ANY(%s)")
    params.append(list(buckets))
    if within is not None:
        subquery, subquery_params = within.order_by().values("pk").query.sql_with_params()
        where.append(f"rowid IN ({subquery})")
        params.extend(subquery_params)
    tsquery = fulltext.TSQUERY.format("%s")
    sql = MATCHES_SQL.format(tsquery=tsquery, where=" AND ".join(where))
    params = [most, words, most, list(ranked), RANKED, words, *params, most + 1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids, ranks, stopped = {}, {}, False
    for bucket, last, bucket_ids, bucket_ranks, received in rows:
        stopped = stopped or last > most
        ids[bucket] = bucket_ids or []
        ranks[bucket] = list(zip(bucket_ranks or [], received or [], ids[bucket], strict=False))
    return Matches(ids=ids, ranks=ranks, stopped=stopped)


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
    # The page's stretch of the search table too (its lowest id to its highest): FTS5 then
    # reads each word's matches from there, not every match of the word (a word in 1% of
    # 100,000 requests: a thousand, each looked up among the requests) to find a page's few.
    rows = rows.filter(pk__in=ids, search_entry__pk__gte=min(ids), search_entry__pk__lte=max(ids))
    found = {row.pk: row for row in with_snippets(rows, query).order_by()}  # no sort: below
    return highlighted([found[pk] for pk in ids if pk in found])
