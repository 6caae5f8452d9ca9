"""PostgreSQL: the search table keeps each request's tab (its bucket), status and time
received, so that a search counts its tabs and picks the newest matches of the tab shown
from the search table alone (selectors.search.read_matches), without looking each match up
among the requests: at 100,000 requests, a word in 1% of them, that lookup was most of the
search's time, and it grew with the matches.

Kept by the triggers that keep the rest of the table: the request's insert writes them (as
before the text), and a statement-level trigger on every update of requests copies them
from its transition table, only where they changed (one UPDATE per statement, however many
rows a bulk update moves). The document is now built again only when its words change
(`UPDATE OF` the text columns): a new status rewrites no tsvector.

SQLite's FTS5 table is left as it is: its search counts its tabs in one query already
(selectors.requests.search_tabs)."""

from django.db import migrations

# The attachments' words of one request, as in 0028.
ATTACHMENTS = """(SELECT string_agg(a.filename || ' ' || a.text, ' ')
    FROM triage_attachment a JOIN triage_message m ON m.id = a.message_id
    WHERE m.request_id = {request})"""
TAB = ("final_bucket", "status", "received_at")


def _request_function(tab: tuple[str, ...]) -> str:
    """triage_search_request() of 0028, writing the `tab` columns too."""
    columns = "".join(f", {column}" for column in tab)
    values = "".join(f", NEW.{column}" for column in tab)
    updates = "".join(f", {column} = excluded.{column}" for column in tab)
    return f"""CREATE OR REPLACE FUNCTION triage_search_request() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        DELETE FROM triage_search WHERE rowid = OLD.id;
        RETURN NULL;
      END IF;
      INSERT INTO triage_search (rowid, name, email, subject, body, attachments{columns})
      SELECT NEW.id, c.name, c.email, NEW.subject, NEW.body,
             CASE WHEN TG_OP = 'INSERT' THEN ''
                  ELSE coalesce({ATTACHMENTS.format(request="NEW.id")}, '') END{values}
      FROM triage_candidate c WHERE c.id = NEW.candidate_id
      ON CONFLICT (rowid) DO UPDATE SET name = excluded.name, email = excluded.email,
        subject = excluded.subject, body = excluded.body,
        attachments = excluded.attachments{updates};
      RETURN NULL;
    END $$"""


def _document_trigger(on_update: str) -> str:
    return f"""CREATE TRIGGER triage_search_document BEFORE INSERT OR {on_update} ON triage_search
    FOR EACH ROW EXECUTE FUNCTION triage_search_document()"""


FORWARD = [
    """ALTER TABLE triage_search
        ADD COLUMN final_bucket varchar(12) NOT NULL DEFAULT '',
        ADD COLUMN status varchar(10) NOT NULL DEFAULT '',
        ADD COLUMN received_at timestamp with time zone""",
    "DROP TRIGGER triage_search_document ON triage_search",
    _document_trigger("UPDATE OF name, email, subject, body, attachments"),
    _request_function(TAB),
    """CREATE FUNCTION triage_search_tab() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE triage_search s
      SET final_bucket = n.final_bucket, status = n.status, received_at = n.received_at
      FROM new_rows n
      WHERE s.rowid = n.id AND (s.final_bucket, s.status, s.received_at)
        IS DISTINCT FROM (n.final_bucket, n.status, n.received_at);
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER triage_search_tab AFTER UPDATE ON triage_candidaterequest
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION triage_search_tab()""",
    """UPDATE triage_search s
    SET final_bucket = r.final_bucket, status = r.status, received_at = r.received_at
    FROM triage_candidaterequest r WHERE s.rowid = r.id""",
    "ANALYZE triage_search",
]

BACKWARD = [
    "DROP TRIGGER triage_search_tab ON triage_candidaterequest",
    "DROP FUNCTION triage_search_tab()",
    _request_function(()),
    "DROP TRIGGER triage_search_document ON triage_search",
    _document_trigger("UPDATE"),
    """ALTER TABLE triage_search
        DROP COLUMN final_bucket, DROP COLUMN status, DROP COLUMN received_at""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("triage", "0038_triage_profile_other_names")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
