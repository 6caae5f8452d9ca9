"""Reads for notifications: the unread count under the bell, and a user's list."""

from __future__ import annotations

from triage.models import Notification

LIST_SIZE = 50


def unread_count(user) -> int:
    """One COUNT on the partial index of unread rows (models.Notification)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_list(user, *, unread_only: bool = False, limit: int = LIST_SIZE):
    """The user's newest notifications, each with its request and candidate (one query)."""
    mine = Notification.objects.filter(user=user)
    if unread_only:
        mine = mine.filter(read_at__isnull=True)
    return list(mine.select_related("request__candidate").order_by("-created_at", "-pk")[:limit])
