"""The demo's past (seed_demo): answers sent to some demo requests, and people kept in touch
with months ago whose follow-up is due, so a fresh `make run` shows a dashboard with replies
and a follow-up digest with names. Only for the demo: real replies go through the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from triage import rules
from triage.models import Bucket, CandidateRequest, HiringOutcome, Reply
from triage.services import assignment, consent, intake, outbox

# How many requests the demo's hiring manager is given, so their page has some to show.
MANAGER_REQUESTS = 3


@transaction.atomic
def record_history(*, history: dict, by, profile: rules.Profile, now: datetime) -> int:
    """Store `history` (triage/demo/history.json) once: requests already answered are left
    as they are, so a second run adds nothing. Returns the replies it stored."""
    stored = 0
    for number, item in enumerate(history["kept_in_touch"]):
        received_at = (now - timedelta(days=item["days_ago"])).replace(hour=item["hour"], minute=0)
        intake.create_request(
            sender=rules.Address(name=item["from_name"], email=item["from_email"]),
            subject=item["subject"],
            body=item["body"],
            received_at=min(received_at, now),
            message_id=f"<demo-history-{number}@seed.invalid>",
            to=[],
            cc=[],
            profile=profile,
        )
    answers = [*history["answers"], *({**i, "consent": True} for i in history["kept_in_touch"])]
    for item in answers:
        request = (
            CandidateRequest.objects.filter(
                candidate__email=item["from_email"], subject=item["subject"]
            )
            .select_related("candidate")
            .first()
        )
        if request is None or request.replies.exists():
            continue
        sent_at = min(request.received_at + timedelta(hours=item["after_hours"]), now)
        _answer(
            request,
            status=item.get("status", Reply.Status.SENT),
            at=sent_at,
            by=by,
            profile=profile,
        )
        if item.get("consent"):
            consent.record_consent(candidate=request.candidate, now=sent_at + timedelta(hours=2))
        stored += 1
    return stored


def _answer(request: CandidateRequest, *, status: str, at: datetime, by, profile) -> Reply:
    template = outbox.default_template(request.final_bucket, request=request)
    draft = outbox.draft_reply(request, template, profile, by)
    failed = status == Reply.Status.FAILED
    reply = Reply.objects.create(
        request=request,
        template=template,
        to_email=request.candidate.email,
        to_name=request.candidate.name,
        subject=draft.subject,
        body=draft.body,
        sent_by=by,
        status=status,
        sent_at=None if failed else at,
        message_id=outbox.mail_message_id(),
        error="550 5.1.1 Mailbox unavailable (demo)" if failed else "",
        bounced_address=request.candidate.email if status == Reply.Status.BOUNCED else "",
        attempts=1,
    )
    Reply.objects.filter(pk=reply.pk).update(created_at=at)
    if not failed:
        outbox.record_sent(reply)
        request.status = CandidateRequest.Status.REPLIED
        request.save(update_fields=["status", "updated_at"])
    return reply


@transaction.atomic
def assign_to_manager(*, manager, by, profile: rules.Profile) -> int:
    """Give the demo's hiring manager what a recruiter would: the newest exceptional requests
    whose suggested assignee they are (the manager of the role each best matches), through
    assignment.assign_request like a click on the request page, and an outcome on the oldest
    of them (they talked). Once: a second run, with some assigned already, does nothing.
    Returns the requests assigned."""
    if CandidateRequest.objects.filter(assigned_to=manager).exists():
        return 0
    exceptional = (
        CandidateRequest.objects.filter(final_bucket=Bucket.EXCEPTIONAL, assigned_to=None)
        .select_related("candidate")
        .order_by("-received_at", "-pk")
    )
    chosen = [r for r in exceptional if assignment.suggested_assignee(r, profile) == manager]
    chosen = chosen[:MANAGER_REQUESTS]
    for request in chosen:
        assignment.assign_request(request=request, to=manager, by=by)
    if chosen:
        assignment.record_outcome(
            request=chosen[-1],
            kind=HiringOutcome.Kind.TALKED,
            note="Good call: strong on the role's core skills. A second conversation next week.",
            by=manager,
        )
    return len(chosen)
