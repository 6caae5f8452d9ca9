"""Intake: every request, whatever its channel, is stored and triaged here.

One path for every message: parse (in parallel for big imports), then in batches: skip
duplicates, set machine mail and blocked senders aside, join follow-ups to their thread,
store and triage the rest. Nothing is dropped: what fails is kept in quarantine."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import batched
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from triage import events, mail, rules
from triage.mail import MailParseError
from triage.models import (
    Attachment,
    BlockedSender,
    Candidate,
    CandidateRequest,
    Message,
    QuarantinedMessage,
    Reply,
)
from triage.services import assignment
from triage.services import attachments as attachment_files
from triage.services.candidates import honour_opt_out
from triage.services.profiles import load_profile
from triage.services.rulebook import Rulebook, current_rulebook
from triage.services.verdicts import facts_for, triage

log = logging.getLogger(__name__)

# --- Intake --------------------------------------------------------------------------------

BATCH_SIZE = 500
# Below this many messages, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


class Outcome(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    THREADED = "threaded"
    SET_ASIDE = "set_aside"
    QUARANTINED = "quarantined"


@dataclass
class IngestSummary:
    new: int = 0
    duplicates: int = 0  # already stored, or already kept aside (counted in both)
    threaded: int = 0
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    buckets: Counter = field(default_factory=Counter)
    # Files that are no message, mbox or maildir: (path, why). Reported, never skipped silently.
    not_mail: list[tuple[str, str]] = field(default_factory=list)
    # New messages whose Message-ID a different stored message already had: (source, id).
    shared_ids: list[tuple[str, str]] = field(default_factory=list)
    # Of the duplicates: messages already in quarantine (left as they are; see
    # retry_quarantined to process them again).
    already_kept_aside: int = 0
    # Bounces that marked one of our replies "bounced": (source, address).
    bounced_replies: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "new": self.new,
            "duplicates": self.duplicates,
            "threaded": self.threaded,
            "set_aside": [{"source": s, "reason": r} for s, r in self.set_aside],
            "quarantined": [{"source": s, "reason": r} for s, r in self.quarantined],
            "buckets": dict(self.buckets),
            "not_mail": [{"source": s, "reason": r} for s, r in self.not_mail],
            "shared_ids": [{"source": s, "message_id": m} for s, m in self.shared_ids],
            "already_kept_aside": self.already_kept_aside,
            "bounced_replies": [{"source": s, "address": a} for s, a in self.bounced_replies],
        }


def _get_or_create_candidate(*, email: str, name: str) -> Candidate:
    candidate, created = Candidate.objects.get_or_create(
        email=email.lower(), defaults={"name": name}
    )
    if not created and name and not candidate.name:
        candidate.name = name
        candidate.save(update_fields=["name"])
    return candidate


def create_request(
    *,
    sender: rules.Address,
    subject: str,
    body: str,
    received_at: datetime,
    channel: str = CandidateRequest.Channel.EMAIL,
    message_id: str | None = None,
    to: Iterable[rules.Address] = (),
    cc: Iterable[rules.Address] = (),
    html: str = "",
    in_reply_to: str = "",
    references: Iterable[str] = (),
    attachments: Sequence[mail.ParsedAttachment] = (),
    profile: rules.Profile,
    book: Rulebook | None = None,
    raw_sha256: str = "",
    from_header: str = "",
    words: str | None = None,
) -> CandidateRequest | None:
    """Store and triage one request with its first message and its files. None when its
    Message-ID is already stored. `html` must already be sanitized (mail.sanitize_html).
    `book`: the rule set to use, the one in force when not given."""
    if message_id and Message.objects.filter(message_id=message_id).exists():
        return None
    # Messages from a form or an import without an id still get one, so a second run finds them.
    message_id_or_hash = message_id or content_hash_id(sender.email, received_at, subject, body)
    files = attachment_files.prepare(attachments)
    with attachment_files.files_removed_on_error(), transaction.atomic():
        candidate = _get_or_create_candidate(email=sender.email, name=sender.name)
        request = _triaged_request(
            candidate,
            channel=channel,
            subject=subject,
            body=body,
            received_at=received_at,
            message_id=message_id,
            to=to,
            cc=cc,
            attachments=[item.row for item in files],
            words=words,
            profile=profile,
            book=book or current_rulebook(),
        )
        try:
            with transaction.atomic():
                request.save()
                message = _first_message(
                    request,
                    sender=sender,
                    subject=subject,
                    text=body,
                    html=html,
                    received_at=received_at,
                    message_id=message_id_or_hash,
                    in_reply_to=in_reply_to,
                    references=references,
                    raw_sha256=raw_sha256,
                    from_header=from_header,
                )
                message.save()
                attachment_files.store(message=message, prepared=files)
            honour_opt_out(candidate=candidate, subject=subject, text=_head(body))
            assignment.notify_rule_assignments([request])
            _publish_created([request])
        except IntegrityError:
            # Another import stored the same Message-ID between our check and our insert.
            if message_id and Message.objects.filter(message_id=message_id).exists():
                return None
            raise
    return request


def _triaged_request(
    candidate: Candidate,
    *,
    channel: str,
    subject: str,
    body: str,
    received_at: datetime,
    message_id: str | None,
    to: Iterable[rules.Address],
    cc: Iterable[rules.Address],
    attachments: Sequence[Attachment] = (),
    words: str | None = None,
    profile: rules.Profile,
    book: Rulebook,
) -> CandidateRequest:
    """A new, unsaved request with the rules' verdict on it: the one way requests are built,
    whether saved one by one or in bulk. `words`: the body's own words, if already known."""
    request = CandidateRequest(
        candidate=candidate,
        channel=channel,
        subject=subject[:500],
        body=body,
        received_at=received_at,
        message_id=message_id,
        recipients_to=[[a.name, a.email] for a in to],
        recipients_cc=[[a.name, a.email] for a in cc],
    )
    facts = facts_for(request, attachments=attachments, words=words)
    triage(request, profile=profile, book=book, facts=facts)
    return request


def _publish_created(requests: Iterable[CandidateRequest]) -> None:
    for request in requests:
        events.publish(events.REQUEST_CREATED, request=request, bucket=request.final_bucket)


def _first_message(
    request: CandidateRequest,
    *,
    sender: rules.Address,
    subject: str,
    text: str,
    html: str,
    received_at: datetime,
    message_id: str,
    in_reply_to: str,
    references: Iterable[str],
    raw_sha256: str = "",
    from_header: str = "",
) -> Message:
    return Message(
        request=request,
        sender=sender.email,
        sender_name=sender.name,
        subject=subject[:500],
        text=text,
        html=html,
        received_at=received_at,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=list(references),
        raw_sha256=raw_sha256,
        from_header=from_header,
    )


def _head(text: str) -> str:
    """The part of a body where the candidate's own words can be (see mail.split_reply):
    asking to be left alone is looked for there, not in 30 MB of pasted history."""
    return text[: mail.REPLY_SPLIT_LIMIT]


NO_MESSAGE_ID_DOMAIN = "no-message-id.invalid"


def content_hash_id(sender: str, date: datetime | None, subject: str, text: str) -> str:
    content = "\0".join([sender, date.isoformat() if date else "", subject, text])
    return f"<{hashlib.sha256(content.encode()).hexdigest()}@{NO_MESSAGE_ID_DOMAIN}>"


def content_message_id(parsed: mail.ParsedEmail) -> str:
    """A stand-in Message-ID from sender, date and text, so a message without one is still
    stored once however often it is imported."""
    return content_hash_id(parsed.sender.email, parsed.date, parsed.subject, parsed.text)


def ingest_email(raw: bytes, *, profile: rules.Profile) -> CandidateRequest | None:
    """Parse, store and triage one raw email as a request of its own (no threading, no
    setting aside: the evaluation wants every message judged). None for a duplicate;
    MailParseError if unreadable."""
    parsed = mail.parse_email(raw)
    return _create_from_parsed(
        parsed,
        message_id=parsed.message_id or content_message_id(parsed),
        profile=profile,
        book=None,
    )


def _create_from_parsed(
    parsed: mail.ParsedEmail,
    *,
    message_id: str,
    profile: rules.Profile,
    book: Rulebook | None,
    channel: str = CandidateRequest.Channel.EMAIL,
    raw_sha256: str = "",
) -> CandidateRequest | None:
    return create_request(
        channel=channel,
        sender=parsed.sender,
        subject=parsed.subject,
        body=parsed.text,
        received_at=parsed.date or timezone.now(),
        message_id=message_id,
        to=parsed.to,
        cc=parsed.cc,
        html=parsed.html,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        attachments=parsed.attachments,
        profile=profile,
        book=book,
        raw_sha256=raw_sha256,
        from_header=parsed.from_header,
        words=parsed.new_text,
    )


# --- Threading -----------------------------------------------------------------------------

_REPLY_SUBJECT = re.compile(r"^\s*(re|aw|sv|antw)\s*(\[\d+\])?\s*:", re.IGNORECASE)


def find_thread(parsed: mail.ParsedEmail) -> CandidateRequest | None:
    """The request this message follows up on, or None.

    By its In-Reply-To and References first (a stored message or one of our replies); else
    the person's open conversation (_open_conversation), whatever the subject says: people
    write "Following up on my note below" under a new subject, or a second note without
    "Re:", and answering that as a new request would email them twice."""
    if ids := [i for i in (parsed.in_reply_to, *parsed.references) if i]:
        message = Message.objects.filter(message_id__in=ids).order_by("-received_at").first()
        if message is not None:
            return message.request
        reply = Reply.objects.filter(message_id__in=ids).order_by("-created_at").first()
        if reply is not None:
            return reply.request
    return _open_conversation(parsed.sender.email, at=parsed.date or timezone.now())


def follow_up_window() -> timedelta:
    return timedelta(days=settings.FOLLOW_UP_WINDOW_DAYS)


def _open_conversation(email: str, *, at: datetime) -> CandidateRequest | None:
    """The person's latest request that was not put away (closed, archived, spam) and in
    which they wrote, or we answered, within FOLLOW_UP_WINDOW_DAYS before `at`: open or
    answered recently. Older than that, new mail is a new request."""
    since = at - follow_up_window()
    return (
        CandidateRequest.objects.filter(candidate__email=email.lower())
        .exclude(status__in=CandidateRequest.PUT_AWAY)
        .filter(
            Q(messages__received_at__gte=since)
            | Q(replies__created_at__gte=since, replies__status__in=Reply.LIVE_STATUSES)
        )
        .order_by("-received_at", "-pk")
        .first()
    )


def _may_follow_up(
    plain: list[tuple[str, bytes, mail.ParsedEmail]],
) -> tuple[list, list]:
    """Split a batch's plain messages into those that can only be new requests and those
    that may join a conversation: a sender with a recent request, or one writing twice in
    the batch (the second waits for the first to be stored). find_thread decides each of
    the latter exactly; this is one query so the rest can still be written in bulk."""
    if not plain:
        return [], []
    earliest = min((p.date or timezone.now()) for _, _, p in plain) - follow_up_window()
    emails = {p.sender.email.lower() for _, _, p in plain}
    talking = set(
        CandidateRequest.objects.filter(candidate__email__in=emails)
        .exclude(status__in=CandidateRequest.PUT_AWAY)
        .filter(Q(messages__received_at__gte=earliest) | Q(replies__created_at__gte=earliest))
        .values_list("candidate__email", flat=True)
    )
    new, joining, seen = [], [], set()
    for item in plain:
        email = item[2].sender.email.lower()
        (joining if email in talking or email in seen else new).append(item)
        seen.add(email)
    return new, joining


def add_to_thread(
    *,
    request: CandidateRequest,
    parsed: mail.ParsedEmail,
    message_id: str,
    profile,
    book: Rulebook | None = None,
    raw_sha256: str = "",
) -> Message:
    """Keep a follow-up under its request. An answered request needs an answer again, and
    the rules look again, at everything the candidate wrote new in the thread."""
    files = attachment_files.prepare(parsed.attachments)
    answered_before = request.replies.filter(status=Reply.Status.SENT).exists()
    message = _message(
        request, parsed, message_id, parsed.date or timezone.now(), raw_sha256=raw_sha256
    )
    message.save()
    attachment_files.store(message=message, prepared=files)
    honour_opt_out(candidate=request.candidate, subject=parsed.subject, text=_head(parsed.text))
    texts = request.messages.filter(direction=Message.Direction.IN).values_list("text", flat=True)
    triage(
        request, profile=profile, book=book or current_rulebook(), facts=facts_for(request, texts)
    )
    # Answered or put away, it needs a look again: a new round, which may be answered once.
    if request.status != CandidateRequest.Status.NEW:
        request.status = CandidateRequest.Status.NEW
    request.save()
    if answered_before:
        events.publish(events.CANDIDATE_ANSWERED, request=request, message_id=message.pk)
    return message


# --- One message, start to end --------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    request: CandidateRequest | None = None
    reason: str = ""
    shared_id: str = ""  # a new message stored beside another one with its Message-ID
    bounced_address: str = ""  # a bounce that marked one of our replies


# --- Duplicates ------------------------------------------------------------------------------


def _content(parsed: mail.ParsedEmail) -> tuple[str, str, str]:
    """What makes two messages the same message, however they travelled (an mbox export and
    an IMAP fetch differ in their Received and Status headers)."""
    return (parsed.sender.email, parsed.subject[:500], parsed.text)


def _alternative_id(parsed: mail.ParsedEmail) -> str:
    """Where a message is kept whose Message-ID a different message already has (real MTAs
    and tools reuse them): the ID with the hash of its own content."""
    digest = content_message_id(parsed)[1:17]
    return f"{parsed.message_id}#{digest}"


def _stored_contents(parsed_messages: Iterable[mail.ParsedEmail]) -> dict[str, tuple]:
    """The stored messages under the IDs these messages would take: {id: _content}."""
    keys = []
    for parsed in parsed_messages:
        keys.append(parsed.message_id or content_message_id(parsed))
        if parsed.message_id:
            keys.append(_alternative_id(parsed))
    rows = Message.objects.filter(message_id__in=keys).values_list(
        "message_id", "sender", "subject", "text"
    )
    return {message_id: tuple(content) for message_id, *content in rows}


def storage_id(parsed: mail.ParsedEmail, stored: dict[str, tuple]) -> str | None:
    """The ID to store this message under, or None when it is stored already. `stored`:
    _stored_contents() of it (and of the messages stored before it in the same batch)."""
    message_id = parsed.message_id or content_message_id(parsed)
    if message_id not in stored:
        return message_id
    if not parsed.message_id or stored[message_id] == _content(parsed):
        return None
    alternative = _alternative_id(parsed)
    return None if alternative in stored else alternative


MB = 1024 * 1024  # as MAX_RAW_MESSAGE_BYTES counts them


def too_big(raw: bytes) -> str | None:
    """Why a raw message is refused before it is parsed, or None."""
    limit = settings.MAX_RAW_MESSAGE_BYTES
    if len(raw) <= limit:
        return None
    return (
        f"the message is {len(raw) / MB:.1f} MB, over the {limit / MB:.1f} MB limit "
        "(MAX_RAW_MESSAGE_BYTES): raise the limit and process it again"
    )


def known_raws(raws: Sequence[bytes]) -> tuple[list[str], set[str], set[str]]:
    """Before any parse: each raw message's SHA-256, and which of them are stored already
    (the same bytes, or the same Message-ID on a row stored before hashes were kept) or
    already kept in quarantine. A re-import of stored mail costs this, not a parse each."""
    hashes = [mail.raw_sha256(raw) for raw in raws]
    ids = [mail.message_id_of(raw) for raw in raws]
    stored = set(Message.objects.filter(raw_sha256__in=hashes).values_list("raw_sha256", flat=True))
    legacy = Message.objects.filter(message_id__in=[i for i in ids if i], raw_sha256="")
    legacy_ids = set(legacy.values_list("message_id", flat=True))
    stored.update(h for i, h in zip(ids, hashes, strict=True) if i and i in legacy_ids)
    kept = set(
        QuarantinedMessage.objects.filter(raw_sha256__in=hashes).values_list(
            "raw_sha256", flat=True
        )
    )
    return hashes, stored, kept


# --- Bounces ---------------------------------------------------------------------------------


def mark_bounced(parsed: mail.ParsedEmail) -> Reply | None:
    """The reply of ours this bounce is about, marked "bounced" with the failed address; None
    when it is about none. The reply the report quotes (its Message-ID) first, else the last
    one sent to a failed address. Only a report naming failed addresses counts: an
    out-of-office quotes our Message-ID too."""
    failed = {address.lower() for address in parsed.bounced}
    if not failed:
        return None
    sent = Reply.objects.filter(status__in=[Reply.Status.SENT, Reply.Status.UNKNOWN])
    emails = Q()
    for address in failed:
        emails |= Q(to_email__iexact=address)
    reply = (
        sent.filter(message_id__in=parsed.reported_ids).first() if parsed.reported_ids else None
    ) or sent.filter(emails).order_by("-sent_at", "-created_at").first()
    if reply is None:
        return None
    address = reply.to_email.lower() if reply.to_email.lower() in failed else sorted(failed)[0]
    # Conditional: a reply another bounce (or a recruiter) changed meanwhile is left alone.
    marked = Reply.objects.filter(pk=reply.pk, status=reply.status).update(
        status=Reply.Status.BOUNCED,
        bounced_address=address,
        error=f"Reported by {parsed.machine_reason}."[:2000],
    )
    reply.status, reply.bounced_address = Reply.Status.BOUNCED, address
    if marked:
        events.publish(events.REPLY_BOUNCED, reply=reply, address=address)
    return reply


def blocked_pattern(email: str, blocklist: frozenset[str]) -> str | None:
    """The block-list entry matching this address, or None."""
    email = email.lower()
    domain = email.rpartition("@")[2]
    for pattern in (email, f"*@{domain}"):
        if pattern in blocklist:
            return pattern
    return None


def load_blocklist() -> frozenset[str]:
    return frozenset(BlockedSender.objects.values_list("pattern", flat=True))


def store_parsed(
    parsed: mail.ParsedEmail,
    *,
    profile: rules.Profile,
    blocklist: frozenset[str],
    book: Rulebook | None = None,
    channel: str = CandidateRequest.Channel.EMAIL,
    raw_sha256: str = "",
) -> Result:
    """Store one parsed message: a duplicate, set aside (a bounce for one of our replies
    marks that reply), a follow-up, or a new request."""
    message_id = storage_id(parsed, _stored_contents([parsed]))
    if message_id is None:
        return Result(Outcome.DUPLICATE)
    shared = message_id if message_id != (parsed.message_id or message_id) else ""
    if pattern := blocked_pattern(parsed.sender.email, blocklist):
        return Result(Outcome.SET_ASIDE, reason=f"blocked sender ({pattern})")
    if parsed.machine_reason:
        reason = f"machine mail: {parsed.machine_reason}"
        if (reply := mark_bounced(parsed)) is not None:
            reason += f"; our reply to {reply.bounced_address} (request {reply.request_id}) bounced"
            return Result(
                Outcome.SET_ASIDE,
                request=reply.request,
                reason=reason,
                bounced_address=reply.bounced_address,
            )
        return Result(Outcome.SET_ASIDE, reason=reason)
    if (thread := find_thread(parsed)) is not None:
        add_to_thread(
            request=thread,
            parsed=parsed,
            message_id=message_id,
            profile=profile,
            book=book,
            raw_sha256=raw_sha256,
        )
        return Result(Outcome.THREADED, request=thread, shared_id=shared)
    request = _create_from_parsed(
        parsed,
        message_id=message_id,
        profile=profile,
        book=book,
        channel=channel,
        raw_sha256=raw_sha256,
    )
    if request is None:
        return Result(Outcome.DUPLICATE)
    return Result(Outcome.NEW, request=request, shared_id=shared)


def quarantine(*, raw: bytes, source: str, error: str, kind: str) -> QuarantinedMessage:
    """Keep a message we could not take in, once, with the reason. Taking in the same bytes
    again updates the reason instead of adding a row, and leaves a row a recruiter resolved
    resolved."""
    row, _ = QuarantinedMessage.objects.update_or_create(
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        defaults={"kind": kind, "error": error},
        create_defaults={"kind": kind, "error": error, "raw": raw, "source": source[:1000]},
    )
    return row


def record_message(
    raw: bytes,
    parsed: mail.ParsedEmail | Exception,
    *,
    source: str,
    profile: rules.Profile,
    blocklist: frozenset[str],
    book: Rulebook | None = None,
    channel: str = CandidateRequest.Channel.EMAIL,
) -> Result:
    """Store one message already parsed (or the parse error). Never raises for bad mail:
    what cannot be stored goes to quarantine, with the error."""
    if isinstance(parsed, Exception):
        quarantine(raw=raw, source=source, error=str(parsed), kind=QuarantinedMessage.Kind.FAILED)
        return Result(Outcome.QUARANTINED, reason=str(parsed))
    try:
        with attachment_files.files_removed_on_error(), transaction.atomic():
            result = store_parsed(
                parsed,
                profile=profile,
                blocklist=blocklist,
                book=book,
                channel=channel,
                raw_sha256=mail.raw_sha256(raw),
            )
    except Exception as error:  # a message we cannot store must not stop the others
        log.exception("Storing %s failed", source)
        reason = f"could not store the message: {error}"
        quarantine(raw=raw, source=source, error=reason, kind=QuarantinedMessage.Kind.FAILED)
        return Result(Outcome.QUARANTINED, reason=reason)
    if result.outcome == Outcome.SET_ASIDE:
        kind = (
            QuarantinedMessage.Kind.BLOCKED
            if result.reason.startswith("blocked")
            else QuarantinedMessage.Kind.MACHINE
        )
        quarantine(raw=raw, source=source, error=result.reason, kind=kind)
    return result


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
    with parser_pool(jobs) as pool:
        for read in read_batches(sources):
            todo = _unparsed(read, summary)
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


def _unparsed(sources: list[tuple[str, bytes]], summary: IngestSummary) -> list[tuple[str, bytes]]:
    """The sources of one read batch still to parse: those already stored or kept aside are
    counted as duplicates, and those over the size cap quarantined, without a parse. (A copy
    of a message in an earlier read batch is stored or kept aside by now: found the same.)"""
    todo, seen = [], set()
    for batch in batched(sources, BATCH_SIZE):
        hashes, stored, kept = known_raws([raw for _, raw in batch])
        for (source, raw), digest in zip(batch, hashes, strict=True):
            if digest in stored or digest in kept or digest in seen:
                summary.duplicates += 1
                summary.already_kept_aside += digest in kept
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


def ingest_message(raw: bytes, *, source: str, channel: str) -> Result:
    """Take in one message that arrived some other way than a mail import (the contact
    page builds one): the same checks, threading, triage and files as any email."""
    parsed = MailParseError(reason) if (reason := too_big(raw)) else mail.parse_or_error(raw)
    return record_message(
        raw,
        parsed,
        source=source,
        profile=load_profile(),
        blocklist=load_blocklist(),
        channel=channel,
    )


def _is_plain_request(parsed: mail.ParsedEmail | Exception, blocklist: frozenset[str]) -> bool:
    """A message that can only become a new request (or be a duplicate): no thread to look
    for, not machine mail, not blocked. Most mail is like this, and it is written in bulk."""
    return not (
        isinstance(parsed, Exception)
        or parsed.attachments  # files are written one message at a time
        or parsed.machine_reason
        or parsed.in_reply_to
        or parsed.references
        or _REPLY_SUBJECT.match(parsed.subject)
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
    the one bad message is quarantined and the others stored."""
    book = book or current_rulebook()
    plain = [item for item in items if _is_plain_request(item[2], blocklist)]
    others = [item for item in items if not _is_plain_request(item[2], blocklist)]
    plain, joining = _may_follow_up(plain)
    others = joining + others
    stored = _stored_contents(parsed for _, _, parsed in plain)
    fresh = []
    for source, raw, parsed in plain:
        message_id = storage_id(parsed, stored)
        if message_id is None:
            summary.duplicates += 1
            continue
        stored[message_id] = _content(parsed)
        if message_id != (parsed.message_id or message_id):
            summary.shared_ids.append((source, message_id))
        fresh.append((parsed, message_id, mail.raw_sha256(raw)))
    if fresh:
        try:
            with transaction.atomic():
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
        _count(summary, source, result)


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
        request = _triaged_request(
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
        messages.append(_message(request, parsed, message_id, received_at, raw_sha256=digest))
    CandidateRequest.objects.bulk_create(requests)
    for request, message in zip(requests, messages, strict=True):
        message.request = request  # now that the request has its primary key
    Message.objects.bulk_create(messages)
    assignment.notify_rule_assignments(requests)
    _publish_created(requests)
    for parsed, _, _ in fresh:  # rare, so one by one: the reason is each person's own words
        honour_opt_out(
            candidate=candidates[parsed.sender.email],
            subject=parsed.subject,
            text=_head(parsed.text),
        )
    return requests


def _message(
    request: CandidateRequest,
    parsed: mail.ParsedEmail,
    message_id: str,
    received_at: datetime,
    *,
    raw_sha256: str = "",
) -> Message:
    return _first_message(
        request,
        sender=parsed.sender,
        subject=parsed.subject,
        text=parsed.text,
        html=parsed.html,
        received_at=received_at,
        message_id=message_id,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        raw_sha256=raw_sha256,
        from_header=parsed.from_header,
    )


def _count(summary: IngestSummary, source: str, result: Result) -> None:
    if result.shared_id:
        summary.shared_ids.append((source, result.shared_id))
    if result.bounced_address:
        summary.bounced_replies.append((source, result.bounced_address))
    match result.outcome:
        case Outcome.NEW:
            summary.new += 1
            summary.buckets[result.request.final_bucket] += 1
        case Outcome.DUPLICATE:
            summary.duplicates += 1
        case Outcome.THREADED:
            summary.threaded += 1
        case Outcome.SET_ASIDE:
            summary.set_aside.append((source, result.reason))
        case Outcome.QUARANTINED:
            summary.quarantined.append((source, result.reason))


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


def retry_quarantined(ids: Iterable[int] | None = None, *, take_in: bool = False) -> IngestSummary:
    """Process quarantined messages again (after a fix, or a change to the block list).
    Those that now go through are marked resolved; the others keep their new reason.

    `take_in`: a recruiter read it and says a person wrote it: machine-mail signs are
    ignored, so it becomes a request (or joins its thread) like any other mail."""
    rows = QuarantinedMessage.objects.filter(resolved_at=None).order_by("pk")
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    profile = load_profile()
    blocklist = load_blocklist()
    summary = IngestSummary()
    for row in rows:
        raw = bytes(row.raw)
        parsed = MailParseError(reason) if (reason := too_big(raw)) else mail.parse_or_error(raw)
        if take_in and isinstance(parsed, mail.ParsedEmail):
            parsed = _as_a_persons(parsed)
        with transaction.atomic():
            result = record_message(
                raw, parsed, source=row.source, profile=profile, blocklist=blocklist
            )
            if result.outcome in (Outcome.NEW, Outcome.DUPLICATE, Outcome.THREADED):
                QuarantinedMessage.objects.filter(pk=row.pk).update(resolved_at=timezone.now())
        _count(summary, row.source, result)
    return summary


def _as_a_persons(parsed: mail.ParsedEmail) -> mail.ParsedEmail | MailParseError:
    if not parsed.sender.email:
        return MailParseError(
            "no sender address: there is no one to answer (dismiss it if nothing is to be done)"
        )
    return replace(parsed, machine_reason="", bounced=(), reported_ids=())


def dismiss_quarantined(ids: Iterable[int]) -> int:
    """Mark quarantined messages done without taking them in (a bounce read, a robot's
    notice): they leave the list, and a re-import of the same bytes leaves them there."""
    return QuarantinedMessage.objects.filter(pk__in=list(ids), resolved_at=None).update(
        resolved_at=timezone.now()
    )
