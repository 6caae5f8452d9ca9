"""Bulk replies: many requests answered in one action, each with its own rendered reply.

Every reply still goes through `outbox.queue_reply`, so the one-live-reply-per-request
constraint holds for bulk sends exactly as for single ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from triage.models import Bucket, BulkSend, CandidateRequest, Opening, Reply, ReplyTemplate
from triage.selectors import talent as talent_reads
from triage.services import candidates, outbox, profiles

SAMPLES = 3
DO_NOT_CONTACT = "Do not contact."


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
    live = Reply.objects.filter(
        request=OuterRef("pk"), status__in=Reply.LIVE_STATUSES, kind=Reply.Kind.ANSWER
    )
    return requests.select_related("candidate").annotate(has_live_reply=Exists(live))


def plan_bulk(requests: QuerySet[CandidateRequest], *, template: ReplyTemplate | None, by) -> Plan:
    """Render every reply before anything is queued. A request is skipped, with the reason,
    when its candidate is not to be contacted, it is already answered, has no template, or
    would get an empty placeholder."""
    profile = profiles.load_profile()
    sender = outbox.sender_identity(by)
    defaults: dict[tuple, ReplyTemplate | None] = {}
    plan = Plan()
    for request in with_live_reply(requests):
        if request.candidate.do_not_contact:
            plan.skipped.append((request, DO_NOT_CONTACT))
            continue
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
    return _queue(plan, template=template, by=by)


def _queue(plan: Plan, *, template: ReplyTemplate | None, by, opening=None) -> BulkSend:
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
                    opening=opening,
                )
            )
        except outbox.AlreadyAnswered:
            reason = ALREADY_TOLD if opening else "It already has a reply."
            skipped.append({"request": item.request.pk, "reason": reason})
        except candidates.DoNotContact:  # set since the plan was made
            skipped.append({"request": item.request.pk, "reason": DO_NOT_CONTACT})
    bulk.requests.add(*[item.request for item in plan.ready])
    bulk.replies.add(*queued)
    bulk.skipped = skipped
    bulk.save(update_fields=["skipped"])
    return bulk


# --- "A role opened that fits you" -----------------------------------------------------------

ALREADY_TOLD = "Already told about this role."


def role_opened_template() -> ReplyTemplate | None:
    """The template that names a role: the shipped "a role opened that fits you", or a
    recruiter's own that uses {{ role_url }}."""
    return (
        ReplyTemplate.objects.filter(is_active=True, body__contains="role_url")
        .order_by("-bucket", "name")  # network before funnel and exceptional
        .first()
    )


def plan_role_opened(opening: Opening, candidate_ids, *, template: ReplyTemplate, by) -> Plan:
    """Render "a role opened that fits you" for each chosen pool person, as a reply on their
    newest network-later request. Skipped, with why: do-not-contact, already told about this
    role, consent to be kept lapsed, or an empty placeholder."""
    profile = profiles.load_profile()
    sender = outbox.sender_identity(by)
    network = CandidateRequest.objects.filter(final_bucket=Bucket.NETWORK).order_by(
        "-received_at", "-pk"
    )
    told = Reply.objects.filter(
        opening=opening, kind=Reply.Kind.ROLE_OPENED, status__in=Reply.LIVE_STATUSES
    ).values_list("request__candidate_id", flat=True)
    told = set(told)
    people = (
        talent_reads.pool_candidates()
        .filter(pk__in=list(candidate_ids))
        .prefetch_related(Prefetch("requests", queryset=network, to_attr="network_requests"))
        .order_by("name", "email")
    )
    now = timezone.now()
    plan = Plan()
    for person in people:
        request = person.network_requests[0]
        request.candidate = person
        if person.do_not_contact:
            plan.skipped.append((request, DO_NOT_CONTACT))
        elif person.pk in told:
            plan.skipped.append((request, ALREADY_TOLD))
        elif person.consent_expires_at and person.consent_expires_at < now:
            plan.skipped.append((request, "Their consent to stay in the pool has lapsed."))
        else:
            draft = outbox.draft_text(
                request, template.subject, template.body, profile, sender=sender, opening=opening
            )
            if draft.blocked_by:
                empty = ", ".join(draft.blocked_by)
                plan.skipped.append((request, f"Would leave {empty} empty (no fallback)."))
            else:
                plan.ready.append(Planned(request=request, template=template, draft=draft))
    return plan


@transaction.atomic
def start_role_opened(opening: Opening, candidate_ids, *, template: ReplyTemplate, by) -> BulkSend:
    """Queue "a role opened that fits you" to each ready person; sent after the commit."""
    plan = plan_role_opened(opening, candidate_ids, template=template, by=by)
    return _queue(plan, template=template, by=by, opening=opening)


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
