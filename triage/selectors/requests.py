"""Reads for the inbox and the request page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
)
from django.utils import timezone

from triage import access, replies
from triage.flags import FlagName
from triage.models import Attachment, Bucket, CandidateRequest, Message, Reply, ReplyTemplate
from triage.selectors import inbox_views
from triage.services import assignment, outbox, profiles, rulebook, verdicts

PAGE_SIZE = 25
# The template choice that means "write it yourself": no saved template.
FREE_FORM = "free"


def inbox_requests(
    *, status: str = "", query: str = "", flag: str = ""
) -> QuerySet[CandidateRequest]:
    """The inbox's filter (every bucket): the list, its counts and bulk replies share it.
    `flag`: only requests carrying that flag (triage.flags.FlagName)."""
    requests = CandidateRequest.objects.all()
    if status:
        requests = requests.filter(status=status)
    else:
        # Spam is out of the inbox: only its own filter shows it.
        requests = requests.exclude(status=CandidateRequest.Status.SPAM)
    if flag:
        requests = requests.filter(flags__has_key=flag)
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


def inbox_page(
    *,
    bucket: str | None,
    status: str,
    query: str,
    page_number,
    flag: str = "",
    scope: str = "",
    user=None,
) -> dict:
    """The inbox: one bucket's requests filtered by status, words, flag and a view's scope
    (selectors.inbox_views), a page of them, and the count in each bucket's tab under the
    same filter. No bucket: the first one with requests (else the funnel)."""
    requests = inbox_requests(status=status, query=query, flag=flag)
    if scope:
        requests = requests.filter(inbox_views.scope_filter(scope, user=user))
    counts = requests.aggregate(
        **{value: Count("pk", filter=Q(final_bucket=value)) for value in Bucket.values}
    )
    if bucket is None:
        bucket = next((value for value in Bucket.values if counts[value]), Bucket.FUNNEL)
    rows = with_attachment_names(requests.filter(final_bucket=bucket))
    page = Paginator(rows.select_related("candidate"), PAGE_SIZE).get_page(page_number)
    return {
        "tabs": [(value, label, counts[value]) for value, label in Bucket.choices],
        "bucket": bucket,
        "status": status,
        "query": query,
        "flag": flag,
        "scope": scope,
        "flag_choices": [(name.value, name.label) for name in FlagName],
        "page": page,
        "statuses": CandidateRequest.Status.choices,
        "templates": ReplyTemplate.objects.filter(is_active=True),
    }


def other_requests(candidate_request: CandidateRequest) -> list[CandidateRequest]:
    """The person's other requests, newest first, each with its replies: what else they
    asked, and what we already wrote them."""
    return list(
        CandidateRequest.objects.filter(candidate_id=candidate_request.candidate_id)
        .exclude(pk=candidate_request.pk)
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("sent_by").order_by("pk"))
        )
    )


def current_round(candidate_request: CandidateRequest) -> int:
    """Which round of the conversation a reply now would answer (as outbox.queue_reply
    counts it): one per message the person sent in this request."""
    return max(1, candidate_request.messages.filter(direction=Message.Direction.IN).count())


def answered_this_round(candidate_request: CandidateRequest) -> Reply | None:
    """The reply (queued, sent or unknown) the person already has for what they last wrote:
    this request's reply in its current round, or one we wrote them on another request
    after their last message here. None if nobody answered them yet."""
    last_in = (
        candidate_request.messages.filter(direction=Message.Direction.IN)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    ) or candidate_request.received_at
    return (
        Reply.objects.filter(
            request__candidate_id=candidate_request.candidate_id,
            kind=Reply.Kind.ANSWER,
            status__in=Reply.LIVE_STATUSES,
        )
        .filter(
            Q(request=candidate_request, round=current_round(candidate_request))
            | (~Q(request=candidate_request) & Q(created_at__gte=last_in))
        )
        .select_related("sent_by", "request")
        .order_by("-created_at")
        .first()
    )


def _second_opinion(candidate_request, thread):
    # Imported here, not at the top: scikit-learn takes about two seconds to import, which
    # every process that loads the URLs (the server, each command, each test run) would pay.
    from triage.services import assistant

    return assistant.second_opinion(request=candidate_request, thread=thread)


def request_page(candidate_request: CandidateRequest, *, user, template_id=None) -> dict:
    """The request page: the thread, its verdict and deciding rule, its replies and
    outcomes; for a recruiter also the suggested assignee, the draft of a reply from
    `template_id` (else the follow-up, the suggested or the bucket's template; FREE_FORM for
    none) and the matching openings.
    A hiring manager reads the request and records the outcome, nothing more."""
    thread = list(candidate_request.messages.prefetch_related("attachments"))
    context = {
        "req": candidate_request,
        "replies": candidate_request.replies.select_related("sent_by"),
        # What the person wrote. Our sent replies are messages too (for threading), but
        # they are shown once, under Replies, with their status.
        "thread": [m for m in thread if m.direction == Message.Direction.IN],
        "other_requests": other_requests(candidate_request),
        "answered": answered_this_round(candidate_request),
        "buckets": Bucket.choices,
        "deciding_rule": rulebook.rule_by_key(candidate_request.suggested_rule),
        "second_opinion": _second_opinion(candidate_request, thread),
        "outcomes": candidate_request.outcomes.select_related("recorded_by"),
        "undoable_ids": set(),
    }
    if not access.is_recruiter(user):
        return context  # a hiring manager reads; Undo (like Reply) is for recruiters
    # Queued replies still inside their undo delay: the page offers Undo beside them.
    context["undoable_ids"] = set(
        candidate_request.replies.filter(
            status=Reply.Status.QUEUED, attempts=0, send_after__gt=timezone.now()
        ).values_list("pk", flat=True)
    )
    try:
        profile = profiles.load_profile()
    except profiles.ProfileMissing:
        return {**context, "profile_missing": True}
    free_form = template_id == FREE_FORM
    template = None
    if template_id and str(template_id).isdigit():
        template = ReplyTemplate.objects.filter(pk=template_id, is_active=True).first()
    if not free_form:
        template = template or outbox.default_template(
            candidate_request.final_bucket, request=candidate_request
        )
    if free_form:
        draft = outbox.draft_text(
            candidate_request, replies.FREE_FORM_SUBJECT, replies.FREE_FORM_BODY, profile, user
        )
    else:
        draft = outbox.draft_reply(candidate_request, template, profile, user) if template else None
    if undone := outbox.undo_draft(candidate_request):  # Undo keeps the recruiter's text
        draft = outbox.Draft(subject=undone.subject, body=undone.body, blocked_by=())
    return {
        **context,
        "suggested_assignee": assignment.suggested_assignee(candidate_request, profile),
        "draft": draft,
        "free_form": free_form,
        "template": template,
        "templates": ReplyTemplate.objects.filter(is_active=True),
        "openings": verdicts.matching_openings(candidate_request, profile),
        "loaded_at": timezone.now(),
    }
