"""PostgreSQL: search folds accents, as SQLite's FTS5 does (remove_diacritics), so "Jose"
finds "José" and "resume" finds "résumé".

With plain SQL, not the `unaccent` extension: nothing to install or be allowed to create.
`triage_search_fold(text)` is translate() over the accented Latin letters whose canonical
decomposition is an ASCII letter and accents (é, ñ, ö, ǎ, ệ…): the letters FTS5 folds. Not
ø, ł, ß or æ, letters of their own that FTS5 keeps too. The document's words are folded in
the trigger that builds it (triage_search_words, migration 0028) and the query's by the
same function (triage/fulltext.py), so both sides always agree. Every document is built
again here, once."""

import unicodedata

from django.db import migrations

# Latin-1 Supplement, Latin Extended-A and -B, Latin Extended Additional.
LATIN = [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]


def _folds() -> tuple[str, str]:
    """The accented letters and, in the same order, the letter each one folds to."""
    accented, plain = [], []
    for letter in map(chr, LATIN):
        base, *marks = unicodedata.normalize("NFD", letter)
        if marks and base.isascii() and base.isalpha() and all(map(unicodedata.combining, marks)):
            accented.append(letter)
            plain.append(base)
    return "".join(accented), "".join(plain)


ACCENTED, PLAIN = _folds()
SPLIT = "regexp_replace($1, '[.@/:_+=~#?&<>-]+', ' ', 'g')"  # as in 0028

FORWARD = [
    f"""CREATE FUNCTION triage_search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE
    PARALLEL SAFE AS $$ SELECT translate($1, '{ACCENTED}', '{PLAIN}') $$""",
    f"""CREATE OR REPLACE FUNCTION triage_search_words(text) RETURNS text LANGUAGE sql
    IMMUTABLE AS $$ SELECT triage_search_fold({SPLIT}) $$""",
    # Any update runs the trigger that builds the document again.
    "UPDATE triage_search SET attachments = attachments",
]
BACKWARD = [
    f"""CREATE OR REPLACE FUNCTION triage_search_words(text) RETURNS text LANGUAGE sql
    IMMUTABLE AS $$ SELECT {SPLIT} $$""",
    "UPDATE triage_search SET attachments = attachments",
    "DROP FUNCTION triage_search_fold(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # FTS5's tokenizer folds accents already (migration 0028)
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("triage", "0036_search_pending_list")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
