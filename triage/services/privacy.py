"""Privacy law's two duties: give a person their data, and forget them when asked or when
we no longer need it. What is left afterwards is an ErasureRecord: counts, never who."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from triage import events
from triage.models import (
    Attachment,
    Bucket,
    Candidate,
    CandidateNote,
    CandidateRequest,
    ErasureRecord,
    KnownContact,
    NotablePerson,
    Reply,
)
from triage.services import attachments as attachment_files
from triage.services import audit, pool

DEFAULT_RETENTION_DAYS = 180


def export_candidate(candidate: Candidate) -> dict:
    """Everything we hold on one person, as plain JSON-able data."""

    def when(value):
        return value.isoformat() if value else None

    return {
        "email": candidate.email,
        "name": candidate.name,
        "skills": candidate.skills,
        "skills_read_from": {
            row.name: row.evidence for row in candidate.skill_rows.all() if row.evidence
        },
        "location": candidate.location,
        "location_read_from": candidate.location_evidence,
        "notes": candidate.notes,
        "do_not_contact": candidate.do_not_contact,
        "do_not_contact_reason": candidate.do_not_contact_reason,
        "talent_pool_consent_given": when(candidate.consent_given_at),
        "talent_pool_consent_expires": when(candidate.consent_expires_at),
        "next_follow_up": when(candidate.next_follow_up),
        "first_seen": when(candidate.created_at),
        "requests": [
            {
                "received_at": when(req.received_at),
                "channel": req.channel,
                "subject": req.subject,
                "body": req.body,
                "to": req.recipients_to,
                "cc": req.recipients_cc,
                "bucket": req.final_bucket,
                "reasons": [reason.get("text", "") for reason in req.reasons],
                "hiring_outcomes": [
                    {"at": when(o.recorded_at), "outcome": o.kind, "note": o.note}
                    for o in req.outcomes.all()
                ],
                "attachments": [
                    {
                        "filename": attachment.filename,
                        "content_type": attachment.content_type,
                        "size": attachment.size,
                        "kept": attachment.is_stored,
                        "refused_reason": attachment.refused_reason,
                        "extracted_text": attachment.text,
                        "extraction_error": attachment.extraction_error,
                    }
                    for message in req.messages.all()
                    for attachment in message.attachments.all()
                ],
                "replies": [
                    {
                        "sent_at": when(reply.sent_at),
                        "status": reply.status,
                        "subject": reply.subject,
                        "body": reply.body,
                    }
                    for reply in req.replies.all()
                ],
            }
            for req in candidate.requests.prefetch_related(
                "replies", "outcomes", "messages__attachments"
            ).order_by("received_at")
        ],
        "notes_by_recruiters": [
            {"at": when(note.created_at), "text": note.body}
            for note in candidate.timeline_notes.order_by("created_at")
        ],
    }


def _erase(candidates, *, reason: str, by=None) -> ErasureRecord:
    """Delete these people with everything they sent and we sent them; keep the counts."""
    candidate_ids = list(candidates.values_list("pk", flat=True))
    requests = CandidateRequest.objects.filter(candidate_id__in=candidate_ids)
    by_bucket = Counter(
        {
            row["final_bucket"]: row["n"]
            for row in requests.values("final_bucket").annotate(n=Count("pk"))
        }
    )
    record = ErasureRecord(
        reason=reason,
        candidates=len(candidate_ids),
        requests=sum(by_bucket.values()),
        replies=Reply.objects.filter(request__candidate_id__in=candidate_ids).count(),
        requests_by_bucket={bucket: by_bucket.get(bucket, 0) for bucket in Bucket.values},
        erased_by=by,
    )
    _erase_admin_history(candidate_ids)
    emails = list(candidates.values_list("email", flat=True))
    # The profile may name them too (a known contact, a notable person): forget that as well.
    KnownContact.objects.filter(email__in=emails).delete()
    NotablePerson.objects.filter(email__in=emails).delete()
    # Their files live outside the database: delete them once the rows' deletion commits.
    attachment_files.delete_files(
        Attachment.objects.filter(message__request__candidate_id__in=candidate_ids)
    )
    Candidate.objects.filter(pk__in=candidate_ids).delete()  # requests, replies, notes cascade
    record.save()
    # Only the id leaves: a subscriber (a webhook) learns that someone was erased, not who.
    for candidate_id in candidate_ids:
        events.publish(events.PERSON_ERASED, candidate_id=candidate_id, actor=by)
    return record


def _erase_admin_history(candidate_ids: list[int]) -> None:
    """The admin's change log repeats names and addresses in object_repr: drop their rows."""
    for model, ids in (
        (Candidate, candidate_ids),
        (CandidateRequest, CandidateRequest.objects.filter(candidate_id__in=candidate_ids)),
        (Reply, Reply.objects.filter(request__candidate_id__in=candidate_ids)),
        (CandidateNote, CandidateNote.objects.filter(candidate_id__in=candidate_ids)),
    ):
        if not isinstance(ids, list):
            ids = list(ids.values_list("pk", flat=True))
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        ).delete()


def _erase_request_history(requests) -> None:
    for model, ids in (
        (CandidateRequest, list(requests.values_list("pk", flat=True))),
        (Reply, list(Reply.objects.filter(request__in=requests).values_list("pk", flat=True))),
    ):
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in ids],
        ).delete()


@transaction.atomic
def erase_candidate(*, candidate: Candidate, by) -> ErasureRecord:
    pk = candidate.pk
    record = _erase(Candidate.objects.filter(pk=pk), reason=ErasureRecord.Reason.REQUEST, by=by)
    audit.record(
        action=audit.Action.ERASED,
        by=by,
        target_type="candidate",
        target_id=pk,
        description=f"Erased candidate #{pk} ({record.requests} requests, "
        f"{record.replies} replies)",
    )
    return record


@transaction.atomic
def purge_expired(*, days: int = DEFAULT_RETENTION_DAYS, now=None) -> ErasureRecord | None:
    """Remove answered funnel requests older than `days`, and the people left with nothing.

    None when nothing had expired."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = CandidateRequest.objects.filter(
        final_bucket=Bucket.FUNNEL, status=CandidateRequest.Status.REPLIED, received_at__lt=cutoff
    )
    candidate_ids = set(expired.values_list("candidate_id", flat=True))
    if not candidate_ids:
        return None
    replies = Reply.objects.filter(request__in=expired).count()
    requests = expired.count()
    _erase_request_history(expired)
    attachment_files.delete_files(Attachment.objects.filter(message__request__in=expired))
    expired.delete()
    pool.refresh(candidate_ids)  # their last contact may have gone with what expired
    # A person whose every request has expired is no longer anyone we need to know.
    gone = Candidate.objects.filter(pk__in=candidate_ids, requests__isnull=True)
    people = _erase(gone, reason=ErasureRecord.Reason.RETENTION)
    people.requests = requests
    people.replies = replies
    people.requests_by_bucket = {bucket: 0 for bucket in Bucket.values} | {Bucket.FUNNEL: requests}
    people.save()
    return people


def lapsed_pool_candidates(now: datetime):
    """Network-later people we may no longer keep: their consent has expired, or we asked
    (the last reply we sent on a network-later request) more than CONSENT_WAIT_DAYS ago and
    they never gave it.

    Left alone, whatever their consent: anyone with an exceptional request or one assigned
    to a hiring manager (a conversation about hiring them is under way), and anyone with an
    unanswered request (they wrote again and are owed an answer first)."""
    theirs = CandidateRequest.objects.filter(candidate=OuterRef("pk"))
    asked_at = (
        Reply.objects.filter(
            request__candidate=OuterRef("pk"),
            request__final_bucket=Bucket.NETWORK,
            status=Reply.Status.SENT,
            kind=Reply.Kind.ANSWER,  # telling them a role opened is not asking again
        )
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    waited_since = now - timedelta(days=settings.CONSENT_WAIT_DAYS)
    return (
        Candidate.objects.filter(Exists(theirs.filter(final_bucket=Bucket.NETWORK)))
        .exclude(
            Exists(
                theirs.filter(
                    Q(final_bucket=Bucket.EXCEPTIONAL)
                    | Q(assigned_to__isnull=False)
                    | Q(status=CandidateRequest.Status.NEW)
                )
            )
        )
        .annotate(asked_at=Subquery(asked_at))
        .filter(
            Q(consent_expires_at__lt=now)
            | Q(consent_given_at__isnull=True, asked_at__lt=waited_since)
        )
    )


@transaction.atomic
def purge_lapsed_consent(*, now: datetime | None = None) -> ErasureRecord | None:
    """Erase, like a request to be forgotten, the pool people whose consent lapsed or never
    came. None when there was nobody."""
    lapsed = lapsed_pool_candidates(now or timezone.now())
    if not lapsed.exists():
        return None
    return _erase(lapsed, reason=ErasureRecord.Reason.CONSENT)
