"""A person across all their requests: the timeline, skills and notes, do-not-contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from triage import mail, talent
from triage.models import (
    Candidate,
    CandidateNote,
    HiringOutcome,
    Opening,
    Reply,
    TriageProfile,
)
from triage.services import pool


class DoNotContact(Exception):
    """This person asked not to be contacted: nothing was sent."""


def ensure_contactable(candidate_id: int) -> None:
    """Raise DoNotContact if the flag is set. Reads the row, not a possibly stale instance."""
    if Candidate.objects.filter(pk=candidate_id, do_not_contact=True).exists():
        raise DoNotContact(DoNotContact.__doc__)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "request", "reply", "bucket", "note", "assigned", "outcome", "do_not_contact"...
    title: str
    text: str = ""
    by: str = ""
    request_id: int | None = None  # the request page it links to


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def timeline(candidate: Candidate) -> list[TimelineEntry]:
    """Everything that happened with this person, newest first, in five queries."""
    entries = []
    requests = list(
        candidate.requests.select_related("final_bucket_set_by", "assigned_to", "assigned_by")
    )
    for req in requests:
        entries.append(
            TimelineEntry(
                at=req.received_at,
                kind="request",
                title=f"Wrote: {req.subject or '(no subject)'}",
                text=req.body,
                request_id=req.pk,
            )
        )
        if req.final_bucket_set_at:
            entries.append(
                TimelineEntry(
                    at=req.final_bucket_set_at,
                    kind="bucket",
                    title=f"Moved to {req.get_final_bucket_display()}",
                    text=f"The rules suggested {req.get_suggested_bucket_display()}.",
                    by=_name(req.final_bucket_set_by),
                    request_id=req.pk,
                )
            )
        if req.assigned_at and req.assigned_to:
            entries.append(
                TimelineEntry(
                    at=req.assigned_at,
                    kind="assigned",
                    title=f"Assigned to {_name(req.assigned_to)}, hiring manager",
                    by=_name(req.assigned_by),
                    request_id=req.pk,
                )
            )
    outcomes = HiringOutcome.objects.filter(request__candidate=candidate)
    for outcome in outcomes.select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                at=outcome.recorded_at,
                kind="outcome",
                title=f"Outcome: {outcome.get_kind_display()}",
                text=outcome.note,
                by=_name(outcome.recorded_by),
                request_id=outcome.request_id,
            )
        )
    replies = Reply.objects.filter(request__candidate=candidate).select_related("sent_by")
    for reply in replies:
        entries.append(
            TimelineEntry(
                at=reply.sent_at or reply.created_at,
                kind="reply",
                title=f"Reply {reply.get_status_display().lower()}: {reply.subject}",
                text=reply.body,
                by=_name(reply.sent_by),
                request_id=reply.request_id,
            )
        )
    for note in candidate.timeline_notes.select_related("author"):
        entries.append(
            TimelineEntry(
                at=note.created_at, kind="note", title="Note", text=note.body, by=_name(note.author)
            )
        )
    if candidate.do_not_contact and candidate.do_not_contact_set_at:
        entries.append(
            TimelineEntry(
                at=candidate.do_not_contact_set_at,
                kind="do_not_contact",
                title="Marked do not contact",
                text=candidate.do_not_contact_reason,
                by=_name(candidate.do_not_contact_set_by),
            )
        )
    if candidate.consent_given_at:
        entries.append(
            TimelineEntry(
                at=candidate.consent_given_at,
                kind="consent",
                title=(
                    "Agreed to stay in the talent pool until "
                    f"{timezone.localtime(candidate.consent_expires_at):%-d %b %Y}"
                ),
                text="" if candidate.consent_recorded_by else "Through the link in our email.",
                by=_name(candidate.consent_recorded_by),
            )
        )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def suggested_skills(candidate: Candidate) -> list[str]:
    """Skills the company cares about (roles, hard-to-fill) that this person's messages name."""
    role_skills = Opening.objects.values_list("skills", flat=True)
    vocabulary = [skill for skills in role_skills for skill in skills]
    profile = TriageProfile.load()
    vocabulary += profile.hard_to_fill_skills if profile else []
    text = "\n".join(f"{r.subject}\n{r.body}" for r in candidate.requests.all())
    return talent.suggest_skills(text=text, vocabulary=vocabulary, have=candidate.skills)


def suggested_location(candidate: Candidate) -> str:
    """Where their messages say they are, or a role's place they name; "" when we have a
    location already or nothing to go on."""
    if candidate.location:
        return ""
    places = list(Opening.objects.exclude(location="").values_list("location", flat=True))
    text = "\n".join(f"{r.subject}\n{r.body}" for r in candidate.requests.all())
    return talent.suggest_location(text=text, places=places)


def update_location(*, candidate: Candidate, location: str) -> Candidate:
    return pool.set_location(candidate=candidate, location=location)


def update_skills(*, candidate: Candidate, skills: list[str] | str) -> Candidate:
    pool.set_skills(candidate=candidate, skills=skills)
    return candidate


def add_note(*, candidate: Candidate, body: str, by) -> CandidateNote:
    return CandidateNote.objects.create(candidate=candidate, body=body.strip(), author=by)


@transaction.atomic
def set_do_not_contact(*, candidate: Candidate, value: bool, by, reason: str = "") -> Candidate:
    """Set or clear the flag; who, when and why are kept while it is set. `by` is None when
    the candidate asked themselves (`reason` says how). Setting it withdraws any consent to
    stay in touch: one current answer (services/consent.py, a database constraint)."""
    candidate.do_not_contact = value
    candidate.do_not_contact_set_by = by if value else None
    candidate.do_not_contact_set_at = timezone.now() if value else None
    candidate.do_not_contact_reason = reason[:300] if value else ""
    fields = ["do_not_contact", "do_not_contact_set_by", "do_not_contact_set_at"]
    if value:
        candidate.consent_given_at = candidate.consent_expires_at = None
        candidate.consent_recorded_by = None
        fields += ["consent_given_at", "consent_expires_at", "consent_recorded_by"]
    candidate.save(update_fields=[*fields, "do_not_contact_reason"])
    return candidate


def honour_opt_out(*, candidate: Candidate, subject: str, text: str) -> bool:
    """Set do-not-contact when what the candidate just wrote asks us to leave them alone,
    with their words as the reason. True if it did. `text` is the whole body: only their
    new words count, not the history they quoted (our own email, say)."""
    if candidate.do_not_contact or talent.asks_to_be_left_alone(f"{subject}\n{text}") is None:
        return False  # the usual case, decided without splitting off the quoted history
    words = talent.asks_to_be_left_alone(f"{subject}\n{mail.new_text(text)}")
    if words is None:
        return False
    set_do_not_contact(
        candidate=candidate, value=True, by=None, reason=f"They asked to be left alone: “{words}”"
    )
    return True
