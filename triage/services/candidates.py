"""A person across all their requests: the timeline, skills and notes, do-not-contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from triage import mail, talent
from triage.models import (
    Candidate,
    CandidateNote,
    CandidateRequest,
    HiringOutcome,
    Opening,
    Reply,
    TriageProfile,
)
from triage.services import config_cache, pool


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


def _name_fields(relation: str) -> tuple[str, ...]:
    """What _named reads of the user at `relation`, for a timeline query's values_list()."""
    return tuple(f"{relation}__{field}" for field in ("username", "first_name", "last_name"))


def _named(username: str | None, first_name: str | None, last_name: str | None) -> str:
    """_name of a user read as _name_fields (all None for nobody)."""
    if username is None:
        return ""
    return f"{first_name} {last_name}".strip() or username  # as User.get_full_name


def _labels(model, field: str) -> dict:
    """A field's choices' labels by value, as get_<field>_display shows them (a value
    without a label shows as itself)."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


TIMELINE_PAGE = 50


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    older: str  # the cursor of the next page ("" at the end): `before=` in the URL

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)


def timeline_cursor(value: str | None) -> datetime | None:
    """`before=` from the URL: a moment, or None (the newest page) for anything else."""
    try:
        moment = datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def timeline(
    candidate: Candidate, *, before: datetime | None = None, size: int = TIMELINE_PAGE
) -> TimelinePage:
    """Everything that happened with this person, newest first, a page of `size` entries
    older than `before`, in six queries however long their history: each kind of entry is
    read newest first and cut at `size` + 1, then merged."""
    limit = size + 1
    older = (lambda field: {f"{field}__lt": before}) if before else (lambda field: {})
    entries = []
    # Each kind is read as plain values, only what the entry shows (the people as the three
    # fields _named reads): 300 whole rows with their users cost more Python than the rest
    # of the page.
    requests = candidate.requests.filter(**older("received_at")).order_by("-received_at", "-pk")
    for pk, subject, body, received_at in requests.values_list(
        "id", "subject", "body", "received_at"
    )[:limit]:
        entries.append(
            TimelineEntry(
                at=received_at,
                kind="request",
                title=f"Wrote: {subject or '(no subject)'}",
                text=body[:TEXT_CHARS],
                request_id=pk,
            )
        )
    moved = candidate.requests.filter(
        final_bucket_set_at__isnull=False, **older("final_bucket_set_at")
    ).order_by("-final_bucket_set_at")
    bucket_label = _labels(CandidateRequest, "final_bucket")
    suggested_label = _labels(CandidateRequest, "suggested_bucket")
    for pk, final, suggested, at, *by in moved.values_list(
        "id",
        "final_bucket",
        "suggested_bucket",
        "final_bucket_set_at",
        *_name_fields("final_bucket_set_by"),
    )[:limit]:
        entries.append(
            TimelineEntry(
                at=at,
                kind="bucket",
                title=f"Moved to {bucket_label.get(final, final)}",
                text=f"The rules suggested {suggested_label.get(suggested, suggested)}.",
                by=_named(*by),
                request_id=pk,
            )
        )
    assigned = candidate.requests.filter(
        assigned_at__isnull=False, assigned_to__isnull=False, **older("assigned_at")
    ).order_by("-assigned_at")
    for pk, at, *people in assigned.values_list(
        "id", "assigned_at", *_name_fields("assigned_to"), *_name_fields("assigned_by")
    )[:limit]:
        entries.append(
            TimelineEntry(
                at=at,
                kind="assigned",
                title=f"Assigned to {_named(*people[:3])}, hiring manager",
                by=_named(*people[3:]),
                request_id=pk,
            )
        )
    outcomes = HiringOutcome.objects.filter(request__candidate=candidate, **older("recorded_at"))
    outcome_label = _labels(HiringOutcome, "kind")
    for request_id, at, kind, note, *by in outcomes.order_by("-recorded_at").values_list(
        "request_id", "recorded_at", "kind", "note", *_name_fields("recorded_by")
    )[:limit]:
        entries.append(
            TimelineEntry(
                at=at,
                kind="outcome",
                title=f"Outcome: {outcome_label.get(kind, kind)}",
                text=note,
                by=_named(*by),
                request_id=request_id,
            )
        )
    replies = (
        Reply.objects.filter(candidate=candidate)
        .annotate(at=Coalesce("sent_at", "created_at"))
        .filter(**older("at"))
        .order_by("-at")
    )
    status_label = _labels(Reply, "status")
    for request_id, at, status, subject, body, *by in replies.values_list(
        "request_id", "at", "status", "subject", "body", *_name_fields("sent_by")
    )[:limit]:
        entries.append(
            TimelineEntry(
                at=at,
                kind="reply",
                title=f"Reply {status_label.get(status, status).lower()}: {subject}",
                text=body[:TEXT_CHARS],
                by=_named(*by),
                request_id=request_id,
            )
        )
    notes = candidate.timeline_notes.filter(**older("created_at")).select_related("author")
    for note in notes.order_by("-created_at")[:limit]:
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
    entries = sorted(
        (entry for entry in entries if before is None or entry.at < before),
        key=lambda entry: entry.at,
        reverse=True,
    )
    if len(entries) <= size:
        return TimelinePage(entries=entries, older="")
    # Cut before the first entry not shown and every other of its moment (some of those may
    # not have been read): the next page starts strictly before the last one shown.
    first_left = entries[size].at
    cut = size
    while cut > 0 and entries[cut - 1].at == first_left:
        cut -= 1
    cut = cut or size  # more than a page at one moment: show a page of them
    return TimelinePage(entries=entries[:cut], older=entries[cut - 1].at.isoformat())


# The page shows this much of a message or a reply (it cut at 600 characters already).
TEXT_CHARS = 1000
# What skills and a location are suggested from: their newest requests.
SUGGEST_FROM = 50


def _recent_text(candidate: Candidate) -> str:
    recent = candidate.requests.order_by("-received_at").values_list("subject", "body")
    return "\n".join(f"{subject}\n{body}" for subject, body in recent[:SUGGEST_FROM])


def _skill_vocabulary() -> list[str]:
    role_skills = Opening.objects.values_list("skills", flat=True)
    vocabulary = [skill for skills in role_skills for skill in skills]
    profile = TriageProfile.load()
    return vocabulary + (list(profile.hard_to_fill_skills) if profile else [])


def _role_places() -> list[str]:
    return list(Opening.objects.exclude(location="").values_list("location", flat=True))


def suggested_skills(candidate: Candidate, *, user=None, text: str | None = None) -> list[str]:
    """Skills the company cares about (roles, hard-to-fill) that this person's messages name.
    `user`: the signed-in user, on a page (the vocabulary is kept in memory, config_cache);
    `text`: recent_text() of the candidate, if the caller has it."""
    vocabulary = config_cache.cached("skill-vocabulary", _skill_vocabulary, user=user)
    text = _recent_text(candidate) if text is None else text
    return talent.suggest_skills(text=text, vocabulary=vocabulary, have=candidate.skills)


def suggested_location(candidate: Candidate, *, user=None, text: str | None = None) -> str:
    """Where their messages say they are, or a role's place they name; "" when we have a
    location already or nothing to go on. `user`, `text`: as suggested_skills takes them."""
    if candidate.location:
        return ""
    places = config_cache.cached("role-places", _role_places, user=user)
    text = _recent_text(candidate) if text is None else text
    return talent.suggest_location(text=text, places=places)


def recent_text(candidate: Candidate) -> str:
    """What the suggestions read: the person's newest requests' subjects and bodies."""
    return _recent_text(candidate)


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
