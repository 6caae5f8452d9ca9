"""PostgreSQL: keep the search index's pending list short.

A GIN index with fastupdate (the default) puts new entries in a pending list, merged into
the index only by a vacuum or once the list passes gin_pending_list_limit (4 MB). Every
search reads that whole list, and the planner prices it in: at 10,000 requests, right after
an import, the saved search's count on every inbox page scanned the whole search table
(19 ms) instead of the index (0.5 ms). At 64 kB (the least allowed) a search reads a few
pages of it at most, and an insert that fills it merges a few dozen documents: writes stay
cheap, bulk imports still batch."""

from django.db import migrations

LIMIT_KB = 64


def shorten(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite's FTS5 has no such list
    schema_editor.execute(
        f"ALTER INDEX triage_search_document SET (gin_pending_list_limit = {LIMIT_KB})"
    )
    schema_editor.execute("SELECT gin_clean_pending_list('triage_search_document')")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX triage_search_document RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("triage", "0035_outbox_tab_and_kept_aside")]

    operations = [migrations.RunPython(shorten, restore)]
