"""The inbox at any size: counts per bucket kept by triggers (InboxCount), full-text search
(SearchEntry: SQLite FTS5, or a tsvector with a GIN index on PostgreSQL, kept by triggers),
and the indexes the inbox's and the outbox's lists read in order.

Triggers rather than code, so that every way a row changes (a save, bulk_create, update(),
a cascade, SQL typed by hand) keeps the counts and the search right, in the same transaction.
Existing rows are counted and indexed here."""

from django.db import migrations, models

import triage.fulltext

FLAG_URGENT_SQLITE = "json_type({row}.flags, '$.urgent') IS NOT NULL"
FLAG_NOT_CANDIDATE_SQLITE = "json_type({row}.flags, '$.\"not-candidate\"') IS NOT NULL"


def _sqlite_count_change(row: str, sign: int) -> str:
    return f"""
    INSERT INTO triage_inboxcount (final_bucket, status, urgent, not_candidate, n)
    VALUES ({row}.final_bucket, {row}.status, {FLAG_URGENT_SQLITE.format(row=row)},
            {FLAG_NOT_CANDIDATE_SQLITE.format(row=row)}, {sign})
    ON CONFLICT (final_bucket, status, urgent, not_candidate) DO UPDATE SET n = n + excluded.n;
    """


# The attachments' words of one request: their names and extracted text.
SQLITE_ATTACHMENTS = """(SELECT group_concat(a.filename || ' ' || a.text, ' ')
    FROM triage_attachment a JOIN triage_message m ON m.id = a.message_id
    WHERE m.request_id = {request})"""


def _sqlite_reindex_attachments(request: str) -> str:
    return f"""
    UPDATE triage_search SET attachments = coalesce({SQLITE_ATTACHMENTS.format(request=request)}, '')
    WHERE rowid = {request};
    """


SQLITE = [
    # --- Counts ---
    """CREATE TABLE triage_inboxcount (
        id integer PRIMARY KEY AUTOINCREMENT,
        final_bucket varchar(12) NOT NULL,
        status varchar(10) NOT NULL,
        urgent bool NOT NULL,
        not_candidate bool NOT NULL,
        n bigint NOT NULL
    )""",
    """CREATE UNIQUE INDEX triage_inboxcount_key
        ON triage_inboxcount (final_bucket, status, urgent, not_candidate)""",
    f"""CREATE TRIGGER triage_inboxcount_insert AFTER INSERT ON triage_candidaterequest
    BEGIN {_sqlite_count_change("NEW", 1)} END""",
    f"""CREATE TRIGGER triage_inboxcount_delete AFTER DELETE ON triage_candidaterequest
    BEGIN {_sqlite_count_change("OLD", -1)} END""",
    f"""CREATE TRIGGER triage_inboxcount_update
    AFTER UPDATE OF final_bucket, status, flags ON triage_candidaterequest
    WHEN OLD.final_bucket IS NOT NEW.final_bucket OR OLD.status IS NOT NEW.status
      OR {FLAG_URGENT_SQLITE.format(row="OLD")} IS NOT {FLAG_URGENT_SQLITE.format(row="NEW")}
      OR {FLAG_NOT_CANDIDATE_SQLITE.format(row="OLD")}
         IS NOT {FLAG_NOT_CANDIDATE_SQLITE.format(row="NEW")}
    BEGIN {_sqlite_count_change("OLD", -1)} {_sqlite_count_change("NEW", 1)} END""",
    """INSERT INTO triage_inboxcount (final_bucket, status, urgent, not_candidate, n)
    SELECT final_bucket, status, json_type(flags, '$.urgent') IS NOT NULL,
           json_type(flags, '$."not-candidate"') IS NOT NULL, count(*)
    FROM triage_candidaterequest GROUP BY 1, 2, 3, 4""",
    # --- Search ---
    """CREATE VIRTUAL TABLE triage_search USING fts5(
        name, email, subject, body, attachments,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER triage_search_request_insert AFTER INSERT ON triage_candidaterequest
    BEGIN
      INSERT INTO triage_search (rowid, name, email, subject, body, attachments)
      SELECT NEW.id, c.name, c.email, NEW.subject, NEW.body, ''
      FROM triage_candidate c WHERE c.id = NEW.candidate_id;
    END""",
    f"""CREATE TRIGGER triage_search_request_update
    AFTER UPDATE OF subject, body, candidate_id ON triage_candidaterequest
    WHEN OLD.subject IS NOT NEW.subject OR OLD.body IS NOT NEW.body
      OR OLD.candidate_id IS NOT NEW.candidate_id
    BEGIN
      DELETE FROM triage_search WHERE rowid = OLD.id;
      INSERT INTO triage_search (rowid, name, email, subject, body, attachments)
      SELECT NEW.id, c.name, c.email, NEW.subject, NEW.body,
             coalesce({SQLITE_ATTACHMENTS.format(request="NEW.id")}, '')
      FROM triage_candidate c WHERE c.id = NEW.candidate_id;
    END""",
    """CREATE TRIGGER triage_search_request_delete AFTER DELETE ON triage_candidaterequest
    BEGIN DELETE FROM triage_search WHERE rowid = OLD.id; END""",
    """CREATE TRIGGER triage_search_candidate_update AFTER UPDATE OF name, email ON triage_candidate
    WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email
    BEGIN
      UPDATE triage_search SET name = NEW.name, email = NEW.email
      WHERE rowid IN (SELECT id FROM triage_candidaterequest WHERE candidate_id = NEW.id);
    END""",
    f"""CREATE TRIGGER triage_search_attachment_insert AFTER INSERT ON triage_attachment
    BEGIN {
        _sqlite_reindex_attachments(
            "(SELECT request_id FROM triage_message WHERE id = NEW.message_id)"
        )
    } END""",
    f"""CREATE TRIGGER triage_search_attachment_update
    AFTER UPDATE OF filename, text, message_id ON triage_attachment
    BEGIN {
        _sqlite_reindex_attachments(
            "(SELECT request_id FROM triage_message WHERE id = OLD.message_id)"
        )
    } {
        _sqlite_reindex_attachments(
            "(SELECT request_id FROM triage_message WHERE id = NEW.message_id)"
        )
    } END""",
    f"""CREATE TRIGGER triage_search_attachment_delete AFTER DELETE ON triage_attachment
    BEGIN {
        _sqlite_reindex_attachments(
            "(SELECT request_id FROM triage_message WHERE id = OLD.message_id)"
        )
    } END""",
    f"""CREATE TRIGGER triage_search_message_moved AFTER UPDATE OF request_id ON triage_message
    WHEN OLD.request_id IS NOT NEW.request_id
    BEGIN {_sqlite_reindex_attachments("OLD.request_id")}
          {_sqlite_reindex_attachments("NEW.request_id")} END""",
    f"""INSERT INTO triage_search (rowid, name, email, subject, body, attachments)
    SELECT r.id, c.name, c.email, r.subject, r.body,
           coalesce({SQLITE_ATTACHMENTS.format(request="r.id")}, '')
    FROM triage_candidaterequest r JOIN triage_candidate c ON c.id = r.candidate_id""",
]

SQLITE_REVERSE = [
    "DROP TABLE triage_search",
    "DROP TRIGGER triage_search_request_insert",
    "DROP TRIGGER triage_search_request_update",
    "DROP TRIGGER triage_search_request_delete",
    "DROP TRIGGER triage_search_candidate_update",
    "DROP TRIGGER triage_search_attachment_insert",
    "DROP TRIGGER triage_search_attachment_update",
    "DROP TRIGGER triage_search_attachment_delete",
    "DROP TRIGGER triage_search_message_moved",
    "DROP TRIGGER triage_inboxcount_insert",
    "DROP TRIGGER triage_inboxcount_delete",
    "DROP TRIGGER triage_inboxcount_update",
    "DROP TABLE triage_inboxcount",
]

# PostgreSQL: statement-level triggers with transition tables add one row per changed key
# and statement (no row is updated in place: concurrent writers never wait on each other).
POSTGRESQL_ATTACHMENTS = """(SELECT string_agg(a.filename || ' ' || a.text, ' ')
    FROM triage_attachment a JOIN triage_message m ON m.id = a.message_id
    WHERE m.request_id = {request})"""

POSTGRESQL = [
    # --- Counts ---
    """CREATE TABLE triage_inboxcount (
        id bigserial PRIMARY KEY,
        final_bucket varchar(12) NOT NULL,
        status varchar(10) NOT NULL,
        urgent boolean NOT NULL,
        not_candidate boolean NOT NULL,
        n bigint NOT NULL
    )""",
    """CREATE FUNCTION triage_inboxcount_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO triage_inboxcount (final_bucket, status, urgent, not_candidate, n)
        SELECT final_bucket, status, flags ? 'urgent', flags ? 'not-candidate', count(*)
        FROM new_rows GROUP BY 1, 2, 3, 4;
      ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO triage_inboxcount (final_bucket, status, urgent, not_candidate, n)
        SELECT final_bucket, status, flags ? 'urgent', flags ? 'not-candidate', -count(*)
        FROM old_rows GROUP BY 1, 2, 3, 4;
      ELSE
        INSERT INTO triage_inboxcount (final_bucket, status, urgent, not_candidate, n)
        SELECT final_bucket, status, urgent, not_candidate, sum(n) FROM (
          SELECT final_bucket, status, flags ? 'urgent' AS urgent,
                 flags ? 'not-candidate' AS not_candidate, -1 AS n FROM old_rows
          UNION ALL
          SELECT final_bucket, status, flags ? 'urgent', flags ? 'not-candidate', 1
          FROM new_rows
        ) AS changes GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER triage_inboxcount_insert AFTER INSERT ON triage_candidaterequest
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION triage_inboxcount_change()""",
    """CREATE TRIGGER triage_inboxcount_delete AFTER DELETE ON triage_candidaterequest
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION triage_inboxcount_change()""",
    """CREATE TRIGGER triage_inboxcount_update AFTER UPDATE ON triage_candidaterequest
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION triage_inboxcount_change()""",
    # TRUNCATE (Django's flush) fires no row trigger: empty the counts and the search too.
    """CREATE FUNCTION triage_inbox_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM triage_inboxcount;
      DELETE FROM triage_search;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER triage_inbox_truncated AFTER TRUNCATE ON triage_candidaterequest
    FOR EACH STATEMENT EXECUTE FUNCTION triage_inbox_truncated()""",
    """INSERT INTO triage_inboxcount (final_bucket, status, urgent, not_candidate, n)
    SELECT final_bucket, status, flags ? 'urgent', flags ? 'not-candidate', count(*)
    FROM triage_candidaterequest GROUP BY 1, 2, 3, 4""",
    # --- Search ---
    """CREATE TABLE triage_search (
        rowid bigint PRIMARY KEY,
        name text NOT NULL DEFAULT '',
        email text NOT NULL DEFAULT '',
        subject text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        attachments text NOT NULL DEFAULT '',
        triage_search tsvector
    )""",
    "CREATE INDEX triage_search_document ON triage_search USING gin (triage_search)",
    # The document, weighted: who and the subject (A), the body (B), attachments (C). Split
    # at the punctuation that joins words in addresses, file names and links, as the query's
    # words are (fulltext.terms), so "mail.example" or "cv.pdf" finds them; and at < and >,
    # so that nothing reads as an HTML tag. Capped well under the 1 MB a tsvector may hold.
    """CREATE FUNCTION triage_search_words(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
      SELECT regexp_replace($1, '[.@/:_+=~#?&<>-]+', ' ', 'g')
    $$""",
    """CREATE FUNCTION triage_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.triage_search :=
        setweight(to_tsvector('english', triage_search_words(
          left(NEW.name || ' ' || NEW.email || ' ' || NEW.subject, 4000))), 'A')
        || setweight(to_tsvector('english', triage_search_words(left(NEW.body, 200000))), 'B')
        || setweight(to_tsvector('english',
             triage_search_words(left(NEW.attachments, 200000))), 'C');
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER triage_search_document BEFORE INSERT OR UPDATE ON triage_search
    FOR EACH ROW EXECUTE FUNCTION triage_search_document()""",
    f"""CREATE FUNCTION triage_search_request() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM triage_search WHERE rowid = OLD.id;
        RETURN NULL;
      END IF;
      INSERT INTO triage_search (rowid, name, email, subject, body, attachments)
      SELECT NEW.id, c.name, c.email, NEW.subject, NEW.body,
             CASE WHEN TG_OP = 'INSERT' THEN ''
                  ELSE coalesce({POSTGRESQL_ATTACHMENTS.format(request="NEW.id")}, '') END
      FROM triage_candidate c WHERE c.id = NEW.candidate_id
      ON CONFLICT (rowid) DO UPDATE SET name = excluded.name, email = excluded.email,
        subject = excluded.subject, body = excluded.body, attachments = excluded.attachments;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER triage_search_request_insert AFTER INSERT OR DELETE
    ON triage_candidaterequest FOR EACH ROW EXECUTE FUNCTION triage_search_request()""",
    """CREATE TRIGGER triage_search_request_update
    AFTER UPDATE OF subject, body, candidate_id ON triage_candidaterequest FOR EACH ROW
    WHEN (OLD.subject IS DISTINCT FROM NEW.subject OR OLD.body IS DISTINCT FROM NEW.body
          OR OLD.candidate_id IS DISTINCT FROM NEW.candidate_id)
    EXECUTE FUNCTION triage_search_request()""",
    """CREATE FUNCTION triage_search_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE triage_search SET name = NEW.name, email = NEW.email
      WHERE rowid IN (SELECT id FROM triage_candidaterequest WHERE candidate_id = NEW.id);
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER triage_search_candidate AFTER UPDATE OF name, email ON triage_candidate
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION triage_search_candidate()""",
    f"""CREATE FUNCTION triage_search_attachments(request bigint) RETURNS void
    LANGUAGE sql AS $$
      UPDATE triage_search
      SET attachments = coalesce({POSTGRESQL_ATTACHMENTS.format(request="request")}, '')
      WHERE rowid = request;
    $$""",
    """CREATE FUNCTION triage_search_attachment() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM triage_search_attachments(
          (SELECT request_id FROM triage_message WHERE id = OLD.message_id));
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM triage_search_attachments(
          (SELECT request_id FROM triage_message WHERE id = NEW.message_id));
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER triage_search_attachment AFTER INSERT OR DELETE OR UPDATE OF
    filename, text, message_id ON triage_attachment
    FOR EACH ROW EXECUTE FUNCTION triage_search_attachment()""",
    """CREATE FUNCTION triage_search_message() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM triage_search_attachments(OLD.request_id);
      PERFORM triage_search_attachments(NEW.request_id);
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER triage_search_message AFTER UPDATE OF request_id ON triage_message
    FOR EACH ROW WHEN (OLD.request_id IS DISTINCT FROM NEW.request_id)
    EXECUTE FUNCTION triage_search_message()""",
    f"""INSERT INTO triage_search (rowid, name, email, subject, body, attachments)
    SELECT r.id, c.name, c.email, r.subject, r.body,
           coalesce({POSTGRESQL_ATTACHMENTS.format(request="r.id")}, '')
    FROM triage_candidaterequest r JOIN triage_candidate c ON c.id = r.candidate_id""",
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER triage_search_message ON triage_message",
    "DROP FUNCTION triage_search_message()",
    "DROP TRIGGER triage_search_attachment ON triage_attachment",
    "DROP FUNCTION triage_search_attachment()",
    "DROP FUNCTION triage_search_attachments(bigint)",
    "DROP TRIGGER triage_search_candidate ON triage_candidate",
    "DROP FUNCTION triage_search_candidate()",
    "DROP TRIGGER triage_search_request_insert ON triage_candidaterequest",
    "DROP TRIGGER triage_search_request_update ON triage_candidaterequest",
    "DROP FUNCTION triage_search_request()",
    "DROP TABLE triage_search",
    "DROP FUNCTION triage_search_document()",
    "DROP FUNCTION triage_search_words(text)",
    "DROP TRIGGER triage_inbox_truncated ON triage_candidaterequest",
    "DROP FUNCTION triage_inbox_truncated()",
    "DROP TRIGGER triage_inboxcount_insert ON triage_candidaterequest",
    "DROP TRIGGER triage_inboxcount_delete ON triage_candidaterequest",
    "DROP TRIGGER triage_inboxcount_update ON triage_candidaterequest",
    "DROP FUNCTION triage_inboxcount_change()",
    "DROP TABLE triage_inboxcount",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"No inbox counts or search for {vendor}.")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("triage", "0027_pool_in_sql")]

    operations = [
        migrations.CreateModel(
            name="InboxCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("final_bucket", models.CharField(max_length=12)),
                ("status", models.CharField(max_length=10)),
                ("urgent", models.BooleanField()),
                ("not_candidate", models.BooleanField()),
                ("n", models.BigIntegerField()),
            ],
            options={"db_table": "triage_inboxcount", "managed": False},
        ),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "request",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="triage.candidaterequest",
                    ),
                ),
                ("name", models.TextField()),
                ("email", models.TextField()),
                ("subject", models.TextField()),
                ("body", models.TextField()),
                ("attachments", models.TextField()),
                (
                    "document",
                    triage.fulltext.SearchDocumentField(db_column="triage_search"),
                ),
            ],
            options={"db_table": "triage_search", "managed": False},
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
        # The inbox's tabs and keyset pages read a bucket (and a status) newest first, ties
        # by id, in the index's order: no sort, however many rows.
        migrations.RemoveIndex(
            model_name="candidaterequest", name="triage_cand_final_b_f681e2_idx"
        ),
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                fields=["final_bucket", "status", "-received_at", "-id"],
                name="request_bucket_status_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                fields=["final_bucket", "-received_at", "-id"], name="request_bucket_newest"
            ),
        ),
        migrations.AddIndex(
            model_name="candidaterequest",
            index=models.Index(
                fields=["candidate", "-received_at", "-id"], name="request_person_newest"
            ),
        ),
        # The outbox: one tab's statuses, newest first.
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(fields=["status", "-created_at", "-id"], name="reply_status_newest"),
        ),
    ]
