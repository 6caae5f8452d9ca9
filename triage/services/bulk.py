"""Bulk replies: many requests answered in one action, each with its own rendered reply.

Every reply still goes through `outbox.queue_reply`, so the one-live-reply-per-request
constraint holds for bulk sends exactly as for single ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet

from triage.models import BulkSend, CandidateRequest, Reply, ReplyTemplate
from triage.services import outbox, profiles

SAMPLES = 3


@dataclass(frozen=True)
class Planned:
    request: CandidateRequest
    template: ReplyTemplate
    draft: outbox.Draft


@dataclass
class Plan:
    ready: list[Planned] = field(default_factory=list)
    skipped: list[tuple[CandidateRequest, str]] = field(default_factory=list)

    @property
    def samples(self) -> list[Planned]:
        return self.ready[:SAMPLES]


def with_live_reply(requests: QuerySet[CandidateRequest]) -> QuerySet[CandidateRequest]:
    live = Reply.objects.filter(request=OuterRef("pk"), status__in=Reply.LIVE_STATUSES)
    return requests.select_related("candidate").annotate(has_live_reply=Exists(live))


def plan_bulk(requests: QuerySet[CandidateRequest], *, template: ReplyTemplate | None, by) -> Plan:
    """Render every reply before anything is queued. A request is skipped, with the reason,
    when it is already answered, has no template, or would get an empty placeholder."""
    profile = profiles.load_profile()
    sender = outbox.sender_identity(by)
    defaults: dict[tuple, ReplyTemplate | None] = {}
    plan = Plan()
    for request in with_live_reply(requests):
        if request.has_live_reply:
            plan.skipped.append((request, "It already has a reply."))
            continue
        # A rule's suggested template counts only while the rules' bucket stands.
        key = (
            request.final_bucket,
            None if request.is_overridden else request.suggested_template_id,
        )
        if template is None and key not in defaults:
            defaults[key] = outbox.default_template(request.final_bucket, request=request)
        chosen = template or defaults[key]
        if chosen is None:
            plan.skipped.append((request, "No active template for its bucket."))
            continue
        draft = outbox.draft_text(request, chosen.subject, chosen.body, profile, sender=sender)
        if draft.blocked_by:
            empty = ", ".join(draft.blocked_by)
            plan.skipped.append((request, f"Would leave {empty} empty (no fallback)."))
            continue
        plan.ready.append(Planned(request=request, template=chosen, draft=draft))
    return plan


@transaction.atomic
def start_bulk_send(
    requests: QuerySet[CandidateRequest], *, template: ReplyTemplate | None, by
) -> BulkSend:
    """Queue one reply per ready request; the worker sends them after the commit."""
    plan = plan_bulk(requests, template=template, by=by)
    bulk = BulkSend.objects.create(created_by=by, template=template)
    skipped = [{"request": r.pk, "reason": reason} for r, reason in plan.skipped]
    queued = []
    for item in plan.ready:
        try:
            queued.append(
                outbox.queue_reply(
                    request=item.request,
                    template=item.template,
                    subject=item.draft.subject,
                    body=item.draft.body,
                    by=by,
                )
            )
        except outbox.AlreadyAnswered:
            skipped.append({"request": item.request.pk, "reason": "It already has a reply."})
    bulk.requests.add(*[item.request for item in plan.ready])
    bulk.replies.add(*queued)
    bulk.skipped = skipped
    bulk.save(update_fields=["skipped"])
    return bulk


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int

    @property
    def remaining(self) -> int:
        return self.total - self.sent - self.failed

    @property
    def done(self) -> bool:
        return self.remaining == 0


def bulk_progress(bulk: BulkSend) -> Progress:
    counts = dict(bulk.replies.values_list("status").annotate(n=Count("pk")).order_by())
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(Reply.Status.SENT, 0),
        failed=counts.get(Reply.Status.FAILED, 0) + counts.get(Reply.Status.UNKNOWN, 0),
    )
