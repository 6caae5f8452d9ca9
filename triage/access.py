"""Who may see what: the one place the app's two roles are checked.

Roles are Django groups, so they are managed where users are (the admin) and need no
table of their own:

- **Recruiters** see and do everything (superusers count as recruiters).
- **Hiring managers** who are not also recruiters see only the requests assigned to them:
  the "Assigned to me" page, those requests' pages, and the outcome form.

Every page of the app is for recruiters unless its view is marked `@open_to_assignees`;
the middleware below refuses the rest. New pages are therefore closed to hiring managers
by default, and views marked open fetch requests through `visible_requests`, which
filters to the user's own for a hiring manager."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import redirect

from triage.models import CandidateRequest

RECRUITERS = "Recruiters"
HIRING_MANAGERS = "Hiring managers"


def is_recruiter(user) -> bool:
    """Read once per request and kept on the user object."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_triage_is_recruiter"):
        # Loaded with the signed-in user (two_factor.ModelBackend), else asked now.
        known = getattr(user, "in_recruiters", None)
        user._triage_is_recruiter = user.is_superuser or (
            known if known is not None else user.groups.filter(name=RECRUITERS).exists()
        )
    return user._triage_is_recruiter


def recruiters() -> QuerySet:
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | Q(groups__name=RECRUITERS)).distinct()


def hiring_managers() -> QuerySet:
    """The people a request can be assigned to."""
    users = get_user_model().objects.filter(is_active=True, groups__name=HIRING_MANAGERS)
    return users.distinct().order_by("first_name", "last_name", "username")


def visible_requests(user) -> QuerySet[CandidateRequest]:
    """Every request for a recruiter; only those assigned to them for anyone else."""
    requests = CandidateRequest.objects.all()
    return requests if is_recruiter(user) else requests.filter(assigned_to=user)


def open_to_assignees(view: Callable) -> Callable:
    """Let hiring managers reach this view. It must fetch through `visible_requests`."""
    view.open_to_assignees = True
    return view


class RecruitersOnlyMiddleware:
    """Refuse the app's pages to signed-in users who are not recruiters, except the views
    marked `@open_to_assignees` or public (`@login_not_required`). The inbox, where login
    lands, sends them to their own list instead of a refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "triage" or not request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages, like the candidates' consent page
        if getattr(view_func, "open_to_assignees", False) or is_recruiter(request.user):
            return None
        if match.url_name == "inbox":
            return redirect("triage:assigned")
        raise PermissionDenied("This page is for recruiters.")


def roles(request) -> dict:
    """Template context: whether to show the recruiters' pages and buttons."""
    return {"is_recruiter": is_recruiter(request.user)}
