"""Everything that changes data: intake, triage, overrides, replies.

Views and commands call these functions; they hold the flows, the database holds the
promises (see the constraints in models.py)."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import formataddr, make_msgid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from triage import mail, replies, rules
from triage.models import (
    Candidate,
    CandidateRequest,
    KnownContact,
    NotablePerson,
    Opening,
    Reply,
    ReplyTemplate,
    TriageProfile,
)

log = logging.getLogger(__name__)


# --- The profile -------------------------------------------------------------------------


class ProfileMissing(Exception):
    """No triage profile yet: run `manage.py import_profile FILE` or add one in the admin."""


def load_profile() -> rules.Profile:
    """The company as the rules see it, read from the database in four queries."""
    row = TriageProfile.load()
    if row is None:
        raise ProfileMissing(ProfileMissing.__doc__)
    return rules.Profile(
        company=row.company,
        careers_url=row.careers_url,
        recruiter_name=row.recruiter_name,
        recruiter_email=row.recruiter_email.lower(),
        employee_domains=tuple(domain.lower() for domain in row.employee_domains),
        openings=tuple(
            rules.Opening(title=o.title, url=o.url, skills=tuple(o.skills), location=o.location)
            for o in Opening.objects.filter(is_open=True)
        ),
        hard_to_fill_skills=tuple(row.hard_to_fill_skills),
        notable_people=tuple(
            rules.Person(name=p.name, email=p.email.lower()) for p in NotablePerson.objects.all()
        ),
        contacts=tuple(
            rules.Person(name=c.name, email=c.email.lower(), note=c.note)
            for c in KnownContact.objects.all()
        ),
    )


@transaction.atomic
def import_profile(data: dict) -> TriageProfile:
    """Replace the profile, its openings, notable people and contacts with `data`.

    `data` has the shape of a profile.json: company, careers_url, recruiter {name, email},
    employee_domains, openings [{title, url, skills, location}], hard_to_fill_skills,
    notable_people [{name, email}], contacts [{name, email, note}]."""
    try:
        profile = TriageProfile(
            company=data["company"],
            careers_url=data["careers_url"],
            recruiter_name=data["recruiter"]["name"],
            recruiter_email=data["recruiter"]["email"],
            employee_domains=list(data.get("employee_domains", [])),
            hard_to_fill_skills=list(data.get("hard_to_fill_skills", [])),
        )
        openings = [
            Opening(
                title=o["title"],
                url=o["url"],
                skills=list(o.get("skills", [])),
                location=o.get("location", ""),
            )
            for o in data.get("openings", [])
        ]
        notable = [
            NotablePerson(name=p["name"], email=p.get("email", "").lower())
            for p in data.get("notable_people", [])
        ]
        contacts = [
            KnownContact(name=c["name"], email=c["email"].lower(), note=c.get("note", ""))
            for c in data.get("contacts", [])
        ]
    except (KeyError, TypeError) as error:
        raise ValueError(f"profile is missing a field or has a wrong type: {error}") from error
    profile.full_clean()
    profile.save()
    Opening.objects.all().delete()
    Opening.objects.bulk_create(openings)
    NotablePerson.objects.all().delete()
    NotablePerson.objects.bulk_create(notable)
    KnownContact.objects.all().delete()
    KnownContact.objects.bulk_create(contacts)
    return profile


# --- Triage --------------------------------------------------------------------------------


def _addresses(pairs: Iterable) -> tuple[rules.Address, ...]:
    return tuple(rules.Address(name=name, email=email.lower()) for name, email in pairs)


def facts_for(request: CandidateRequest) -> rules.RequestFacts:
    return rules.RequestFacts(
        sender=rules.Address(name=request.candidate.name, email=request.candidate.email),
        subject=request.subject,
        body=mail.new_text(request.body),
        to=_addresses(request.recipients_to),
        cc=_addresses(request.recipients_cc),
    )


def apply_verdict(request: CandidateRequest, verdict: rules.Verdict) -> None:
    """Record the rules' verdict on an unsaved or unsaved-yet request.

    A bucket a recruiter chose is never changed by the rules."""
    request.suggested_bucket = verdict.bucket.value
    request.suggested_rule = verdict.rule
    request.reasons = [{"text": r.text, "evidence": list(r.evidence)} for r in verdict.reasons]
    request.also_matched = list(verdict.also_matched)
    if request.final_bucket_set_by_id is None:
        request.final_bucket = verdict.bucket.value


# --- Intake --------------------------------------------------------------------------------


@dataclass
class IngestSummary:
    new: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    buckets: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "new": self.new,
            "duplicates": self.duplicates,
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "buckets": dict(self.buckets),
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
    profile: rules.Profile,
) -> CandidateRequest | None:
    """Store and triage one request. None when its Message-ID is already stored."""
    if message_id and CandidateRequest.objects.filter(message_id=message_id).exists():
        return None
    with transaction.atomic():
        candidate = _get_or_create_candidate(email=sender.email, name=sender.name)
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
        apply_verdict(request, rules.classify(facts_for(request), profile))
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            # Another import stored the same Message-ID between our check and our insert.
            if message_id and CandidateRequest.objects.filter(message_id=message_id).exists():
                return None
            raise
    return request


NO_MESSAGE_ID_DOMAIN = "no-message-id.invalid"


def content_message_id(parsed: mail.ParsedEmail) -> str:
    """A stand-in Message-ID from sender, date and text, so a message without one is still
    stored once however often it is imported."""
    date = parsed.date.isoformat() if parsed.date else ""
    content = "\0".join([parsed.sender.email, date, parsed.subject, parsed.text])
    return f"<{hashlib.sha256(content.encode()).hexdigest()}@{NO_MESSAGE_ID_DOMAIN}>"


def ingest_email(raw: bytes, *, profile: rules.Profile) -> CandidateRequest | None:
    """Parse, store and triage one raw email. None for a duplicate; MailParseError if unreadable."""
    parsed = mail.parse_email(raw)
    return create_request(
        sender=parsed.sender,
        subject=parsed.subject,
        body=parsed.text,
        received_at=parsed.date or timezone.now(),
        message_id=parsed.message_id or content_message_id(parsed),
        to=parsed.to,
        cc=parsed.cc,
        profile=profile,
    )


def ingest_paths(paths: Iterable[Path]) -> IngestSummary:
    """Ingest every message under `paths`. A bad message is reported and the run goes on."""
    profile = load_profile()
    summary = IngestSummary()
    for path in paths:
        try:
            sources = list(mail.iter_sources(Path(path)))
        except (OSError, ValueError) as error:
            summary.failed.append((str(path), str(error)))
            continue
        for source, raw in sources:
            try:
                request = ingest_email(raw, profile=profile)
            except mail.MailParseError as error:
                summary.failed.append((source, str(error)))
                continue
            if request is None:
                summary.duplicates += 1
            else:
                summary.new += 1
                summary.buckets[request.final_bucket] += 1
    return summary


# --- Review --------------------------------------------------------------------------------


def override_bucket(*, request: CandidateRequest, bucket: str, by) -> CandidateRequest:
    """A recruiter puts the request in another bucket (or back in the suggested one)."""
    request.final_bucket = bucket
    request.final_bucket_set_by = by
    request.final_bucket_set_at = timezone.now()
    request.save(update_fields=["final_bucket", "final_bucket_set_by", "final_bucket_set_at"])
    return request


def matching_openings(request: CandidateRequest, profile: rules.Profile) -> list[rules.Opening]:
    """Open roles whose title or skills the candidate mentions, best match first."""
    return rules.matching_openings(facts_for(request), profile)


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
    from triage.tasks import send_reply  # tasks import services; keep the cycle out of import time

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
    Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.SENT, sent_at=timezone.now())
    reply.refresh_from_db()
    return reply
