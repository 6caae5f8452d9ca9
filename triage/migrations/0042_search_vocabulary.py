"""SQLite: the search index's vocabulary, `triage_search_vocab` (an `fts5vocab` table of the
`instance` kind: a row per place a term is found, in the index's byte order), so that a
search can ask whether any longer term starts with a word typed (triage/fulltext.py,
sqlite_match). Asked whether a row exists, it stops at the first place found; the `row`
kind counts every row of the term first (0.53 ms at 100,000 requests for a "Priya").

A word typed is a prefix. FTS5, with no prefix index, answers a prefix by merging the
lists of every term it covers into one list first, all of it, before the query's words are
combined: a name such as "Priya", in one request of ten, cost a list of every Priya's
requests, growing with the data. Where no longer term starts with the word, the prefix
covers the term alone and the word is searched whole instead, which FTS5 reads only as far
as the other words need. Nothing is stored: the table reads the index itself.

PostgreSQL: nothing (its search is a GIN index over tsvectors)."""

from django.db import migrations

FORWARD = [
    "CREATE VIRTUAL TABLE triage_search_vocab USING fts5vocab(triage_search, instance)",
]
BACKWARD = ["DROP TABLE triage_search_vocab"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("triage", "0041_outbox_waiting_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
