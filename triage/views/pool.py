"""The talent pool: a page of it with its filters, a row's skills and location edited in
place, the follow-up digest, snoozing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from triage import talent
from triage.forms import (
    PoolFilterForm,
    PoolRowForm,
    SnoozeForm,
)
from triage.models import Candidate
from triage.selectors import talent as talent_reads
from triage.services import pool


@require_GET
def pool_list(request: HttpRequest) -> HttpResponse:
    form = PoolFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    due = filters.get("due", "")
    chosen = talent_reads.PoolFilters(
        skill=filters.get("skill", "").strip(),
        location=filters.get("location", ""),
        due_by={"week": talent.end_of_week(today), "today": today}.get(due),
        consent=filters.get("consent", ""),
        text=filters.get("q", ""),
        now=timezone.now(),
    )
    page = talent_reads.pool_page(chosen, page=filters.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "entries": page.entries,
        "query": query.urlencode(),
        "skills": talent_reads.skill_vocabulary(),
        "skill": filters.get("skill", ""),
        "locations": talent_reads.pool_locations(),
        "location": filters.get("location", ""),
        "due": due,
        "consent": filters.get("consent", ""),
        "q": filters.get("q", ""),
        "filtered": any(filters.get(name) for name in ("skill", "location", "due", "consent", "q")),
        "today": today,
    }
    return render(request, "triage/pool.html", context)


def _row(request, candidate: Candidate, *, form=None, status=200) -> HttpResponse:
    context = {
        "entry": talent_reads.entries_for([candidate])[0],
        "candidate": candidate,
        "skills": list(candidate.skill_rows.all()),
        "form": form,
        "today": timezone.localdate(),
    }
    template = "triage/pool.html#row-edit" if form is not None else "triage/pool.html#row"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def pool_row(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the row's skills and location as a form (htmx swaps it in; without htmx the
    candidate page has the same fields). POST: save them and give the row back."""
    candidate = get_object_or_404(Candidate, pk=pk)
    if request.method == "GET":
        if not request.headers.get("HX-Request"):
            return redirect("triage:candidate", pk=pk)
        initial = {"skills": candidate.skills, "location": candidate.location}
        return _row(request, candidate, form=PoolRowForm(initial=initial))
    form = PoolRowForm(request.POST)
    if not form.is_valid():
        return _row(request, candidate, form=form, status=400)
    pool.set_skills(candidate=candidate, skills=form.cleaned_data["skills"])
    if " ".join(form.cleaned_data["location"].split()) != candidate.location:
        pool.set_location(candidate=candidate, location=form.cleaned_data["location"])
    if not request.headers.get("HX-Request"):
        messages.success(request, f"Saved {candidate.email}'s skills and location.")
        return redirect("triage:pool")
    return _row(request, candidate)


@require_GET
def digest_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {"entries": talent_reads.due_follow_ups(today), "today": today}
    return render(request, "triage/digest.html", context)


@require_POST
def pool_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how long to snooze: a week, a month or a quarter.")
        return redirect("triage:pool")
    pool.snooze(candidate=candidate, period=form.cleaned_data["period"], today=timezone.localdate())
    messages.success(
        request, f"Next follow-up with {candidate.email}: {candidate.next_follow_up:%-d %b %Y}."
    )
    if request.POST.get("next") == "candidate":
        return redirect("triage:candidate", pk=pk)
    return redirect("triage:pool")
