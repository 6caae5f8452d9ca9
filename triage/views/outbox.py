"""Replies that have not (yet, or certainly) reached the candidate, sending one again, and
the messages intake kept aside."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from triage.models import QuarantinedMessage, Reply
from triage.selectors import outbox as outbox_reads
from triage.services import intake, outbox, profiles


@require_POST
def retry_reply(request: HttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    reply = get_object_or_404(Reply, pk=reply_pk, request_id=pk)
    try:
        outbox.retry_reply(reply=reply, by=request.user)
    except outbox.AlreadyAnswered as refused:
        messages.error(request, f"Not sent again: {refused}")
    else:
        messages.success(request, f"Sending the reply to {reply.to_email} again.")
    return redirect("triage:request", pk=pk)


@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    context = outbox_reads.outbox_page(
        kind=request.GET.get("kind"),
        before=request.GET.get("before"),
        after=request.GET.get("after"),
    )
    return render(request, "triage/outbox.html", context)


@require_GET
def quarantine(request: HttpRequest) -> HttpResponse:
    context = outbox_reads.quarantine_page(
        kind=request.GET.get("kind"), page_number=request.GET.get("page")
    )
    return render(request, "triage/quarantine.html", context)


@require_POST
def retry_quarantined(request: HttpRequest, pk: int) -> HttpResponse:
    """Process a kept message again; for machine mail also "take it in as a request" (a
    person wrote it after all) or "dismiss" (read, nothing to do), so no row is a dead end."""
    row = get_object_or_404(QuarantinedMessage, pk=pk, resolved_at=None)
    back = redirect(f"{reverse('triage:quarantine')}?kind={row.kind}")
    action = request.POST.get("action", "retry")
    if action == "dismiss":
        intake.dismiss_quarantined([row.pk])
        messages.success(request, "Dismissed: it leaves this list.")
        return back
    try:
        summary = intake.retry_quarantined([row.pk], take_in=action == "take_in")
    except profiles.ProfileMissing as error:
        messages.error(request, str(error))
        return redirect("triage:quarantine")
    if summary.quarantined or summary.set_aside:
        reason = (summary.quarantined or summary.set_aside)[0][1]
        messages.error(request, f"Still kept aside: {reason}")
    else:
        messages.success(request, "Processed again: the message is in the inbox.")
    return back
