"""Full-text search in the database: SQLite FTS5 or PostgreSQL's tsvector, behind one field
type and three expressions (the tables and the triggers that fill them are created by
migration 0028).

The search table (`SearchEntry`, `triage_search`) has one row per request, its id in the
column `rowid` (FTS5's own row id on SQLite; an ordinary key on PostgreSQL), and the
searched text: the person's name and email, the subject, the body, and the names and text
of the request's attachments. Its document column is named like the table, which is what
FTS5 matches against; on PostgreSQL that column holds the weighted tsvector, and the table
also keeps the request's bucket, status and time received (migration 0039), so a search's
tabs are counted from it alone (selectors.search.read_matches).

A query is the words a recruiter typed, each of three letters or more taken as a word
prefix (shorter ones whole), all of them required ("ada interv" finds "Ada ... interviews").
Nothing of the query's syntax reaches the database: only runs of letters and digits are
kept.

On SQLite a prefix costs what all the terms it covers do: FTS5 (no prefix index) merges
their lists into one before it combines the words, the whole list of a common name. So a
word typed is searched whole when the index's vocabulary (migration 0042) holds no longer
term starting with it: decided in the query itself (sqlite_match), the same matches, ranks
and snippets as the prefix, and no query more."""

from __future__ import annotations

import html
import os
import re
import sqlite3
import threading
from functools import lru_cache

from django.db.models import Expression, FloatField, Lookup, TextField

MAX_TERMS = 8
# Around the matched words in a snippet: private-use characters, which nobody writes, so
# they can be turned into <mark> after the snippet is escaped.
START, STOP = "\ue000", "\ue001"
# The words of the text searched, weighted: who and what about count most.
SQLITE_WEIGHTS = (10.0, 10.0, 5.0, 1.0, 0.5)  # name, email, subject, body, attachments
SNIPPET_WORDS = 24
# A PostgreSQL query, its accents folded as the documents' are (migration 0037).
TSQUERY = "to_tsquery('english', triage_search_fold({}))"


def terms(query: str) -> list[str]:
    """The words of what was typed, lower-cased, at most MAX_TERMS."""
    return re.findall(r"\w+", query.lower())[:MAX_TERMS]


def _prefix(word: str) -> bool:
    """Whether a word typed stands for the words it begins: from three letters on, as a
    recruiter types "interv" for "interviews". A word of one or two letters is matched
    whole, as a mail search does: "C++" and "C#" are the word "c", and "ai" or "go" as
    prefixes would find every "could", "aim" or "good"."""
    return len(word) > 2


def sqlite_query(words: list[str]) -> str:
    """The FTS5 query of the words: "ada"* "interv"*, each of three letters or more a quoted
    prefix (\\w+ holds no quote, so none can break out). What sqlite_match always finds."""
    return " ".join(f'"{word}"*' if _prefix(word) else f'"{word}"' for word in words)


# The search table's tokenizer (migration 0028), with which SQLite makes a word typed into
# the term it looks for (sqlite_terms).
SQLITE_TOKENIZE = "porter unicode61 remove_diacritics 2"
# A word typed is searched whole when no longer term starts with the term it is made into:
# that term's terms in the index's byte order, past it (no term holds U+0001, which the
# tokenizer splits on) and before the term with its last character's successor.
LONGER_TERMS = "EXISTS (SELECT 1 FROM triage_search_vocab WHERE term >= %s AND term < %s)"


def sqlite_match(words: list[str]) -> tuple[str, list[str]]:
    """The right-hand side of MATCH for the words, SQL and its parameters: the query of
    sqlite_query, each prefix that covers one term only (or none) written whole instead,
    which finds the same rows (a whole word is stemmed as the prefix is) with the same
    ranks and snippets (one phrase either way, the same instances), and which FTS5 reads
    only as far as the other words need. Decided in the database as the query runs, by
    the index's vocabulary (the words' terms made by SQLite itself, sqlite_terms): no query
    more. A word SQLite makes into no term or several ("foo_bar") stays a prefix."""
    pieces, params = [], []
    for word in words:
        made = sqlite_terms(word) if _prefix(word) else ()
        after = _successor(made[0]) if len(made) == 1 else None
        if after is None:
            pieces.append("%s")
            params.append(sqlite_query([word]))
        else:
            pieces.append(f"CASE WHEN {LONGER_TERMS} THEN %s ELSE %s END")
            params += [f"{made[0]}\x01", after, f'"{word}"*', f'"{word}"']
    if len(params) == len(words):  # nothing to look up
        return "%s", [sqlite_query(words)]
    return "(" + " || ' ' || ".join(pieces) + ")", params


def _successor(term: str) -> str | None:
    """The least string past every string that starts with `term`: its last character
    made the next one (none past U+10FFFF; the surrogates, never in text, skipped)."""
    last = ord(term[-1]) + 1
    if last > 0x10FFFF:
        return None
    return term[:-1] + chr(0xE000 if 0xD800 <= last < 0xE000 else last)


_tokenizers = threading.local()


def _tokenizer() -> sqlite3.Connection:
    """This thread's in-memory database with an FTS5 table of the search table's tokenizer
    (SQLite's own: the library Django's connections use), and its vocabulary of term
    instances. Made again in a forked process: SQLite's connections do not cross a fork."""
    if getattr(_tokenizers, "pid", None) != os.getpid():
        db = sqlite3.connect(":memory:", isolation_level=None)
        db.execute(f"CREATE VIRTUAL TABLE words USING fts5(word, tokenize = '{SQLITE_TOKENIZE}')")
        db.execute("CREATE VIRTUAL TABLE word_terms USING fts5vocab(words, instance)")
        _tokenizers.db, _tokenizers.pid = db, os.getpid()
    return _tokenizers.db


@lru_cache(maxsize=4096)
def sqlite_terms(word: str) -> tuple[str, ...]:
    """The terms the search table's tokenizer makes of a word, in order: "Running" is
    "run", "José" "jose", "foo_bar" "foo" and "bar". SQLite's own answer, read back from a
    word written to an in-memory FTS5 table and rolled back (a query's word is made into
    terms as a document's is: these tokenizers take no account of which it is)."""
    db = _tokenizer()
    db.execute("BEGIN")
    try:
        db.execute("INSERT INTO words (word) VALUES (?)", (word,))
        found = db.execute("SELECT term FROM word_terms ORDER BY offset").fetchall()
    finally:
        db.execute("ROLLBACK")
    return tuple(term for (term,) in found)


def postgresql_query(words: list[str]) -> str:
    # ada:* & interv:* for to_tsquery; \w+ holds none of its operators.
    return " & ".join(f"{word}:*" if _prefix(word) else word for word in words)


class SearchDocumentField(TextField):
    """The searchable document: FTS5's hidden column named like its table on SQLite, a
    tsvector on PostgreSQL. Only ever filtered with `__match`, never read."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else None


@SearchDocumentField.register_lookup
class Match(Lookup):
    lookup_name = "match"

    def get_db_prep_lookup(self, value, connection):
        words = terms(value)
        if connection.vendor == "postgresql":
            return "%s", [postgresql_query(words)]
        return sqlite_match(words)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ {TSQUERY.format(rhs)}", [*lhs_params, *rhs_params]


def _document(compiler, document) -> str:
    """The compiled reference to the search table's document column: on SQLite, FTS5's
    hidden column, which its functions take as their first argument. Not the table's name:
    that fails with an alias (the table in a subquery), the column does not."""
    sql, _ = compiler.compile(document)
    return sql


class SearchRank(Expression):
    """How well a row matches, higher is better, for ORDER BY; `document` is a resolved
    reference to the search table's document column (F("search_entry__document"))."""

    output_field = FloatField()

    def __init__(self, document, query: str):
        super().__init__()
        self.document, self.query = document, query

    def get_source_expressions(self):
        return [self.document]

    def set_source_expressions(self, exprs):
        (self.document,) = exprs

    def as_sqlite(self, compiler, connection):
        weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
        # bm25 is lower for a better match: negated, so that higher is better everywhere.
        return f"-bm25({_document(compiler, self.document)}, {weights})", []

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.document)
        query = postgresql_query(terms(self.query))
        return f"ts_rank_cd({sql}, {TSQUERY.format('%s')})", [*params, query]


class SearchSnippet(Expression):
    """A short piece of the matched text with the matched words between START and STOP;
    `text` is the search table's column to cut it from on PostgreSQL (FTS5 picks the best
    column itself). Turn it into HTML with `highlight()` only."""

    output_field = TextField()

    def __init__(self, document, text, query: str):
        super().__init__()
        self.document, self.text, self.query = document, text, query

    def get_source_expressions(self):
        return [self.document, self.text]

    def set_source_expressions(self, exprs):
        self.document, self.text = exprs

    def as_sqlite(self, compiler, connection):
        document = _document(compiler, self.document)
        return f"snippet({document}, -1, %s, %s, '…', {SNIPPET_WORDS})", [START, STOP]

    def as_postgresql(self, compiler, connection):
        text, params = compiler.compile(self.text)
        options = (
            f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        query = postgresql_query(terms(self.query))
        # The text is cut as written, accents and all, which the folded query does not
        # match: the query as typed is added, so "José" typed still marks "José" ("jose"
        # typed finds it, unmarked).
        marked = f"{TSQUERY.format('%s')} || to_tsquery('english', %s)"
        return (
            f"ts_headline('english', {text}, {marked}, %s)",
            [*params, query, query, options],
        )


_MARKED = re.compile(f"{START}(.*?){STOP}", re.S)


def highlight(snippet: str | None) -> str:
    """A snippet as safe HTML: everything escaped (it is what a candidate wrote), then the
    matched words put in <mark>. Markers without a partner are dropped."""
    escaped = html.escape(snippet or "", quote=True)
    marked = _MARKED.sub(lambda m: f"<mark>{m.group(1)}</mark>", escaped)
    return marked.replace(START, "").replace(STOP, "")
