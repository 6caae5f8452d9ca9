"""The team's other tools: outgoing webhooks (recruiters), personal API tokens (everyone, on
My settings), and "Send to ATS" on a person's page."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from triage import access
from triage.forms import ApiTokenForm, AtsForm, WebhookEndpointForm
from triage.models import ApiToken, AtsExport, Candidate, CandidateRequest, WebhookEndpoint
from triage.services import api_tokens, ats, outgoing_webhooks

# A secret or a key is shown once, on the page the creation redirects to, then forgotten.
SHOWN_ONCE = "triage_shown_once"
LOG_ROWS = 50


def _show_once(request: HttpRequest, kind: str, pk: int, value: str) -> None:
    request.session[SHOWN_ONCE] = {"kind": kind, "pk": pk, "value": value}


def _take_shown_once(request: HttpRequest, kind: str, pk: int | None = None) -> str:
    item = request.session.get(SHOWN_ONCE)
    if not item or item["kind"] != kind or (pk is not None and item["pk"] != pk):
        return ""
    del request.session[SHOWN_ONCE]
    return item["value"]


# --- Outgoing webhooks --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint = outgoing_webhooks.register_endpoint(
                name=data["name"],
                url=data["url"],
                event_names=data["events"],
                format=data["format"],
                by=request.user,
            )
        except outgoing_webhooks.BadEndpoint as bad:
            form.add_error("url" if "URL" in str(bad) else "events", str(bad))
        else:
            _show_once(request, "webhook", endpoint.pk, endpoint.secret)
            messages.success(request, f"Registered “{endpoint.name}”.")
            return redirect("triage:webhook", pk=endpoint.pk)
    context = {"form": form, "endpoints": WebhookEndpoint.objects.all()}
    return render(
        request,
        "triage/webhooks.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    context = {
        "endpoint": endpoint,
        "secret": _take_shown_once(request, "webhook", pk),
        "deliveries": endpoint.deliveries.all()[:LOG_ROWS],
    }
    return render(request, "triage/webhook_detail.html", context)


@require_POST
def webhook_switch(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    active = request.POST.get("active") == "1"
    outgoing_webhooks.set_active(endpoint=endpoint, active=active, by=request.user)
    messages.success(
        request, "Switched on: new events will be sent." if active else "Switched off."
    )
    return redirect("triage:webhook", pk=pk)


@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    outgoing_webhooks.delete_endpoint(endpoint=endpoint, by=request.user)
    messages.success(request, f"Deleted “{endpoint.name}” and its delivery log.")
    return redirect("triage:webhooks")


@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    outgoing_webhooks.send_test_event(endpoint=endpoint, by=request.user)
    messages.success(request, "A test event is on its way: its result appears in the log below.")
    return redirect("triage:webhook", pk=pk)


# --- API tokens (each user their own; open to hiring managers too) ------------------------------


@access.open_to_assignees
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name (what it is for).")
        return redirect("triage:settings")
    token, key = api_tokens.create_token(user=request.user, name=form.cleaned_data["name"])
    _show_once(request, "token", token.pk, key)
    return redirect("triage:settings")


@access.open_to_assignees
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_tokens.revoke_token(token=token, by=request.user)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("triage:settings")


def token_context(request: HttpRequest) -> dict:
    """My settings' token section (views.replies.my_settings adds it)."""
    return {
        "token_form": ApiTokenForm(),
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_key": _take_shown_once(request, "token"),
    }


# --- The applicant tracking system --------------------------------------------------------------


@require_POST
def send_to_ats(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate, pk=pk)
    form = AtsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("job_id", ["Check the job id."])))
        return redirect("triage:candidate", pk=pk)
    request_id = form.cleaned_data["request"]
    candidate_request = None
    if request_id:
        candidate_request = CandidateRequest.objects.filter(pk=request_id, candidate=candidate)
        candidate_request = candidate_request.first()
        if candidate_request is None:
            raise Http404("No such request for this person.")
    try:
        ats.send_to_ats(
            candidate=candidate,
            request=candidate_request,
            job_id=form.cleaned_data["job_id"],
            by=request.user,
        )
    except (ats.NotSetUp, ats.AlreadyInAts) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Sending to {ats.provider_name()}: the status is below.")
    return redirect("triage:candidate", pk=pk)


@require_POST
def ats_retry(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(AtsExport, pk=pk)
    try:
        ats.retry_export(export=export, by=request.user)
    except ats.AlreadyInAts as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Trying again.")
    return redirect("triage:candidate", pk=export.candidate_id)


def ats_panel(candidate: Candidate, *, request_id: int | None = None) -> dict:
    """The "Send to ATS" box of the candidate and request pages: the hand-offs so far, with
    their status, and the form (when an ATS is set up)."""
    return {
        "provider": ats.provider_name(),
        "exports": list(candidate.ats_exports.all()),
        "form": AtsForm(initial={"request": request_id}),
        "candidate_id": candidate.pk,
    }
