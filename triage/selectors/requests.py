"""Reads for the inbox and the request page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, StringAgg, Subquery, Value
from django.utils import timezone

from triage import access
from triage.models import Attachment, Bucket, CandidateRequest, Reply, ReplyTemplate
from triage.services import assignment, outbox, profiles, rulebook, verdicts

PAGE_SIZE = 25


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


def inbox_page(*, bucket: str, status: str, query: str, page_number) -> dict:
    """The inbox: one bucket's requests filtered by status and words, a page of them, and
    the count in each bucket's tab under the same filter."""
    requests = inbox_requests(status=status, query=query)
    counts = requests.aggregate(
        **{value: Count("pk", filter=Q(final_bucket=value)) for value in Bucket.values}
    )
    rows = with_attachment_names(requests.filter(final_bucket=bucket))
    page = Paginator(rows.select_related("candidate"), PAGE_SIZE).get_page(page_number)
    return {
        "tabs": [(value, label, counts[value]) for value, label in Bucket.choices],
        "bucket": bucket,
        "status": status,
        "query": query,
        "page": page,
        "statuses": CandidateRequest.Status.choices,
        "templates": ReplyTemplate.objects.filter(is_active=True),
    }


def _second_opinion(candidate_request, thread):
    # Imported here, not at the top: scikit-learn takes about two seconds to import, which
    # every process that loads the URLs (the server, each command, each test run) would pay.
    from triage.services import assistant

    return assistant.second_opinion(request=candidate_request, thread=thread)


def request_page(candidate_request: CandidateRequest, *, user, template_id=None) -> dict:
    """The request page: the thread, its verdict and deciding rule, its replies and
    outcomes; for a recruiter also the suggested assignee, the draft of a reply from
    `template_id` (else the suggested or the bucket's template) and the matching openings.
    A hiring manager reads the request and records the outcome, nothing more."""
    thread = list(candidate_request.messages.prefetch_related("attachments"))
    context = {
        "req": candidate_request,
        "replies": candidate_request.replies.select_related("sent_by"),
        "thread": thread,
        "buckets": Bucket.choices,
        "deciding_rule": rulebook.rule_by_key(candidate_request.suggested_rule),
        "second_opinion": _second_opinion(candidate_request, thread),
        "outcomes": candidate_request.outcomes.select_related("recorded_by"),
        # Queued replies still inside their undo delay: the page offers Undo beside them.
        "undoable_ids": set(
            candidate_request.replies.filter(
                status=Reply.Status.QUEUED, attempts=0, send_after__gt=timezone.now()
            ).values_list("pk", flat=True)
        ),
    }
    if not access.is_recruiter(user):
        return context
    try:
        profile = profiles.load_profile()
    except profiles.ProfileMissing:
        return {**context, "profile_missing": True}
    template = None
    if template_id:
        template = ReplyTemplate.objects.filter(pk=template_id, is_active=True).first()
    template = template or outbox.default_template(
        candidate_request.final_bucket, request=candidate_request
    )
    draft = outbox.draft_reply(candidate_request, template, profile, user) if template else None
    if undone := outbox.undo_draft(candidate_request):  # Undo keeps the recruiter's text
        draft = outbox.Draft(subject=undone.subject, body=undone.body, blocked_by=())
    return {
        **context,
        "suggested_assignee": assignment.suggested_assignee(candidate_request, profile),
        "draft": draft,
        "template": template,
        "templates": ReplyTemplate.objects.filter(is_active=True),
        "openings": verdicts.matching_openings(candidate_request, profile),
        "loaded_at": timezone.now(),
    }
