"""The inbox's counts (InboxCount, kept by database triggers): summing PostgreSQL's rows.

On PostgreSQL every change to requests adds a row of differences rather than updating a
shared counter (so writers never wait on one another); `compact()` replaces them with one
row per key, in one statement that loses nothing added meanwhile. It runs every few minutes
(run_periodic) and after big imports; on SQLite there is one row per key already."""

from __future__ import annotations

from django.db import connection

COMPACT_POSTGRESQL = """
WITH gone AS (DELETE FROM triage_inboxcount RETURNING final_bucket, status, urgent,
                                                      not_candidate, n)
INSERT INTO triage_inboxcount (final_bucket, status, urgent, not_candidate, n)
SELECT final_bucket, status, urgent, not_candidate, sum(n) FROM gone
GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
"""


def compact() -> int:
    """Sum the count rows up, one per key; returns how many rows are left (0 on SQLite,
    where there is nothing to do)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(COMPACT_POSTGRESQL)
        return cursor.rowcount
