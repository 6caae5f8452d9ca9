"""A recruiter's saved views of the inbox: save the filter on screen under a name, for
themselves or shared with every recruiter, and delete their own."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from triage.models import SavedView


class NameTaken(Exception):
    """The recruiter already has a view with this name."""


class NotYours(Exception):
    """Only the recruiter who saved a view may delete it."""


def save_view(*, owner, name: str, shared: bool, filters: dict) -> SavedView:
    """Save `filters` (bucket, status, flag, scope, q: the inbox's own, already checked)."""
    view = SavedView(
        owner=owner,
        name=name.strip(),
        shared=shared,
        bucket=filters.get("bucket", ""),
        status=filters.get("status", ""),
        flag=filters.get("flag", ""),
        scope=filters.get("scope", ""),
        query=filters.get("q", "").strip(),
    )
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        raise NameTaken(f"You already have a view called “{view.name}”.") from None
    return view


def delete_view(*, view: SavedView, by) -> None:
    if view.owner_id != by.pk:
        raise NotYours("Only the recruiter who saved a view can delete it.")
    view.delete()
