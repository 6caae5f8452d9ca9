"""The inbox, a request's page and what a recruiter (or its assigned hiring manager) does
there: override the bucket, reply, assign, record the outcome."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from triage import access
from triage.forms import (
    AssignForm,
    InboxFilterForm,
    OutcomeForm,
    OverrideForm,
    PutAwayForm,
    ReplyForm,
    SaveViewForm,
)
from triage.models import Attachment, Bucket, CandidateRequest, Reply
from triage.selectors import inbox_views as view_reads
from triage.selectors import requests as request_reads
from triage.services import assignment, audit, candidates, outbox, presence, review
from triage.views import integrations


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    # Unanswered requests are the morning's work, so they are what the inbox opens on.
    status = filters.get("status", "") if "status" in request.GET else CandidateRequest.Status.NEW
    query = filters.get("q", "").strip()

    context = request_reads.inbox_page(
        bucket=filters.get("bucket") or _first_bucket(filters),
        status=status,
        query=query,
        flag=filters.get("flag", ""),
        scope=filters.get("scope", ""),
        user=request.user,
        before=request.GET.get("before"),
        after=request.GET.get("after"),
        page_number=request.GET.get("page"),
    )
    context |= inbox_view_context(request, context)
    template = "triage/inbox.html#results" if request.htmx else "triage/inbox.html"
    return render(request, template, context)


def _first_bucket(filters: dict) -> str | None:
    """A view (a scope or a flag) opened without a bucket shows the first bucket it has
    requests in (None); the plain inbox opens on the funnel."""
    return None if filters.get("scope") or filters.get("flag") else Bucket.FUNNEL


def inbox_view_context(request: HttpRequest, context: dict) -> dict:
    """The views beside the inbox, with their counts, and the form to save the filter."""
    views = view_reads.views_for(request.user)
    shown = {name: context[name] for name in ("bucket", "status", "flag", "scope")}
    shown["q"] = context["query"]
    current = view_reads.active_view(views, shown)
    return {
        "views": views,
        "current_view": current,
        "bucket_label": Bucket(context["bucket"]).label,
        "save_view_form": SaveViewForm(),
    }


def _detail_context(candidate_request, *, user, template_id=None, form=None) -> dict:
    """The request page (selectors.requests.request_page) with its forms."""
    context = request_reads.request_page(candidate_request, user=user, template_id=template_id)
    context |= {
        "override_form": OverrideForm(),
        "outcome_form": OutcomeForm(),
        "put_away_form": PutAwayForm(),
    }
    if "suggested_assignee" in context:
        context["assign_form"] = AssignForm(
            initial={"assignee": context["suggested_assignee"]},
            managers=context["hiring_managers"],
        )
    if "draft" in context and form is None:
        draft, initial = context["draft"], {"loaded_at": context["loaded_at"].isoformat()}
        if draft:
            initial |= {"template": context["template"], "subject": draft.subject}
            initial["body"] = draft.body
        form = ReplyForm(initial=initial)
    return context | ({"form": form} if "draft" in context else {})


@access.open_to_assignees
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate_request = get_object_or_404(
        request_reads.with_page_facts(access.visible_requests(request.user)), pk=pk
    )
    context = _detail_context(
        candidate_request, template_id=request.GET.get("template"), user=request.user
    )
    if request.htmx and request.GET.get("template"):
        return render(request, "triage/request_detail.html#compose", context)
    context["viewers"] = presence.other_viewers(request_id=pk, user=request.user)
    if access.is_recruiter(request.user):
        context["ats"] = integrations.ats_panel(candidate_request.candidate, request_id=pk)
    audit.record_read(
        action=audit.Action.VIEWED_REQUEST,
        by=request.user,
        target=candidate_request,
        description=f"Viewed request #{pk} (candidate #{candidate_request.candidate_id})",
    )
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
        was = candidate_request.final_bucket
        review.override_bucket(
            request=candidate_request,
            bucket=form.cleaned_data["bucket"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        label = Bucket(form.cleaned_data["bucket"]).label
        kept = was == candidate_request.final_bucket  # "3" on a row already exceptional
        said = f"Kept in “{label}”." if kept else f"Moved to “{label}”."
        if request.htmx:  # a key in the inbox (static/js/keys.js): it reads this out
            return HttpResponse(said, content_type="text/plain")
        messages.success(request, said)
    else:
        if request.htmx:
            return HttpResponse("Choose one of the three buckets.", status=400)
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
            candidate_request,
            template_id=request.POST.get("template"),
            form=form,
            user=request.user,
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
            send_anyway=form.cleaned_data["send_anyway"],
        )
    except outbox.PersonAnswered as answered:
        # Told before anything goes out; the text stays in the form, "Send anyway" beside it.
        context = _detail_context(
            candidate_request,
            template_id=request.POST.get("template"),
            form=form,
            user=request.user,
        )
        context["person_answered"] = str(answered)
        return render(request, "triage/request_detail.html", context, status=409)
    except outbox.Collision as collision:
        messages.error(request, str(collision))
    except outbox.AlreadyAnswered:
        messages.error(request, "This request already has a reply: nothing more was sent.")
    except candidates.DoNotContact as refusal:
        messages.error(request, str(refusal))
    else:
        wait = settings.REPLY_UNDO_SECONDS
        when = f" in {wait} s: Undo is beside it under Replies" if wait > 0 else ""
        messages.success(
            request, f"Reply to {candidate_request.candidate.email} is on its way{when}."
        )
    return redirect("triage:request", pk=pk)


@require_POST
def undo_reply(request: HttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    reply = get_object_or_404(Reply, pk=reply_pk, request_id=pk)
    try:
        outbox.undo_reply(reply=reply, by=request.user)
    except outbox.TooLateToUndo as late:
        messages.error(request, str(late))
    else:
        messages.success(request, "Undone: nothing was sent; your text is back in the editor.")
    return redirect("triage:request", pk=pk)


@require_POST
def put_away(request: HttpRequest, pk: int) -> HttpResponse:
    """Close, archive or mark as spam without replying, with the reason."""
    candidate_request = get_object_or_404(
        CandidateRequest.objects.select_related("candidate"), pk=pk
    )
    form = PutAwayForm(request.POST)
    if not form.is_valid():
        context = _detail_context(candidate_request, user=request.user)
        context["put_away_form"] = form
        return render(request, "triage/request_detail.html", context, status=400)
    status = form.cleaned_data["status"]
    try:
        review.put_away(
            request=candidate_request,
            status=status,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except review.AlreadyPutAway as refusal:
        messages.error(request, f"{refusal} Nothing changed.")
    else:
        messages.success(request, f"Request {review.PUT_AWAY_LABELS[status]}, without a reply.")
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
    assignment.unassign_request(request=candidate_request, by=request.user)
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
    audit.record(
        action=audit.Action.DOWNLOADED_ATTACHMENT,
        by=request.user,
        target=attachment,
        description=f"Downloaded attachment #{pk} of message #{attachment.message_id}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
