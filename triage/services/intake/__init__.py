"""Intake: every request, whatever its channel, is stored and triaged here.

One path for every message: parse (in parallel for big imports), then in batches: skip
duplicates, set machine mail and blocked senders aside, join follow-ups to their thread,
store and triage the rest. Nothing is dropped: what fails is kept in quarantine.

The parts, each importing only those before it:
- storing: one new request with its first message, triaged; the summary and the outcomes
- threads: which request a follow-up belongs to, and adding it there
- screening: duplicates, the size cap, blocked senders, bounces, the quarantine
- messages: one message start to end (never raising for bad mail), the quarantine again
- batch: an import of any size, read, parsed and written a bounded batch at a time"""

from triage.services.intake.batch import (
    BATCH_SIZE,
    PARALLEL_FROM,
    READ_BYTES,
    READ_MESSAGES,
    ingest_paths,
    ingest_sources,
    parse_all,
    parser_pool,
    read_batches,
    store_batch,
)
from triage.services.intake.messages import (
    dismiss_quarantined,
    ingest_message,
    record_message,
    retry_quarantined,
    store_parsed,
)
from triage.services.intake.screening import (
    MB,
    blocked_pattern,
    known_raws,
    load_blocklist,
    mark_bounced,
    quarantine,
    storage_id,
    too_big,
)
from triage.services.intake.storing import (
    NO_MESSAGE_ID_DOMAIN,
    IngestSummary,
    Outcome,
    Result,
    content_hash_id,
    content_message_id,
    create_request,
    ingest_email,
)
from triage.services.intake.threads import add_to_thread, find_thread, follow_up_window

__all__ = [
    "BATCH_SIZE",
    "MB",
    "NO_MESSAGE_ID_DOMAIN",
    "PARALLEL_FROM",
    "READ_BYTES",
    "READ_MESSAGES",
    "IngestSummary",
    "Outcome",
    "Result",
    "add_to_thread",
    "blocked_pattern",
    "content_hash_id",
    "content_message_id",
    "create_request",
    "dismiss_quarantined",
    "find_thread",
    "follow_up_window",
    "ingest_email",
    "ingest_message",
    "ingest_paths",
    "ingest_sources",
    "known_raws",
    "load_blocklist",
    "mark_bounced",
    "parse_all",
    "parser_pool",
    "quarantine",
    "read_batches",
    "record_message",
    "retry_quarantined",
    "storage_id",
    "store_batch",
    "store_parsed",
    "too_big",
]
