"""The bell in the nav and the list of a user's notifications (who gets them and when:
services/notifications.py). Open to hiring managers too: each sees only their own."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from triage.access import open_to_assignees
from triage.selectors import notifications as reads
from triage.services import notifications


@require_GET
@open_to_assignees
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    context = {
        "notifications": reads.notification_list(request.user, unread_only=unread_only),
        "unread_only": unread_only,
    }
    return render(request, "triage/notifications.html", context)


@require_GET
@open_to_assignees
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The bell alone, for htmx to refresh now and then."""
    return render(request, "triage/_notifications_nav.html")


@require_POST
@open_to_assignees
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; then go where `next` says (the request it is about), if it is ours."""
    notifications.mark_read(user=request.user, pk=pk)
    target = request.POST.get("next", "")
    if request.htmx and not target:
        context = {"notifications": reads.notification_list(request.user), "oob_badge": True}
        return render(request, "triage/notifications.html#list", context)
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "triage:notifications"
    return redirect(target)


@require_POST
@open_to_assignees
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications.mark_all_read(user=request.user)
    if request.htmx:
        context = {"notifications": reads.notification_list(request.user), "oob_badge": True}
        return render(request, "triage/notifications.html#list", context)
    return redirect("triage:notifications")
