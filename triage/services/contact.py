"""The public contact page: a submission becomes an email and goes through intake like any
other, so threading, duplicates, triage and attachments work the same; then the candidate
gets a kind acknowledgement."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime, formataddr

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from triage import tasks
from triage.models import CandidateRequest
from triage.services import intake
from triage.services.outbox import mail_message_id
from triage.services.profiles import load_profile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resume:
    filename: str
    content_type: str
    content: bytes


def build_message(
    *,
    name: str,
    email: str,
    profile_url: str,
    message: str,
    resume: Resume | None,
    recruiter_email: str,
) -> bytes:
    """The submission as the email it stands for.

    No Message-ID and a Date to the minute: intake's content hash (sender, date, subject,
    text) then makes a double submit in the same minute one request, not two."""
    mime = MimeMessage()
    mime["From"] = formataddr((name, email))
    mime["To"] = recruiter_email
    mime["Subject"] = f"Contact form: {name}"
    mime["Date"] = format_datetime(timezone.now().replace(second=0, microsecond=0))
    body = message.strip()
    if profile_url:
        body += f"\n\nProfile: {profile_url}"
    mime.set_content(body)
    if resume is not None:
        maintype, _, subtype = resume.content_type.partition("/")
        mime.add_attachment(
            resume.content, maintype=maintype, subtype=subtype, filename=resume.filename
        )
    return mime.as_bytes()


def submit(
    *, name: str, email: str, profile_url: str, message: str, resume: Resume | None
) -> intake.Result:
    """Take in one submission through intake (channel "form"). The candidate is acknowledged
    when it became a request or joined one; not for a duplicate or one set aside."""
    raw = build_message(
        name=name,
        email=email,
        profile_url=profile_url,
        message=message,
        resume=resume,
        recruiter_email=load_profile().recruiter_email,
    )
    channel = CandidateRequest.Channel.FORM
    result = intake.ingest_message(raw, source="contact form", channel=channel)
    if result.outcome in (intake.Outcome.NEW, intake.Outcome.THREADED):
        request_id = result.request.pk
        transaction.on_commit(lambda: tasks.send_contact_acknowledgement.enqueue(request_id))
    return result


def send_acknowledgement(request_id: int) -> bool:
    """Email the candidate that we have their message and what happens next. False when it
    was not sent: the request is gone, or the person asked not to be contacted."""
    request = CandidateRequest.objects.select_related("candidate").filter(pk=request_id).first()
    if request is None or request.candidate.do_not_contact:
        return False
    profile = load_profile()
    latest = request.messages.filter(direction="in").order_by("-received_at", "-pk").first()
    context = {
        "first_name": request.candidate.first_name,
        "company": profile.company,
        "careers_url": profile.careers_url,
        "recruiter_name": profile.recruiter_name,
        "files": [a.filename for a in latest.attachments.all()] if latest else [],
    }
    message = EmailMessage(
        subject=f"We have your message – {profile.company}",
        body=render_to_string("triage/contact_ack.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((request.candidate.name, request.candidate.email))],
        reply_to=[profile.recruiter_email],  # an answer lands in the inbox intake reads
        # RFC 3834: an automatic answer, so the candidate's own auto-replies leave it alone.
        headers={"Message-ID": mail_message_id(), "Auto-Submitted": "auto-replied"},
    )
    return bool(mailers.default.send_messages([message]))
