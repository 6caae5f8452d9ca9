"""The database's statistics about its own tables, which its query planner reads to choose
an index. Without them SQLite guesses, and guesses wrong for the talent pool: it scans every
pool person to find those with a skill instead of reading the skill's index (28 ms instead
of 3 ms at 100,000 requests). PostgreSQL's autovacuum analyzes on its own; this does no harm
there."""

from __future__ import annotations

from django.db import connection


def refresh_statistics() -> None:
    """ANALYZE every table (a second or so at 100,000 requests): daily, and after bulk writes."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
