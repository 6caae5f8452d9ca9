"""HTTP for the Rules page: the ordered list with its figures, reorder and switch (htmx
fragments), edit and add with a dry run before saving, and each rule's history."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from triage.forms import BuiltinRuleForm, ConditionForm, ConditionFormSet, CustomRuleForm
from triage.models import TriageRule
from triage.selectors import rulebook as rulebook_reads
from triage.services import profiles, rulebook


@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/rules.html", rulebook_reads.rule_list_page())


def _list_or_fragment(request: HttpRequest) -> HttpResponse:
    if request.htmx:
        return render(request, "triage/rules.html#rule-table", rulebook_reads.rule_list_page())
    return redirect("triage:rules")


@require_POST
def rule_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    row = get_object_or_404(TriageRule, pk=pk)
    rulebook.move_rule(row=row, up=direction == "up", by=request.user)
    return _list_or_fragment(request)


@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(TriageRule, pk=pk)
    rulebook.set_enabled(row=row, enabled=not row.enabled, by=request.user)
    return _list_or_fragment(request)


def _forms(request: HttpRequest, row: TriageRule):
    data = request.POST if request.method == "POST" else None
    form = (BuiltinRuleForm if row.builtin else CustomRuleForm)(data, instance=row)
    initial = [ConditionForm.initial_for(c) for c in row.conditions]
    conditions = None if row.builtin else ConditionFormSet(data, initial=initial or None)
    return form, conditions


@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """GET: the form. POST: check it and show the dry run; "Save" after a dry run of the very
    same rule saves it (a changed rule gets a new dry run first)."""
    # A new rule has no bucket until the recruiter chooses one (the form requires it): no
    # default can be right for what the recruiter means it to catch.
    row = get_object_or_404(TriageRule, pk=pk) if pk else TriageRule()
    form, conditions = _forms(request, row)
    context = {"form": form, "conditions": conditions, "rule": row if pk else None}
    if request.method == "GET":
        return render(request, "triage/rule_form.html", context)
    if not form.is_valid() or (conditions is not None and not conditions.is_valid()):
        return render(request, "triage/rule_form.html", context, status=400)
    proposed = form.save(commit=False)
    if conditions is not None:
        proposed.conditions = conditions.conditions()
    fingerprint = rulebook.fingerprint(proposed)
    if request.POST.get("action") == "save" and request.POST.get("previewed") == fingerprint:
        version = rulebook.save_rule(row=proposed, by=request.user)
        messages.success(request, f"Saved “{proposed.title}”: rule set version {version.pk}.")
        return redirect("triage:rules")
    try:
        snapshot = rulebook.proposed_snapshot(proposed)
        context["dry_run"] = rulebook_reads.dry_run(
            snapshot=snapshot,
            profile=profiles.load_profile(),
            rule_key=proposed.key if proposed.pk else snapshot[-1]["key"],
        )
    except profiles.ProfileMissing as missing:
        context["profile_missing"] = str(missing)
    context["previewed"] = fingerprint
    context["changed_since_preview"] = request.POST.get("action") == "save"
    return render(request, "triage/rule_form.html", context)


@require_GET
def rule_history(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(TriageRule, pk=pk)
    return render(request, "triage/rule_history.html", rulebook_reads.rule_history_page(row))
