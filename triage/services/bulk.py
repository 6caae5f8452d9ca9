"""Bulk replies: many requests answered in one action, each with its own rendered reply.

Every reply goes through `outbox.queue_replies`, queue_reply's twin for a batch (the same
checks, asked of the whole batch at once), so the one-live-reply-per-round constraint and
"one email per person per round" hold for bulk sends exactly as for single ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import batched

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from triage.models import (
    Bucket,
    BulkSend,
    CandidateRequest,
    Message,
    Opening,
    Reply,
    ReplyTemplate,
)
from triage.selectors import talent as talent_reads
from triage.services import outbox, profiles

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
    # When the plan was made: a reply to one of these people queued after it is a collision.
    made_at: datetime = field(default_factory=timezone.now)

    @property
    def samples(self) -> list[Planned]:
        return self.ready[:SAMPLES]


def with_live_reply(requests: QuerySet[CandidateRequest]) -> QuerySet[CandidateRequest]:
    """Each request with whether it has a live answer, and its person's newest live answer
    and last message (to tell whether the person is answered in this round)."""
    live = Reply.objects.filter(status__in=Reply.LIVE_STATUSES, kind=Reply.Kind.ANSWER)
    person_answer = live.filter(request__candidate_id=OuterRef("candidate_id")).order_by(
        "-created_at"
    )
    last_wrote = Message.objects.filter(
        request__candidate_id=OuterRef("candidate_id"), direction=Message.Direction.IN
    ).order_by("-created_at")
    return requests.select_related("candidate").annotate(
        has_live_reply=Exists(live.filter(request=OuterRef("pk"))),
        person_answered_at=Subquery(person_answer.values("created_at")[:1]),
        person_answer_subject=Subquery(person_answer.values("subject")[:1]),
        person_last_wrote_at=Subquery(last_wrote.values("created_at")[:1]),
    )


def answered_this_round(request: CandidateRequest) -> bool:
    """The annotated twin of outbox.answered_this_round: an answer since the person last wrote."""
    answered, wrote = request.person_answered_at, request.person_last_wrote_at
    return answered is not None and (wrote is None or answered >= wrote)


def _answered_reason(request: CandidateRequest) -> str:
    when = date_format(timezone.localtime(request.person_answered_at), "DATETIME_FORMAT")
    return (
        f"Already answered on {when} (“{request.person_answer_subject}”) and they have not "
        "written since: one email per person per round."
    )


def plan_bulk(requests: QuerySet[CandidateRequest], *, template: ReplyTemplate | None, by) -> Plan:
    """Render every reply before anything is queued: one per person. A request is skipped,
    with the reason, when its candidate is not to be contacted, it or its person is already
    answered in this round, its person has a newer request in the selection (which gets the
    one email), it has no template, or would get an empty placeholder."""
    profile = profiles.load_profile()
    sender = outbox.sender_identity(by)
    defaults: dict[tuple, ReplyTemplate | None] = {}
    plan = Plan()
    selected = list(with_live_reply(requests))
    known = outbox.known_for(selected)
    # The person's newest request in the selection is the one answered.
    newest: dict[int, CandidateRequest] = {}
    for request in selected:
        kept = newest.get(request.candidate_id)
        if kept is None or (request.received_at, request.pk) > (kept.received_at, kept.pk):
            newest[request.candidate_id] = request
    for request in selected:
        if request.candidate.do_not_contact:
            plan.skipped.append((request, DO_NOT_CONTACT))
            continue
        if request.has_live_reply:
            plan.skipped.append((request, "It already has a reply."))
            continue
        if answered_this_round(request):
            plan.skipped.append((request, _answered_reason(request)))
            continue
        if newest[request.candidate_id] is not request:
            kept = newest[request.candidate_id]
            plan.skipped.append(
                (request, f"Same person as “{kept}” in this bulk, which gets the one email.")
            )
            continue
        chosen = template or _default_for(request, defaults)
        if chosen is None:
            plan.skipped.append((request, "No active template for its bucket."))
            continue
        draft = outbox.draft_text(
            request, chosen.subject, chosen.body, profile, sender=sender, known=known
        )
        if draft.blocked_by:
            empty = ", ".join(draft.blocked_by)
            plan.skipped.append((request, f"Would leave {empty} empty (no fallback)."))
            continue
        plan.ready.append(Planned(request=request, template=chosen, draft=draft))
    return plan


def _default_for(request: CandidateRequest, defaults: dict) -> ReplyTemplate | None:
    """The template a bulk reply to `request` starts from when the recruiter chose none,
    looked up once per kind of request in `defaults`: its bucket, the rule's suggested
    template (which counts only while the rules' bucket stands) and the person's situation."""
    key = (
        request.final_bucket,
        None if request.is_overridden else request.suggested_template_id,
        outbox.situation(request),
    )
    if key not in defaults:
        defaults[key] = outbox.default_template(request.final_bucket, request=request)
    return defaults[key]


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
    # Every person at once, in one order: a single send or another bulk to the same people
    # waits here rather than deadlocking, and sees these replies when it checks.
    outbox.lock_people({item.request.candidate_id for item in plan.ready})
    for chunk in batched(plan.ready, outbox.ASK_BATCH):
        outgoing = [
            outbox.Outgoing(
                request=item.request,
                template=item.template,
                subject=item.draft.subject,
                body=item.draft.body,
            )
            for item in chunk
        ]
        outcomes = outbox.queue_replies(outgoing, by=by, since=plan.made_at, opening=opening)
        for item, outcome in zip(chunk, outcomes, strict=True):
            if isinstance(outcome, Reply):
                queued.append(outcome)
            else:
                skipped.append({"request": item.request.pk, "reason": _refused(outcome, opening)})
    bulk.requests.add(*[item.request for item in plan.ready])
    bulk.replies.add(*queued)
    bulk.skipped = skipped
    bulk.save(update_fields=["skipped"])
    return bulk


def _refused(refusal: outbox.Refusal, opening) -> str:
    """Why a planned reply was not queued: something changed since the plan was made."""
    if isinstance(refusal, outbox.PersonAnswered):
        return f"{outbox.answered_text(refusal.reply)}: one email per person per round."
    if isinstance(refusal, outbox.Collision):
        return str(refusal)
    if isinstance(refusal, outbox.AlreadyAnswered):
        return ALREADY_TOLD if opening else "It already has a reply."
    return DO_NOT_CONTACT  # set since the plan was made


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


@transaction.atomic
def undo_bulk(bulk: BulkSend, *, by) -> int:
    """Undo every reply of the bulk that has not started to leave; how many were undone."""
    undone = 0
    for reply in bulk.replies.filter(status=Reply.Status.QUEUED, attempts=0):
        try:
            outbox.undo_reply(reply=reply, by=by)
        except outbox.TooLateToUndo:  # the worker claimed it meanwhile
            continue
        undone += 1
    return undone


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    undone: int = 0
    undoable: int = 0

    @property
    def remaining(self) -> int:
        return self.total - self.sent - self.failed

    @property
    def done(self) -> bool:
        return self.remaining == 0


def bulk_progress(bulk: BulkSend) -> Progress:
    counts = dict(bulk.replies.values_list("status").annotate(n=Count("pk")).order_by())
    undone = counts.pop(Reply.Status.UNDONE, 0) + counts.pop(Reply.Status.SUPERSEDED, 0)
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(Reply.Status.SENT, 0),
        failed=counts.get(Reply.Status.FAILED, 0) + counts.get(Reply.Status.UNKNOWN, 0),
        undone=undone,
        undoable=bulk.replies.filter(
            status=Reply.Status.QUEUED, attempts=0, send_after__gt=timezone.now()
        ).count(),
    )
