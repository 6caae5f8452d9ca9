"""What a recruiter decides about a request: its bucket, and putting it away unanswered."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from triage import events
from triage.models import BlockedSender, CandidateRequest
from triage.services import audit

# --- Review --------------------------------------------------------------------------------


@transaction.atomic
def override_bucket(
    *, request: CandidateRequest, bucket: str, by, reason: str = ""
) -> CandidateRequest:
    """A recruiter puts the request in another bucket (or back in the suggested one), saying
    why if they like: the reasons are what show whether a rule needs fixing."""
    was = request.final_bucket
    request.final_bucket = bucket
    request.final_bucket_set_by = by
    request.final_bucket_set_at = timezone.now()
    request.override_reason = reason.strip()
    request.save(
        update_fields=[
            "final_bucket",
            "final_bucket_set_by",
            "final_bucket_set_at",
            "override_reason",
        ]
    )
    if bucket != was:
        events.publish(events.BUCKET_CHANGED, request=request, actor=by, was=was, bucket=bucket)
    audit.record(
        action=audit.Action.CHANGED_BUCKET,
        by=by,
        target=request,
        description=f"Request #{request.pk}: {was} → {bucket}",
    )
    return request


class AlreadyPutAway(Exception):
    """The request was already closed, archived or marked as spam."""


# Each way to put a request away without replying, as the pages and the audit say it.
PUT_AWAY_LABELS = {
    CandidateRequest.Status.CLOSED: "closed",
    CandidateRequest.Status.ARCHIVED: "archived",
    CandidateRequest.Status.SPAM: "marked as spam",
}


@transaction.atomic
def put_away(*, request: CandidateRequest, status: str, by, reason: str) -> CandidateRequest:
    """Close, archive or mark as spam without a reply, recording who, when and why.

    A conditional UPDATE claims the change, so two recruiters (or a double click) cannot
    both do it; the second gets AlreadyPutAway. Spam also puts the sender on the block list,
    so their next mail is set aside (shown under Quarantine) instead of reaching the inbox;
    a recruiter lifts it in the admin (Blocked senders). A request is put away from any
    other state: a replied one may be closed too."""
    if status not in PUT_AWAY_LABELS:
        raise ValueError(f"Not a way to put a request away: {status!r}")
    reason = " ".join(reason.split())
    if not reason:
        raise ValueError("Say why, so the next person knows.")
    now = timezone.now()
    claimed = (
        CandidateRequest.objects.filter(pk=request.pk)
        .exclude(status__in=CandidateRequest.PUT_AWAY)
        .update(
            status=status, put_away_by=by, put_away_at=now, put_away_reason=reason, updated_at=now
        )
    )
    if not claimed:
        raise AlreadyPutAway(AlreadyPutAway.__doc__)
    if status == CandidateRequest.Status.SPAM:
        email = request.candidate.email.lower()
        BlockedSender.objects.get_or_create(
            pattern=email, defaults={"note": f"Marked as spam: {reason}"[:200]}
        )
    request.refresh_from_db()
    return request
