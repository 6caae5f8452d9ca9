"""HTTP for replies at scale: reply templates, a recruiter's sender settings, bulk replies.
Same shape as views.py: fetch, validate, call one service, respond."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from triage import replies
from triage.forms import RecruiterProfileForm, ReplyTemplateForm
from triage.models import CandidateRequest, ReplyTemplate
from triage.services import templates

PREVIEW_CHOICES = 50


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/template_list.html", {"templates": ReplyTemplate.objects.all()})


def _template_page(request, form, template=None, preview=None, status=200) -> HttpResponse:
    context = {
        "form": form,
        "template": template,
        "placeholders": replies.PLACEHOLDERS,
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
    saved = templates.save_template(form.instance)
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


@require_http_methods(["GET", "POST"])
def my_settings(request: HttpRequest) -> HttpResponse:
    profile = templates.recruiter_profile(request.user)
    form = RecruiterProfileForm(request.POST or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your sender settings are saved.")
            return redirect("triage:settings")
        return render(request, "triage/my_settings.html", {"form": form}, status=400)
    return render(request, "triage/my_settings.html", {"form": form})
