"""Threading: which request a follow-up belongs to, and adding it there."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from triage import events, mail
from triage.models import (
    CandidateRequest,
    Message,
    Reply,
)
from triage.services import attachments as attachment_files
from triage.services.candidates import honour_opt_out
from triage.services.intake.storing import head_of, new_message
from triage.services.rulebook import Rulebook, current_rulebook
from triage.services.verdicts import facts_for, triage

REPLY_SUBJECT = re.compile(r"^\s*(re|aw|sv|antw)\s*(\[\d+\])?\s*:", re.IGNORECASE)


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


def may_follow_up(
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
    message = new_message(
        request, parsed, message_id, parsed.date or timezone.now(), raw_sha256=raw_sha256
    )
    message.save()
    attachment_files.store(message=message, prepared=files)
    honour_opt_out(candidate=request.candidate, subject=parsed.subject, text=head_of(parsed.text))
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
