"""Reply templates and sender settings that recruiters edit in the app."""

from __future__ import annotations

from django.db import transaction

from triage import replies
from triage.models import CandidateRequest, RecruiterProfile, ReplyTemplate
from triage.services import audit, outbox, profiles


@transaction.atomic
def save_template(template: ReplyTemplate, *, by=None) -> ReplyTemplate:
    """Save a validated template. Made the default, it takes the place of its bucket's old one
    (the one-default-per-bucket constraint holds, and nobody has to untick the other first)."""
    if template.is_default:
        ReplyTemplate.objects.filter(bucket=template.bucket, is_default=True).exclude(
            pk=template.pk
        ).update(is_default=False)
    is_new = template.pk is None
    template.save()
    audit.record(
        action=audit.Action.CHANGED_TEMPLATE,
        by=by,
        target=template,
        description=f"{'Added' if is_new else 'Edited'} reply template #{template.pk}",
    )
    return template


def recruiter_profile(user) -> RecruiterProfile:
    """The user's sender settings, unsaved and blank (all fallbacks) if they have none yet."""
    return RecruiterProfile.objects.filter(user=user).first() or RecruiterProfile(user=user)


def preview_template(*, subject: str, body: str, request_id, by) -> dict:
    """What the template would send to one request (the chosen one, else the newest), or
    the problems that stop it from rendering."""
    problems = replies.check(subject) + replies.check(body)
    if problems:
        return {"problems": problems}
    requests = CandidateRequest.objects.select_related("candidate")
    request = (request_id and requests.filter(pk=request_id).first()) or requests.first()
    if request is None:
        return {"problems": ["There is no request to preview against yet."]}
    try:
        profile = profiles.load_profile()
    except profiles.ProfileMissing as missing:
        return {"problems": [str(missing)]}
    return {"request": request, "draft": outbox.draft_text(request, subject, body, profile, by)}
