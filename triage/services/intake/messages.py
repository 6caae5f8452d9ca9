"""One message, start to end: stored as a duplicate, set aside, a follow-up or a new request,
never raising for bad mail; the contact page's message; the quarantine processed again."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from triage import events, mail, rules
from triage.mail import MailParseError
from triage.models import (
    CandidateRequest,
    QuarantinedMessage,
)
from triage.services import attachments as attachment_files
from triage.services.intake.screening import (
    blocked_pattern,
    load_blocklist,
    mark_bounced,
    quarantine,
    storage_id,
    stored_contents,
    too_big,
)
from triage.services.intake.storing import (
    IngestSummary,
    Outcome,
    Result,
    count_outcome,
    create_from_parsed,
)
from triage.services.intake.threads import add_to_thread, find_thread
from triage.services.profiles import load_profile
from triage.services.rulebook import Rulebook

log = logging.getLogger(__name__)


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
    message_id = storage_id(parsed, stored_contents([parsed]))
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
    request = create_from_parsed(
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
        # Inside an import's batch, the events of a message that fails go with its rows.
        with attachment_files.files_removed_on_error(), transaction.atomic(), events.batch():
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
        count_outcome(summary, row.source, result)
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
