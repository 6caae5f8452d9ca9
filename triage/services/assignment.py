"""Exceptional candidates routed to hiring managers: assign, notify, record the outcome."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from triage import access, events, rules, tasks
from triage.models import CandidateRequest, HiringOutcome, Opening
from triage.services import audit, config_cache
from triage.services.verdicts import matching_openings


class NotAHiringManager(Exception):
    """Requests can only be assigned to a user with the hiring manager role."""


def suggested_assignee(
    request: CandidateRequest, profile: rules.Profile, *, matches=None, user=None
):
    """The hiring manager of the open role that best matches what the candidate wrote, or
    None when no matching role has one. `matches`: matching_openings(), if worked out;
    `user`: the signed-in user, on a page (the roles' managers are kept in memory then)."""
    matches = matching_openings(request, profile) if matches is None else matches
    if not matches:
        return None
    if getattr(user, "config_version", None) is None:
        managers = _role_managers()
    else:  # from the hiring managers the page has in memory already
        managers = config_cache.cached("role-managers", lambda: _role_managers(user), user=user)
    for match in matches:
        if (manager := managers.get((match.title, match.url))) is not None:
            return manager
    return None


def _role_managers(user=None) -> dict:
    """(title, URL) of each open role with a hiring manager → that manager. `user`: on a
    page, the managers come from hiring_managers(user=user)."""
    if user is None:
        openings = Opening.objects.filter(
            is_open=True, hiring_manager__in=access.hiring_managers()
        ).select_related("hiring_manager")
        return {(o.title, o.url): o.hiring_manager for o in openings}
    managers = {manager.pk: manager for manager in hiring_managers(user=user)}
    rows = Opening.objects.filter(is_open=True, hiring_manager_id__in=list(managers))
    return {
        (title, url): managers[manager_id]
        for title, url, manager_id in rows.values_list("title", "url", "hiring_manager_id")
    }


def hiring_managers(*, user=None) -> list:
    """access.hiring_managers() as a list, kept in memory on a page (`user`)."""
    return config_cache.cached("hiring-managers", lambda: list(access.hiring_managers()), user=user)


@transaction.atomic
def assign_request(*, request: CandidateRequest, to, by) -> CandidateRequest:
    """Hand the request to a hiring manager, who is emailed about it once this commits.
    Assigning it again to the same person sends nothing."""
    if not access.hiring_managers().filter(pk=to.pk).exists():
        raise NotAHiringManager(NotAHiringManager.__doc__)
    if request.assigned_to_id == to.pk:
        return request
    request.assigned_to = to
    request.assigned_by = by
    request.assigned_at = timezone.now()
    request.save(update_fields=["assigned_to", "assigned_by", "assigned_at", "updated_at"])
    transaction.on_commit(lambda: _enqueue_notification(request.pk))
    events.publish(events.ASSIGNED, request=request, actor=by, assignee_id=to.pk)
    audit.record(
        action=audit.Action.ASSIGNED,
        by=by,
        target=request,
        description=f"Request #{request.pk} assigned to user #{to.pk} ({to.username})",
    )
    return request


def notify_rule_assignments(requests) -> None:
    """Requests a rule's action assigned as they arrived (saved, so with their keys): their
    assignees hear about them like any other assignment, once the intake commits."""
    for request in [r for r in requests if r.assigned_to_id and r.assigned_by_id is None]:
        transaction.on_commit(lambda pk=request.pk: _enqueue_notification(pk))
        events.publish(events.ASSIGNED, request=request, assignee_id=request.assigned_to_id)


@transaction.atomic
def unassign_request(*, request: CandidateRequest, by=None) -> CandidateRequest:
    was = request.assigned_to_id
    request.assigned_to = request.assigned_by = request.assigned_at = None
    request.save(update_fields=["assigned_to", "assigned_by", "assigned_at", "updated_at"])
    audit.record(
        action=audit.Action.ASSIGNED,
        by=by,
        target=request,
        description=f"Request #{request.pk} unassigned (was user #{was})",
    )
    return request


def _enqueue_notification(request_id: int) -> None:
    tasks.notify_assignee.enqueue(request_id)


def notify_assignee(request_id: int) -> bool:
    """Email the request's current assignee. False when it has none by now (unassigned
    before the worker got to it) or they have no address."""
    request = (
        CandidateRequest.objects.select_related("candidate", "assigned_to", "assigned_by")
        .filter(pk=request_id, assigned_to__isnull=False)
        .first()
    )
    if request is None or not request.assigned_to.email:
        return False
    context = {
        "req": request,
        "manager": request.assigned_to,
        "by": _name(request.assigned_by) or "A recruiter",
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    candidate = request.candidate.name or "a candidate"
    message = EmailMessage(
        subject=f"{context['by']} asked you to talk with {candidate}",
        body=render_to_string("triage/assignment_email.txt", context),
        to=[request.assigned_to.email],
    )
    return bool(mailers.default.send_messages([message]))


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def assigned_to(user):
    """The user's assigned requests, newest assignment first, with their outcomes."""
    return (
        CandidateRequest.objects.filter(assigned_to=user)
        .select_related("candidate", "assigned_by")
        .prefetch_related("outcomes")
        .order_by("-assigned_at", "-pk")
    )


@transaction.atomic
def record_outcome(*, request: CandidateRequest, kind: str, note: str, by) -> HiringOutcome:
    outcome = HiringOutcome.objects.create(
        request=request, kind=kind, note=note.strip(), recorded_by=by
    )
    events.publish(events.OUTCOME_RECORDED, request=request, actor=by, outcome=kind)
    return outcome
