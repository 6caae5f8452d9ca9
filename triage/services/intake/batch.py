"""A batch import (files, mbox, maildir, a mailbox poll): read a bounded batch at a time,
parse it in parallel, write plain new requests in bulk and the rest one by one. Memory stays
the same whatever the size of the import."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sized
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from itertools import batched
from multiprocessing import get_context
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from triage import events, mail, rules
from triage.models import (
    Candidate,
    CandidateRequest,
    Message,
    QuarantinedMessage,
)
from triage.services import assignment
from triage.services import attachments as attachment_files
from triage.services.candidates import honour_opt_out
from triage.services.intake.messages import record_message
from triage.services.intake.screening import (
    MB,
    blocked_pattern,
    known_raws,
    load_blocklist,
    message_content,
    quarantine,
    storage_id,
    stored_contents,
    too_big,
)
from triage.services.intake.storing import (
    IngestSummary,
    count_outcome,
    head_of,
    new_message,
    publish_created,
    triaged_request,
)
from triage.services.intake.threads import REPLY_SUBJECT, may_follow_up
from triage.services.profiles import load_profile
from triage.services.rulebook import Rulebook, current_rulebook

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Below this many messages, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


def parse_all(
    raws: list[bytes], *, jobs: int | None = None, pool: ProcessPoolExecutor | None = None
) -> Iterator[mail.ParsedEmail | Exception]:
    """Parse every message, in parallel on all cores when there are many (in `pool`, the
    import's parser processes, when given)."""
    jobs = jobs or (os.cpu_count() or 1)
    if jobs < 2 or len(raws) < PARALLEL_FROM:
        yield from map(mail.parse_or_error, raws)
        return
    if pool is not None:
        yield from pool.map(mail.parse_or_error, raws, chunksize=64)
        return
    with parser_pool(jobs) as own:
        yield from own.map(mail.parse_or_error, raws, chunksize=64)


@contextmanager
def parser_pool(jobs: int | None) -> Iterator[ProcessPoolExecutor | None]:
    """Parser processes for one import, started once (None when one process parses).
    Parsing is pure (no ORM, no settings), so workers need nothing from Django; forkserver
    keeps the database connection and any threads of this process out of them."""
    jobs = jobs or (os.cpu_count() or 1)
    if jobs < 2:
        yield None
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("forkserver")) as pool:
        yield pool


# An import is read, checked and parsed this many messages (or bytes) at a time, and written
# in batches of BATCH_SIZE: memory stays the same whatever the size of the import.
READ_MESSAGES = 4 * BATCH_SIZE
READ_BYTES = 64 * MB


def read_batches(sources: Iterable[tuple[str, bytes]]) -> Iterator[list[tuple[str, bytes]]]:
    """The sources in lists of at most READ_MESSAGES, or READ_BYTES (but one message)."""
    batch, size = [], 0
    for source in sources:
        if batch and (len(batch) >= READ_MESSAGES or size + len(source[1]) > READ_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(source)
        size += len(source[1])
    if batch:
        yield batch


def ingest_sources(
    sources: Iterable[tuple[str, bytes]],
    *,
    summary: IngestSummary | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
) -> IngestSummary:
    """Take in (source label, raw bytes) pairs: read a bounded batch at a time (READ_MESSAGES
    or READ_BYTES), parse it in parallel, write it in batches of a transaction each, and
    count what became of each message. `sources` may be a generator: an import of any size
    is never held in memory whole.

    `progress(done, total)` is called before the first batch and after each one; `total`:
    how many sources there are, when `sources` cannot say (else the count so far)."""
    profile = load_profile()
    blocklist = load_blocklist()
    summary = summary or IngestSummary()
    if total is None and isinstance(sources, Sized):
        total = len(sources)
    done = 0
    if progress:
        progress(0, total or 0)
    started = timezone.now()
    with parser_pool(jobs) as pool:
        for read in read_batches(sources):
            todo = _unparsed(read, summary, started=started)
            done += len(read) - len(todo)
            if not todo:
                if progress:
                    progress(done, max(total or 0, done))
                continue
            parsed_stream = parse_all([raw for _, raw in todo], jobs=jobs, pool=pool)
            pairs = zip(todo, parsed_stream, strict=True)
            for batch in batched(pairs, BATCH_SIZE):
                items = [(source, raw, parsed) for (source, raw), parsed in batch]
                # The rule set may change between batches: a cheap look at its version each time.
                book = current_rulebook()
                with attachment_files.files_removed_on_error(), transaction.atomic():
                    store_batch(
                        items, profile=profile, blocklist=blocklist, summary=summary, book=book
                    )
                done += len(batch)
                if progress:
                    progress(done, max(total or 0, done))
    return summary


def _unparsed(
    sources: list[tuple[str, bytes]], summary: IngestSummary, *, started: datetime
) -> list[tuple[str, bytes]]:
    """The sources of one read batch still to parse: those already stored or kept aside are
    counted as duplicates, and those over the size cap quarantined, without a parse. A copy
    of a message of an earlier read batch is found stored or kept aside by now, and counts
    as a duplicate of this import, not as "already kept aside" (kept before `started`)."""
    todo, seen = [], set()
    for batch in batched(sources, BATCH_SIZE):
        hashes, stored, kept = known_raws([raw for _, raw in batch])
        for (source, raw), digest in zip(batch, hashes, strict=True):
            if digest in stored or digest in kept or digest in seen:
                summary.duplicates += 1
                summary.already_kept_aside += digest in kept and kept[digest] < started
                continue
            seen.add(digest)
            if reason := too_big(raw):
                quarantine(
                    raw=raw, source=source, error=reason, kind=QuarantinedMessage.Kind.FAILED
                )
                summary.quarantined.append((source, reason))
                continue
            todo.append((source, raw))
    return todo


def _is_plain_request(parsed: mail.ParsedEmail | Exception, blocklist: frozenset[str]) -> bool:
    """A message that can only become a new request (or be a duplicate): no thread to look
    for, not machine mail, not blocked. Most mail is like this, and it is written in bulk."""
    return not (
        isinstance(parsed, Exception)
        or parsed.attachments  # files are written one message at a time
        or parsed.machine_reason
        or parsed.in_reply_to
        or parsed.references
        or REPLY_SUBJECT.match(parsed.subject)
        or blocked_pattern(parsed.sender.email, blocklist)
    )


def store_batch(
    items: list[tuple[str, bytes, mail.ParsedEmail | Exception]],
    *,
    profile: rules.Profile,
    blocklist: frozenset[str],
    summary: IngestSummary,
    book: Rulebook | None = None,
) -> None:
    """Store a batch: plain new requests with a few bulk inserts, the rest one by one.

    A commit and a dozen queries per message is what makes a naive import slow; here a batch
    of plain requests costs five queries. If the bulk insert fails (a row another import
    wrote meanwhile, a value the database refuses), the batch goes one by one instead, so
    the one bad message is quarantined and the others stored.

    The subscribers that take events together (the talent pool) hear the batch's events as
    one list at its end, in the caller's transaction: reading 500 requests at once costs
    a few queries, reading them one by one cost most of an import's time."""
    with events.batch():
        _store_batch(items, profile=profile, blocklist=blocklist, summary=summary, book=book)


def _store_batch(
    items: list[tuple[str, bytes, mail.ParsedEmail | Exception]],
    *,
    profile: rules.Profile,
    blocklist: frozenset[str],
    summary: IngestSummary,
    book: Rulebook | None,
) -> None:
    book = book or current_rulebook()
    plain = [item for item in items if _is_plain_request(item[2], blocklist)]
    others = [item for item in items if not _is_plain_request(item[2], blocklist)]
    plain, joining = may_follow_up(plain)
    others = joining + others
    stored = stored_contents(parsed for _, _, parsed in plain)
    fresh = []
    for source, raw, parsed in plain:
        message_id = storage_id(parsed, stored)
        if message_id is None:
            summary.duplicates += 1
            continue
        stored[message_id] = message_content(parsed)
        if message_id != (parsed.message_id or message_id):
            summary.shared_ids.append((source, message_id))
        fresh.append((parsed, message_id, mail.raw_sha256(raw)))
    if fresh:
        try:
            with transaction.atomic(), events.batch():  # its events go if it fails
                requests = _bulk_create_requests(fresh, profile=profile, book=book)
        except Exception:
            log.warning("A bulk insert failed; storing that batch one message at a time")
            others = [item for item in plain if item[2] in {p for p, _, _ in fresh}] + others
        else:
            summary.new += len(requests)
            summary.buckets.update(request.final_bucket for request in requests)
    for source, raw, parsed in others:
        result = record_message(
            raw, parsed, source=source, profile=profile, blocklist=blocklist, book=book
        )
        count_outcome(summary, source, result)


def _bulk_create_requests(
    fresh: list[tuple[mail.ParsedEmail, str, str]], *, profile: rules.Profile, book: Rulebook
) -> list[CandidateRequest]:
    """Store (parsed, message_id, raw_sha256) as new requests in a few bulk inserts."""
    emails = {parsed.sender.email for parsed, _, _ in fresh}
    candidates = {c.email: c for c in Candidate.objects.filter(email__in=emails)}
    named = []
    for parsed, _, _ in fresh:
        candidate = candidates.get(parsed.sender.email)
        if candidate is None:
            candidates[parsed.sender.email] = Candidate(
                email=parsed.sender.email, name=parsed.sender.name
            )
        elif candidate.pk and parsed.sender.name and not candidate.name:
            candidate.name = parsed.sender.name
            named.append(candidate)
    Candidate.objects.bulk_create([c for c in candidates.values() if c.pk is None])
    if named:
        Candidate.objects.bulk_update(named, ["name"])
    requests, messages = [], []
    for parsed, message_id, digest in fresh:
        received_at = parsed.date or timezone.now()
        request = triaged_request(
            candidates[parsed.sender.email],
            channel=CandidateRequest.Channel.EMAIL,
            subject=parsed.subject,
            body=parsed.text,
            received_at=received_at,
            message_id=message_id,
            to=parsed.to,
            cc=parsed.cc,
            words=parsed.new_text,
            profile=profile,
            book=book,
        )
        requests.append(request)
        messages.append(new_message(request, parsed, message_id, received_at, raw_sha256=digest))
    CandidateRequest.objects.bulk_create(requests)
    for request, message in zip(requests, messages, strict=True):
        message.request = request  # now that the request has its primary key
    Message.objects.bulk_create(messages)
    assignment.notify_rule_assignments(requests)
    publish_created(requests)
    for parsed, _, _ in fresh:  # rare, so one by one: the reason is each person's own words
        honour_opt_out(
            candidate=candidates[parsed.sender.email],
            subject=parsed.subject,
            text=head_of(parsed.text),
        )
    return requests


def ingest_paths(paths: Iterable[Path], **options) -> IngestSummary:
    """Ingest every message under `paths`, read as it is taken in (an mbox of any size is
    never held in memory). A bad message is quarantined and the run goes on."""
    summary = IngestSummary()
    paths = [Path(path) for path in paths]
    if options.get("progress") and "total" not in options:
        options["total"] = sum(mail.count_sources(path) for path in paths)
    return ingest_sources(_sources(paths, summary), summary=summary, **options)


def _sources(paths: list[Path], summary: IngestSummary) -> Iterator[tuple[str, bytes]]:
    for path in paths:
        try:
            yield from mail.iter_sources(path, summary.not_mail)
        except (OSError, ValueError) as error:
            # Not a message: there are no bytes to keep, only the path to report.
            summary.quarantined.append((str(path), str(error)))
