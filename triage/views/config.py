"""The rules as a whole: re-triage the inbox, and the configuration as a file."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from triage.forms import ConfigUploadForm, RetriageForm
from triage.models import Bucket, RetriageRun
from triage.services import audit, config, profiles, retriage, rulebook

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
        "changes": _changes(preview) if preview else [],
        "runs": RetriageRun.objects.select_related("started_by")[:RECENT_RUNS],
    }
    return render(request, "triage/retriage.html", context, status=status)


def _changes(preview) -> list[dict]:
    """The preview's named requests, with the buckets and rules in words."""
    titles = rulebook.titles() | {"funnel_default": "Everyone else"}
    return [
        item
        | {
            "old_label": Bucket(item["old_bucket"]).label,
            "new_label": Bucket(item["new_bucket"]).label,
            "old_title": titles.get(item["old_rule"], item["old_rule"]),
            "new_title": titles.get(item["new_rule"], item["new_rule"]),
        }
        for item in preview.named
    ]


@require_GET
def config_export(request: HttpRequest) -> HttpResponse:
    fmt = "yaml" if request.GET.get("format") == "yaml" else "json"
    kind = "application/yaml" if fmt == "yaml" else "application/json"
    response = HttpResponse(config.export_config(fmt=fmt), content_type=kind)
    audit.record(
        action=audit.Action.EXPORTED,
        by=request.user,
        description=f"Exported the configuration ({fmt})",
    )
    response["Content-Disposition"] = f'attachment; filename="triage-config.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def config_page(request: HttpRequest) -> HttpResponse:
    """Download the configuration, or upload one. Loading a file replaces the profile, as
    editing it in the admin does, so it takes the same right: staff."""
    form = ConfigUploadForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        return render(request, "triage/config.html", {"form": form})
    if not request.user.is_staff:
        return render(request, "triage/config.html", {"form": form, "denied": True}, status=403)
    if form.is_valid():
        try:
            dry_run = form.cleaned_data["dry_run"]
            upload = form.cleaned_data["file"]
            fmt = config.format_for(upload.name)
            changed = config.import_config(upload.read(), fmt=fmt, dry_run=dry_run, by=request.user)
        except config.ConfigError as error:
            for problem in error.problems:
                form.add_error("file", problem)
        else:
            done = "is valid; nothing was changed" if dry_run else "is loaded"
            said = "; ".join(f"{section}: {summary}" for section, summary in changed.items())
            messages.success(request, f"The file {done} ({said}).")
            return redirect("triage:config")
    return render(request, "triage/config.html", {"form": form}, status=400)
