"""Before a message is stored: is it stored already (the same bytes, the same Message-ID
and content), too big, from a blocked sender, a bounce of one of our replies; and the
quarantine where what is not taken in is kept, with the reason."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from triage import events, mail
from triage.models import (
    BlockedSender,
    Message,
    QuarantinedMessage,
    Reply,
)
from triage.services.intake.storing import content_message_id


def message_content(parsed: mail.ParsedEmail) -> tuple[str, str, str]:
    """What makes two messages the same message, however they travelled (an mbox export and
    an IMAP fetch differ in their Received and Status headers)."""
    return (parsed.sender.email, parsed.subject[:500], parsed.text)


def _alternative_id(parsed: mail.ParsedEmail) -> str:
    """Where a message is kept whose Message-ID a different message already has (real MTAs
    and tools reuse them): the ID with the hash of its own content."""
    digest = content_message_id(parsed)[1:17]
    return f"{parsed.message_id}#{digest}"


def stored_contents(parsed_messages: Iterable[mail.ParsedEmail]) -> dict[str, tuple]:
    """The stored messages under the IDs these messages would take: {id: message_content}."""
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
    stored_contents() of it (and of the messages stored before it in the same batch)."""
    message_id = parsed.message_id or content_message_id(parsed)
    if message_id not in stored:
        return message_id
    if not parsed.message_id or stored[message_id] == message_content(parsed):
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


def known_raws(raws: Sequence[bytes]) -> tuple[list[str], set[str], dict[str, datetime]]:
    """Before any parse: each raw message's SHA-256, and which of them are stored already
    (the same bytes, or the same Message-ID on a row stored before hashes were kept) or
    already kept in quarantine ({hash: when it was first kept}). A re-import of stored mail
    costs this, not a parse each."""
    hashes = [mail.raw_sha256(raw) for raw in raws]
    ids = [mail.message_id_of(raw) for raw in raws]
    stored = set(Message.objects.filter(raw_sha256__in=hashes).values_list("raw_sha256", flat=True))
    legacy = Message.objects.filter(message_id__in=[i for i in ids if i], raw_sha256="")
    legacy_ids = set(legacy.values_list("message_id", flat=True))
    stored.update(h for i, h in zip(ids, hashes, strict=True) if i and i in legacy_ids)
    kept = dict(
        QuarantinedMessage.objects.filter(raw_sha256__in=hashes).values_list(
            "raw_sha256", "created_at"
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
