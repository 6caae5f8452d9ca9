"""Saving the inbox's filter as a view, and deleting one's own. The views and their counts
are shown by the inbox itself (views.requests.inbox)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from triage.forms import SaveViewForm
from triage.models import SavedView
from triage.selectors import inbox_views as view_reads
from triage.services import inbox_views


@require_POST
def view_save(request: HttpRequest) -> HttpResponse:
    form = SaveViewForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"The view was not saved: {errors}")
        return redirect("triage:inbox")
    try:
        view = inbox_views.save_view(
            owner=request.user,
            name=form.cleaned_data["name"],
            shared=form.cleaned_data["shared"],
            filters=form.cleaned_data,
        )
    except inbox_views.NameTaken as taken:
        messages.error(request, f"{taken} Choose another name.")
        return redirect("triage:inbox")
    who = "every recruiter" if view.shared else "you"
    messages.success(request, f"Saved the view “{view.name}”, for {who}.")
    query = urlencode(view_reads.saved_params(view))
    return redirect(f"{reverse('triage:inbox')}?{query}")


@require_POST
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=pk)
    try:
        inbox_views.delete_view(view=view, by=request.user)
    except inbox_views.NotYours as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect("triage:inbox")
