"""Pages for openings, the candidate page, the talent pool and privacy."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from triage import talent
from triage.forms import (
    LocationForm,
    NoteForm,
    OpeningForm,
    PoolFilterForm,
    RoleOpenedForm,
    SkillsForm,
    SnoozeForm,
)
from triage.models import Candidate, Opening, ReplyTemplate, TriageProfile
from triage.selectors import talent as talent_reads
from triage.services import bulk, candidates, consent, openings, pool, privacy, profiles

# --- Openings --------------------------------------------------------------------------------


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


# --- The candidate page ----------------------------------------------------------------------


def _candidate_page(
    request, candidate, *, skills_form=None, note_form=None, location_form=None, status=200
):
    context = {
        "location_form": location_form or LocationForm(initial={"location": candidate.location}),
        "suggested_location": candidates.suggested_location(candidate),
        "candidate": candidate,
        "timeline": candidates.timeline(candidate),
        "skills_form": skills_form or SkillsForm(initial={"skills": candidate.skills}),
        "suggestions": [
            (skill, ", ".join([*candidate.skills, skill]))
            for skill in candidates.suggested_skills(candidate)
        ],
        "note_form": note_form or NoteForm(),
        "snooze_choices": list(talent.SNOOZE_CHOICES),
        "now": timezone.now(),
        "consent_wait_days": settings.CONSENT_WAIT_DAYS,
    }
    return render(request, "triage/candidate.html", context, status=status)


@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.select_related("do_not_contact_set_by"), pk=pk)
    return _candidate_page(request, candidate)


@require_POST
def candidate_skills(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    form = SkillsForm(request.POST)
    if not form.is_valid():
        return _candidate_page(request, candidate, skills_form=form, status=400)
    candidates.update_skills(candidate=candidate, skills=form.cleaned_data["skills"])
    messages.success(request, "Skills saved.")
    return redirect("triage:candidate", pk=pk)


@require_POST
def candidate_location(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    form = LocationForm(request.POST)
    if not form.is_valid():
        return _candidate_page(request, candidate, location_form=form, status=400)
    candidates.update_location(candidate=candidate, location=form.cleaned_data["location"])
    messages.success(request, "Location saved.")
    return redirect("triage:candidate", pk=pk)


@require_POST
def candidate_note(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _candidate_page(request, candidate, note_form=form, status=400)
    candidates.add_note(candidate=candidate, body=form.cleaned_data["body"], by=request.user)
    messages.success(request, "Note added.")
    return redirect("triage:candidate", pk=pk)


@require_POST
def candidate_do_not_contact(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    value = request.POST.get("do_not_contact") == "1"
    candidates.set_do_not_contact(candidate=candidate, value=value, by=request.user)
    if value:
        messages.success(request, f"{candidate.email} will not be contacted.")
    else:
        messages.success(request, f"{candidate.email} may be contacted again.")
    return redirect("triage:candidate", pk=pk)


@require_POST
def candidate_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """A recruiter records consent the candidate gave by email ("yes, keep me in touch")."""
    candidate = get_object_or_404(Candidate, pk=pk)
    consent.record_consent(candidate=candidate, by=request.user)
    messages.success(request, f"Consent recorded until {candidate.consent_expires_at:%-d %b %Y}.")
    return redirect("triage:candidate", pk=pk)


# --- Consent: the public page the keep-in-touch reply links to ------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST records: link checkers in mail systems open links, so opening the
    link alone must not answer for the candidate."""
    profile = TriageProfile.load()
    context = {"company": profile.company if profile else "us", "token": token}
    try:
        candidate = consent.candidate_for(token)
    except consent.LinkExpired as expired:
        return render(request, "triage/consent.html", {**context, "problem": expired}, status=410)
    except consent.LinkInvalid as invalid:
        return render(request, "triage/consent.html", {**context, "problem": invalid}, status=404)
    context["candidate"] = candidate
    context["keep_until"] = consent.expiry(timezone.now())
    if request.method == "GET":
        return render(request, "triage/consent.html", context)
    answer = request.POST.get("answer")
    if answer == "yes":
        consent.record_consent(candidate=candidate)
    elif answer == "no":
        consent.decline(candidate=candidate)
    else:
        context["error"] = "Choose one of the two buttons."
        return render(request, "triage/consent.html", context, status=400)
    return render(request, "triage/consent.html", {**context, "answered": answer})


# --- Talent pool -----------------------------------------------------------------------------


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


# --- Privacy ---------------------------------------------------------------------------------


@require_GET
def candidate_export(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    response = HttpResponse(
        json.dumps(privacy.export_candidate(candidate), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.json"'
    return response


@require_POST
def candidate_erase(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    if request.POST.get("confirm") != "erase":
        messages.error(request, "Type “erase” to confirm: nothing was deleted.")
        return redirect("triage:candidate", pk=pk)
    record = privacy.erase_candidate(candidate=candidate, by=request.user)
    messages.success(
        request,
        f"Erased a person with {record.requests} requests and {record.replies} replies. "
        "Only the counts are kept.",
    )
    return redirect("triage:pool")
