"""HTTP for the rules as a whole: re-triage the inbox, and the configuration as a file.
Same shape as views.py: fetch, validate, call one service, respond."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from triage.forms import RetriageForm
from triage.models import RetriageRun
from triage.services import profiles, retriage

RECENT_RUNS = 5


@require_http_methods(["GET", "POST"])
def retriage_page(request: HttpRequest) -> HttpResponse:
    """GET with "preview": what a re-triage would change (a dry run), and a button to do it.
    POST: start it in the background; the page then shows its progress and result."""
    if request.method == "POST":
        form = RetriageForm(request.POST)
        if form.is_valid():
            run = retriage.start_run(since=form.since_moment(), by=request.user)
            messages.success(request, f"Re-triage #{run.pk} started.")
            return redirect("triage:retriage")
        return _page(request, form, status=400)
    form = RetriageForm(request.GET if "preview" in request.GET else None)
    preview = None
    if form.is_bound and form.is_valid():
        try:
            preview = retriage.retriage(since=form.since_moment(), dry_run=True)
        except profiles.ProfileMissing as error:
            messages.error(request, str(error))
    return _page(request, form, preview=preview)


def _page(request, form, preview=None, status=200) -> HttpResponse:
    context = {
        "form": form,
        "preview": preview,
        "runs": RetriageRun.objects.select_related("started_by")[:RECENT_RUNS],
    }
    return render(request, "triage/retriage.html", context, status=status)
