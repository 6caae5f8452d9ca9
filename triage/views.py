"""HTTP: fetch, validate, call one service, respond. Pages work without JavaScript;
htmx requests get just the fragment they swap."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from triage import access
from triage.forms import AssignForm, InboxFilterForm, OutcomeForm, OverrideForm, ReplyForm
from triage.models import (
    Attachment,
    Bucket,
    CandidateRequest,
    QuarantinedMessage,
    Reply,
    ReplyTemplate,
)
from triage.services import (
    assignment,
    candidates,
    intake,
    outbox,
    presence,
    profiles,
    review,
    rulebook,
    verdicts,
)

PAGE_SIZE = 25


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    bucket = filters.get("bucket") or Bucket.FUNNEL
    # Unanswered requests are the morning's work, so they are what the inbox opens on.
    status = filters.get("status", "") if "status" in request.GET else CandidateRequest.Status.NEW
    query = filters.get("q", "").strip()

    requests = review.inbox_requests(status=status, query=query)
    counts = requests.aggregate(
        **{value: Count("pk", filter=Q(final_bucket=value)) for value in Bucket.values}
    )
    rows = review.with_attachment_names(requests.filter(final_bucket=bucket))
    page = Paginator(rows.select_related("candidate"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tabs": [(value, label, counts[value]) for value, label in Bucket.choices],
        "bucket": bucket,
        "status": status,
        "query": query,
        "page": page,
        "statuses": CandidateRequest.Status.choices,
        "templates": ReplyTemplate.objects.filter(is_active=True),
    }
    template = "triage/inbox.html#results" if request.htmx else "triage/inbox.html"
    return render(request, template, context)


def _second_opinion(candidate_request, thread):
    # Imported here, not at the top: scikit-learn takes about two seconds to import, which
    # every process that loads the URLs (the server, each command, each test run) would pay.
    from triage.services import assistant

    return assistant.second_opinion(request=candidate_request, thread=thread)


def _detail_context(candidate_request, template_id=None, form=None, user=None) -> dict:
    """The request page: the message, its verdict, its replies and the reply composer."""
    thread = list(candidate_request.messages.prefetch_related("attachments"))
    context = {
        "req": candidate_request,
        "replies": candidate_request.replies.select_related("sent_by"),
        "thread": thread,
        "buckets": Bucket.choices,
        "deciding_rule": rulebook.rule_by_key(candidate_request.suggested_rule),
        "override_form": OverrideForm(),
        "second_opinion": _second_opinion(candidate_request, thread),
        "outcomes": candidate_request.outcomes.select_related("recorded_by"),
        "outcome_form": OutcomeForm(),
    }
    if user is not None and not access.is_recruiter(user):
        return context  # a hiring manager reads the request and records the outcome
    try:
        profile = profiles.load_profile()
    except profiles.ProfileMissing:
        return {**context, "profile_missing": True}
    suggested = assignment.suggested_assignee(candidate_request, profile)
    context["assign_form"] = AssignForm(initial={"assignee": suggested})
    context["suggested_assignee"] = suggested
    template = None
    if template_id:
        template = ReplyTemplate.objects.filter(pk=template_id, is_active=True).first()
    template = template or outbox.default_template(
        candidate_request.final_bucket, request=candidate_request
    )
    draft = outbox.draft_reply(candidate_request, template, profile, user) if template else None
    if form is None:
        initial = (
            {"template": template, "subject": draft.subject, "body": draft.body} if draft else {}
        )
        initial["loaded_at"] = timezone.now().isoformat()
        form = ReplyForm(initial=initial)
    openings = verdicts.matching_openings(candidate_request, profile)
    return {
        **context,
        "form": form,
        "draft": draft,
        "template": template,
        "templates": ReplyTemplate.objects.filter(is_active=True),
        "openings": openings,
    }


@access.open_to_assignees
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_request = get_object_or_404(
        access.visible_requests(request.user).select_related(
            "candidate", "final_bucket_set_by", "assigned_to", "assigned_by"
        ),
        pk=pk,
    )
    context = _detail_context(candidate_request, request.GET.get("template"), user=request.user)
    if request.htmx and request.GET.get("template"):
        return render(request, "triage/request_detail.html#compose", context)
    context["viewers"] = presence.other_viewers(request_id=pk, user=request.user)
    return render(request, "triage/request_detail.html", context)


@access.open_to_assignees
@require_POST
def request_presence(request: HttpRequest, pk: int) -> HttpResponse:
    """The request page's heartbeat (htmx, every 15s, and on focusing the reply editor):
    record that this person is here, answer with who else is. A hiring manager on a request
    assigned to them is there too."""
    if not access.visible_requests(request.user).filter(pk=pk).exists():
        raise Http404("No such request.")
    presence.record_presence(
        request_id=pk, user=request.user, writing=request.POST.get("writing") == "1"
    )
    viewers = presence.other_viewers(request_id=pk, user=request.user)
    return render(request, "triage/request_detail.html#presence", {"viewers": viewers})


@require_POST
def override_bucket(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_request = get_object_or_404(CandidateRequest, pk=pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        review.override_bucket(
            request=candidate_request,
            bucket=form.cleaned_data["bucket"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        label = Bucket(form.cleaned_data["bucket"]).label
        messages.success(request, f"Moved to “{label}”.")
    else:
        messages.error(request, "Choose one of the three buckets.")
    return redirect("triage:request", pk=pk)


@require_POST
def send_reply(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_request = get_object_or_404(
        CandidateRequest.objects.select_related("candidate"), pk=pk
    )
    form = ReplyForm(request.POST)
    if not form.is_valid():
        context = _detail_context(
            candidate_request, request.POST.get("template"), form=form, user=request.user
        )
        return render(request, "triage/request_detail.html", context, status=400)
    try:
        outbox.queue_reply(
            request=candidate_request,
            template=form.cleaned_data["template"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            by=request.user,
            since=form.cleaned_data["loaded_at"],
        )
    except outbox.Collision as collision:
        messages.error(request, str(collision))
    except outbox.AlreadyAnswered:
        messages.error(request, "This request already has a reply: nothing more was sent.")
    except candidates.DoNotContact as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Reply to {candidate_request.candidate.email} is on its way.")
    return redirect("triage:request", pk=pk)


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_request = get_object_or_404(CandidateRequest, pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a hiring manager from the list.")
        return redirect("triage:request", pk=pk)
    manager = form.cleaned_data["assignee"]
    assignment.assign_request(request=candidate_request, to=manager, by=request.user)
    who = manager.get_full_name() or manager.username
    messages.success(request, f"Assigned to {who}, who is emailed about it.")
    return redirect("triage:request", pk=pk)


@require_POST
def unassign(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_request = get_object_or_404(CandidateRequest, pk=pk)
    assignment.unassign_request(request=candidate_request)
    messages.success(request, "No longer assigned to anyone.")
    return redirect("triage:request", pk=pk)


@access.open_to_assignees
@require_POST
def record_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_request = get_object_or_404(access.visible_requests(request.user), pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        context = _detail_context(candidate_request, user=request.user)
        context["outcome_form"] = form
        return render(request, "triage/request_detail.html", context, status=400)
    assignment.record_outcome(request=candidate_request, by=request.user, **form.cleaned_data)
    messages.success(request, "Outcome recorded: it is on the candidate's timeline.")
    return redirect("triage:request", pk=pk)


@access.open_to_assignees
@require_GET
def assigned_to_me(request: HttpRequest) -> HttpResponse:
    rows = assignment.assigned_to(request.user)
    return render(request, "triage/assigned.html", {"rows": rows})


@require_POST
def retry_reply(request: HttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    reply = get_object_or_404(Reply, pk=reply_pk, request_id=pk)
    try:
        outbox.retry_reply(reply=reply, by=request.user)
    except outbox.AlreadyAnswered as refused:
        messages.error(request, f"Not sent again: {refused}")
    else:
        messages.success(request, f"Sending the reply to {reply.to_email} again.")
    return redirect("triage:request", pk=pk)


# The outbox page's tabs: what needs a recruiter first, then what is still on its way.
OUTBOX_TABS = {
    "unknown": ("Check before resending", [Reply.Status.UNKNOWN]),
    "failed": ("Failed", [Reply.Status.FAILED]),
    "pending": ("On the way", [Reply.Status.QUEUED, Reply.Status.SENDING]),
}


@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    """Replies that have not (yet, or certainly) reached the candidate."""
    kind = request.GET.get("kind") if request.GET.get("kind") in OUTBOX_TABS else "unknown"
    counts = Reply.objects.aggregate(
        **{
            key: Count("pk", filter=Q(status__in=statuses))
            for key, (_, statuses) in OUTBOX_TABS.items()
        }
    )
    rows = Reply.objects.filter(status__in=OUTBOX_TABS[kind][1]).select_related(
        "request__candidate", "sent_by"
    )
    context = {
        "kind": kind,
        "tabs": [(key, label, counts[key]) for key, (label, _) in OUTBOX_TABS.items()],
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "triage/outbox.html", context)


@require_GET
def quarantine(request: HttpRequest) -> HttpResponse:
    """Messages kept aside: failed ones with their error, machine mail, blocked senders."""
    kind = request.GET.get("kind") or QuarantinedMessage.Kind.FAILED
    rows = QuarantinedMessage.objects.filter(resolved_at=None).defer("raw")
    counts = rows.aggregate(
        **{value: Count("pk", filter=Q(kind=value)) for value in QuarantinedMessage.Kind.values}
    )
    page = Paginator(rows.filter(kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "kind": kind,
        "tabs": [(v, label, counts[v]) for v, label in QuarantinedMessage.Kind.choices],
        "page": page,
    }
    return render(request, "triage/quarantine.html", context)


@require_POST
def retry_quarantined(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(QuarantinedMessage, pk=pk, resolved_at=None)
    try:
        summary = intake.retry_quarantined([row.pk])
    except profiles.ProfileMissing as error:
        messages.error(request, str(error))
        return redirect("triage:quarantine")
    if summary.quarantined or summary.set_aside:
        reason = (summary.quarantined or summary.set_aside)[0][1]
        messages.error(request, f"Still kept aside: {reason}")
    else:
        messages.success(request, "Processed again: the message is in the inbox.")
    return redirect(f"{reverse('triage:quarantine')}?kind={row.kind}")


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """A candidate's file, for signed-in recruiters only. Always a download with a neutral
    type (and nosniff from SecurityMiddleware), so an HTML or SVG "résumé" never renders
    in the app's origin."""
    attachment = get_object_or_404(Attachment.objects.exclude(file=""), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is no longer in storage.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
