"""Storing one request: a new request with its first message and files, triaged; the
summary of an import and the outcome of each message."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone

from triage import events, mail, rules
from triage.models import (
    Attachment,
    Candidate,
    CandidateRequest,
    Message,
)
from triage.services import assignment
from triage.services import attachments as attachment_files
from triage.services.candidates import honour_opt_out
from triage.services.rulebook import Rulebook, current_rulebook
from triage.services.verdicts import facts_for, triage


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


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    request: CandidateRequest | None = None
    reason: str = ""
    shared_id: str = ""  # a new message stored beside another one with its Message-ID
    bounced_address: str = ""  # a bounce that marked one of our replies


def count_outcome(summary: IngestSummary, source: str, result: Result) -> None:
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
        request = triaged_request(
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
            honour_opt_out(candidate=candidate, subject=subject, text=head_of(body))
            assignment.notify_rule_assignments([request])
            publish_created([request])
        except IntegrityError:
            # Another import stored the same Message-ID between our check and our insert.
            if message_id and Message.objects.filter(message_id=message_id).exists():
                return None
            raise
    return request


def triaged_request(
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


def publish_created(requests: Iterable[CandidateRequest]) -> None:
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


def head_of(text: str) -> str:
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
    return create_from_parsed(
        parsed,
        message_id=parsed.message_id or content_message_id(parsed),
        profile=profile,
        book=None,
    )


def create_from_parsed(
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


def new_message(
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
