"""What a recruiter decides about a request."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, StringAgg, Subquery, Value
from django.utils import timezone

from triage.models import (
    Attachment,
    CandidateRequest,
)

# --- Review --------------------------------------------------------------------------------


def override_bucket(
    *, request: CandidateRequest, bucket: str, by, reason: str = ""
) -> CandidateRequest:
    """A recruiter puts the request in another bucket (or back in the suggested one), saying
    why if they like: the reasons are what show whether a rule needs fixing."""
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
    return request


def inbox_requests(*, status: str = "", query: str = "") -> QuerySet[CandidateRequest]:
    """The inbox's filter (every bucket): the list, its counts and bulk replies share it."""
    requests = CandidateRequest.objects.all()
    if status:
        requests = requests.filter(status=status)
    if query:
        requests = requests.filter(
            Q(subject__icontains=query)
            | Q(body__icontains=query)
            | Q(candidate__name__icontains=query)
            | Q(candidate__email__icontains=query)
        )
    return requests


def with_attachment_names(requests: QuerySet[CandidateRequest]) -> QuerySet[CandidateRequest]:
    """Each request with `attachment_names`: its files' names, comma-separated (None when it
    has none). A subquery in the same query, so the inbox costs no query per row."""
    names = (
        Attachment.objects.filter(message__request=OuterRef("pk"))
        .values("message__request")
        .annotate(names=StringAgg("filename", delimiter=Value(", ")))
        .values("names")
    )
    return requests.annotate(attachment_names=Subquery(names))
