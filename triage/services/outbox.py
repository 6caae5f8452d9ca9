"""Replies: drafting from a template, queueing once, sending from the worker."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from triage import replies, rules
from triage.models import (
    CandidateRequest,
    Message,
    Reply,
    ReplyTemplate,
    TriageProfile,
)
from triage.services.intake import NO_MESSAGE_ID_DOMAIN
from triage.services.review import matching_openings

log = logging.getLogger(__name__)


def default_template(bucket: str) -> ReplyTemplate | None:
    return (
        ReplyTemplate.objects.filter(bucket=bucket, is_active=True)
        .order_by("-is_default", "name")
        .first()
    )


def reply_context(request: CandidateRequest, profile: rules.Profile) -> dict[str, str]:
    name_parts = request.candidate.name.split()
    openings = matching_openings(request, profile)
    return {
        "first_name": name_parts[0] if name_parts else "",
        "last_name": " ".join(name_parts[1:]),
        "company": profile.company,
        "careers_url": profile.careers_url,
        "openings": "\n".join(
            f"- {o.title}{f' ({o.location})' if o.location else ''}: {o.url}" for o in openings
        ),
        "recruiter_name": profile.recruiter_name,
        "recruiter_signature": f"{profile.recruiter_name}\nRecruiting, {profile.company}",
        "original_subject": request.subject,
        "original_date": date_format(timezone.localtime(request.received_at), "DATE_FORMAT"),
    }


@dataclass(frozen=True)
class Draft:
    subject: str
    body: str
    blocked_by: tuple[str, ...]  # placeholders that would render empty: the send is refused


def draft_reply(
    request: CandidateRequest, template: ReplyTemplate, profile: rules.Profile
) -> Draft:
    context = reply_context(request, profile)
    blocked = replies.empty_placeholders(template.subject, context) + replies.empty_placeholders(
        template.body, context
    )
    return Draft(
        subject=replies.render(template.subject, context),
        body=replies.render(template.body, context),
        blocked_by=tuple(dict.fromkeys(blocked)),
    )


class AlreadyAnswered(Exception):
    """The request already has a reply queued or sent."""


@transaction.atomic
def queue_reply(
    *, request: CandidateRequest, template: ReplyTemplate | None, subject: str, body: str, by
) -> Reply:
    """Queue the reply for sending; raises AlreadyAnswered if this request has one.

    The unique constraint on live replies is the guard: a double submit or two recruiters
    at once both reach the insert, and only one row can exist."""
    from triage.tasks import (
        send_reply,  # tasks import this module: keep the cycle out of import time
    )

    reply = Reply(
        request=request,
        template=template,
        to_email=request.candidate.email,
        to_name=request.candidate.name,
        subject=subject.strip(),
        body=body.strip() + "\n",
        sent_by=by,
        message_id=mail_message_id(),
    )
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError as error:
        raise AlreadyAnswered(AlreadyAnswered.__doc__) from error
    CandidateRequest.objects.filter(pk=request.pk).update(
        status=CandidateRequest.Status.REPLIED, updated_at=timezone.now()
    )
    transaction.on_commit(lambda: send_reply.enqueue(reply.pk))
    return reply


def mail_message_id() -> str:
    return make_msgid(domain=settings.MESSAGE_ID_DOMAIN)


def send_reply(reply_id: int) -> Reply | None:
    """Send one queued reply. Claims it first, so two workers cannot both send it."""
    claimed = Reply.objects.filter(pk=reply_id, status=Reply.Status.QUEUED).update(
        status=Reply.Status.SENDING
    )
    if not claimed:
        return None
    reply = Reply.objects.select_related("request").get(pk=reply_id)
    profile_row = TriageProfile.load()
    from_name = profile_row.recruiter_name if profile_row else ""
    message = EmailMessage(
        subject=reply.subject,
        body=reply.body,
        from_email=formataddr((from_name, settings.DEFAULT_FROM_EMAIL)),
        to=[formataddr((reply.to_name, reply.to_email))],
        reply_to=[profile_row.recruiter_email] if profile_row else None,
        headers={"Message-ID": reply.message_id, "Auto-Submitted": "no"},
    )
    original = reply.request.message_id or ""
    if original and not original.endswith(f"@{NO_MESSAGE_ID_DOMAIN}>"):
        message.extra_headers.update({"In-Reply-To": original, "References": original})
    try:
        mailers.default.send_messages([message])
    except Exception as error:
        log.warning("Sending reply %s failed: %s", reply.pk, error)
        with transaction.atomic():
            Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.FAILED, error=str(error))
            # Back in the inbox, so the failure is seen and the reply can be sent again.
            CandidateRequest.objects.filter(pk=reply.request_id).update(
                status=CandidateRequest.Status.NEW
            )
        reply.refresh_from_db()
        return reply
    with transaction.atomic():
        Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.SENT, sent_at=timezone.now())
        reply.refresh_from_db()
        record_sent(reply)
    return reply


def record_sent(reply: Reply) -> Message:
    """Our reply as a message in the request's thread, so an answer to it finds its request."""
    return Message.objects.create(
        request_id=reply.request_id,
        direction=Message.Direction.OUT,
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=reply.subject,
        text=reply.body,
        received_at=reply.sent_at,
        message_id=reply.message_id,
    )
