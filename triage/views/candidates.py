"""A candidate's page (timeline, skills, location, notes, do-not-contact, consent), the
public consent page, and privacy: export and erase a person."""

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
    SkillsForm,
)
from triage.models import Candidate, TriageProfile
from triage.services import audit, candidates, consent, privacy
from triage.views import integrations

# --- The candidate page ----------------------------------------------------------------------


def _candidate_page(
    request, candidate, *, skills_form=None, note_form=None, location_form=None, status=200
):
    text = candidates.recent_text(candidate)  # read once for both suggestions
    user = request.user
    context = {
        "location_form": location_form or LocationForm(initial={"location": candidate.location}),
        "suggested_location": candidates.suggested_location(candidate, user=user, text=text),
        "candidate": candidate,
        "timeline": candidates.timeline(
            candidate, before=candidates.timeline_cursor(request.GET.get("before"))
        ),
        "skills_form": skills_form or SkillsForm(initial={"skills": candidate.skills}),
        "suggestions": [
            (skill, ", ".join([*candidate.skills, skill]))
            for skill in candidates.suggested_skills(candidate, user=user, text=text)
        ],
        "note_form": note_form or NoteForm(),
        "snooze_choices": list(talent.SNOOZE_CHOICES),
        "now": timezone.now(),
        "today": timezone.localdate(),
        "consent_wait_days": settings.CONSENT_WAIT_DAYS,
        "ats": integrations.ats_panel(candidate),
    }
    return render(request, "triage/candidate.html", context, status=status)


@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    people = Candidate.objects.select_related("do_not_contact_set_by").prefetch_related(
        "skill_rows"
    )
    candidate = get_object_or_404(people, pk=pk)
    audit.record_read(
        action=audit.Action.VIEWED_CANDIDATE,
        by=request.user,
        target=candidate,
        description=f"Viewed candidate #{pk}",
    )
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
    try:
        consent.record_consent(candidate=candidate, by=request.user)
    except consent.ConsentBlocked:
        messages.error(
            request, "Do-not-contact is set for this person: clear it first to record consent."
        )
        return redirect("triage:candidate", pk=pk)
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
        try:
            consent.record_consent(candidate=candidate)
        except consent.ConsentBlocked:
            return render(request, "triage/consent.html", {**context, "answered": "blocked"})
    elif answer == "no":
        consent.decline(candidate=candidate)
    else:
        context["error"] = "Choose one of the two buttons."
        return render(request, "triage/consent.html", context, status=400)
    return render(request, "triage/consent.html", {**context, "answered": answer})


# --- Privacy ---------------------------------------------------------------------------------


@require_GET
def candidate_export(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    response = HttpResponse(
        json.dumps(privacy.export_candidate(candidate), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="candidate-{candidate.pk}.json"'
    audit.record(
        action=audit.Action.EXPORTED,
        by=request.user,
        target=candidate,
        description=f"Exported everything held on candidate #{pk} (JSON)",
    )
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
        f"Erased a person with {_count(record.requests, 'request', 'requests')} and "
        f"{_count(record.replies, 'reply', 'replies')}. Only the counts are kept.",
    )
    return redirect("triage:pool")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
