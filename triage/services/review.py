"""What a recruiter decides about a request."""

from __future__ import annotations

from django.utils import timezone

from triage.models import (
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
