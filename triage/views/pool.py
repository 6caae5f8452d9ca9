"""The talent pool: the list with its filters, the follow-up digest, snoozing."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from triage import talent
from triage.forms import (
    PoolFilterForm,
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
    due_by = {"week": talent.end_of_week(today), "today": today}.get(due)
    context = {
        "entries": talent_reads.pool_entries(
            skill=filters.get("skill", "").strip(),
            location=filters.get("location", ""),
            due_by=due_by,
        ),
        "skills": talent_reads.pool_skills(),
        "skill": filters.get("skill", ""),
        "locations": talent_reads.pool_locations(),
        "location": filters.get("location", ""),
        "due": due,
        "today": today,
        "snooze_choices": list(talent.SNOOZE_CHOICES),
    }
    return render(request, "triage/pool.html", context)


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
