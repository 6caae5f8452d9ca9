"""Openings: the list, the form, an opening's page with who in the pool fits it, and
telling them that a role opened."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from triage.forms import (
    OpeningForm,
    RoleOpenedForm,
)
from triage.models import Opening, ReplyTemplate
from triage.selectors import talent as talent_reads
from triage.services import bulk, openings, profiles


@require_GET
def opening_list(request: HttpRequest) -> HttpResponse:
    rows = Opening.objects.select_related("hiring_manager").order_by("-is_open", "title")
    return render(request, "triage/openings.html", {"openings": rows})


@require_http_methods(["GET", "POST"])
def opening_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    opening = get_object_or_404(Opening, pk=pk) if pk else None
    form = OpeningForm(request.POST or None, instance=opening)
    if request.method == "POST":
        if not form.is_valid():
            context = {"form": form, "opening": opening}
            return render(request, "triage/opening_form.html", context, status=400)
        opening = openings.save_opening(opening=form.save(commit=False))
        messages.success(request, f"Saved “{opening.title}”.{_fits_note(opening, pk is None)}")
        return redirect("triage:opening", pk=opening.pk)
    return render(request, "triage/opening_form.html", {"form": form, "opening": opening})


def _fits_note(opening: Opening, opened: bool) -> str:
    """When a role is created or reopened, say who in the pool it suits (listed below)."""
    if not (opened and opening.is_open):
        return ""
    count = len(talent_reads.fitting_candidates(opening))
    if not count:
        return " Nobody in the talent pool fits it yet."
    people = "person" if count == 1 else "people"
    return f" {count} {people} in the talent pool fit it: tell them below."


@require_GET
def opening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opening = get_object_or_404(Opening.objects.select_related("hiring_manager"), pk=pk)
    context = {
        "opening": opening,
        "fits": talent_reads.fitting_candidates(opening) if opening.is_open else [],
        "templates": ReplyTemplate.objects.filter(is_active=True),
        "role_opened_template": bulk.role_opened_template(),
    }
    return render(request, "triage/opening_detail.html", context)


@require_http_methods(["GET", "POST"])
def opening_role_opened(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: who would hear "a role opened that fits you" (samples, skipped and why).
    POST: queue it, through the bulk path, and show its progress."""
    opening = get_object_or_404(Opening, pk=pk)
    form = RoleOpenedForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("triage:opening", pk=pk)
    ids, template = [c.pk for c in form.cleaned_data["ids"]], form.cleaned_data["template"]
    try:
        if request.method == "POST":
            sent = bulk.start_role_opened(opening, ids, template=template, by=request.user)
            return redirect("triage:bulk-progress", pk=sent.pk)
        plan = bulk.plan_role_opened(opening, ids, template=template, by=request.user)
    except profiles.ProfileMissing as missing:
        messages.error(request, str(missing))
        return redirect("triage:opening", pk=pk)
    context = {"opening": opening, "form": form, "plan": plan}
    return render(request, "triage/opening_role_opened.html", context)


@require_POST
def opening_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    opening = get_object_or_404(Opening, pk=pk)
    is_open = request.POST.get("is_open") == "1"
    reopened = is_open and not opening.is_open
    openings.set_open(opening=opening, is_open=is_open)
    state = "open" if is_open else "closed"
    messages.success(request, f"“{opening.title}” is {state}.{_fits_note(opening, reopened)}")
    return redirect("triage:opening", pk=pk)
