"""Who else has a request open, so two recruiters don't answer the same person at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from triage.models import RequestPresence

# The page beats every 15 seconds: three missed beats and they have gone.
WINDOW = timedelta(seconds=45)


@dataclass(frozen=True)
class Viewer:
    name: str
    writing: bool  # focused or typed in the reply editor within the window


def record_presence(*, request_id: int, user, writing: bool, now: datetime | None = None) -> None:
    """Upsert this person's heartbeat (one statement: two tabs beating at once cannot
    collide on the unique constraint). `writing` refreshes writing_at; a plain beat keeps it."""
    now = now or timezone.now()
    RequestPresence.objects.bulk_create(
        [
            RequestPresence(
                request_id=request_id, user=user, last_seen=now, writing_at=now if writing else None
            )
        ],
        update_conflicts=True,
        unique_fields=["request", "user"],
        update_fields=["last_seen", "writing_at"] if writing else ["last_seen"],
    )


def other_viewers(*, request_id: int, user, now: datetime | None = None) -> list[Viewer]:
    """Everyone but `user` seen on the request within the window, writers first."""
    now = now or timezone.now()
    since = now - WINDOW
    rows = (
        RequestPresence.objects.filter(request_id=request_id, last_seen__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    viewers = [
        Viewer(
            name=row.user.get_full_name() or row.user.username,
            writing=row.writing_at is not None and row.writing_at >= since,
        )
        for row in rows
    ]
    return sorted(viewers, key=lambda viewer: not viewer.writing)
