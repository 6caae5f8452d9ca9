"""Replies at scale: reply templates, a recruiter's sender settings, bulk replies."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from triage import access, replies
from triage.forms import BulkSelectionForm, RecruiterProfileForm, ReplyTemplateForm
from triage.models import BulkSend, CandidateRequest, ReplyTemplate
from triage.selectors import outbox as outbox_reads
from triage.selectors import requests as request_reads
from triage.services import accounts, bulk, outbox, profiles, templates
from triage.views import integrations

PREVIEW_CHOICES = 50


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/template_list.html", {"templates": ReplyTemplate.objects.all()})


def _template_page(request, form, template=None, preview=None, status=200) -> HttpResponse:
    context = {
        "form": form,
        "template": template,
        "placeholders": replies.placeholder_help(consent_days=settings.CONSENT_WAIT_DAYS),
        "preview_requests": CandidateRequest.objects.select_related("candidate")[:PREVIEW_CHOICES],
        "preview": preview,
    }
    return render(request, "triage/template_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    template = get_object_or_404(ReplyTemplate, pk=pk) if pk else None
    if request.method == "GET":
        return _template_page(request, ReplyTemplateForm(instance=template), template)
    form = ReplyTemplateForm(request.POST, instance=template)
    if request.POST.get("action") == "preview":  # the no-JavaScript way to preview
        return _template_page(request, form, template, _preview(request))
    if not form.is_valid():
        return _template_page(request, form, template, status=400)
    saved = templates.save_template(form.instance, by=request.user)
    messages.success(request, f"Saved “{saved.name}”.")
    return redirect("triage:template", pk=saved.pk)


def _preview(request: HttpRequest) -> dict:
    return templates.preview_template(
        subject=request.POST.get("subject", ""),
        body=request.POST.get("body", ""),
        request_id=request.POST.get("preview_request", "").strip() or None,
        by=request.user,
    )


@require_POST
def template_preview(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/template_form.html#preview", {"preview": _preview(request)})


# Open to hiring managers too: their own sender settings, and their API tokens.
@access.open_to_assignees
@require_http_methods(["GET", "POST"])
def my_settings(request: HttpRequest) -> HttpResponse:
    profile = templates.recruiter_profile(request.user)
    fallbacks = outbox.sender_fallbacks(request.user, name=profile.display_name)
    form = RecruiterProfileForm(request.POST or None, instance=profile, fallbacks=fallbacks)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your settings are saved.")
            return redirect("triage:settings")
        return render(request, "triage/my_settings.html", _settings(request, form), status=400)
    return render(request, "triage/my_settings.html", _settings(request, form))


def _settings(request: HttpRequest, form) -> dict:
    two_factor = {"two_factor": accounts.has_two_factor(request.user)}
    return {"form": form, **two_factor} | integrations.token_context(request)


def _selection(form: BulkSelectionForm):
    data = form.cleaned_data
    if data["all"]:
        return request_reads.inbox_requests(
            status=data["status"], query=data["q"], flag=data["flag"]
        ).filter(final_bucket=data["bucket"])
    return CandidateRequest.objects.filter(pk__in=[r.pk for r in data["ids"]])


@require_http_methods(["GET", "POST"])
def bulk_confirm(request: HttpRequest) -> HttpResponse:
    """GET: what would be sent (count, samples, skipped). POST: queue it all."""
    form = BulkSelectionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or "Choose requests again.")
        return redirect("triage:inbox")
    template = form.cleaned_data["template"]
    try:
        if request.method == "POST":
            started = bulk.start_bulk_send(_selection(form), template=template, by=request.user)
            return redirect("triage:bulk-progress", pk=started.pk)
        plan = bulk.plan_bulk(_selection(form), template=template, by=request.user)
    except profiles.ProfileMissing as missing:
        messages.error(request, str(missing))
        return redirect("triage:inbox")
    return render(request, "triage/bulk_confirm.html", {"form": form, "plan": plan})


@require_POST
def bulk_undo(request: HttpRequest, pk: int) -> HttpResponse:
    bulk_send = get_object_or_404(BulkSend, pk=pk)
    undone = bulk.undo_bulk(bulk_send, by=request.user)
    if undone:
        messages.success(request, f"Undone: {undone} repl{'y' if undone == 1 else 'ies'} not sent.")
    else:
        messages.error(request, "Too late to undo: the replies are already on their way or sent.")
    return redirect("triage:bulk-progress", pk=pk)


@require_GET
def bulk_progress(request: HttpRequest, pk: int) -> HttpResponse:
    bulk_send = get_object_or_404(BulkSend, pk=pk)
    context = {
        "bulk": bulk_send,
        "progress": bulk.bulk_progress(bulk_send),
        "bulk_replies": outbox_reads.bulk_replies(bulk_send),
    }
    if request.htmx:
        return render(request, "triage/bulk_progress.html#progress", context)
    skipped_ids = [item["request"] for item in bulk_send.skipped]
    skipped = CandidateRequest.objects.in_bulk(skipped_ids)
    context["skipped"] = [(skipped.get(i["request"]), i["reason"]) for i in bulk_send.skipped]
    return render(request, "triage/bulk_progress.html", context)
