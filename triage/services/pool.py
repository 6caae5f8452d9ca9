"""The talent pool: snoozing and scheduling follow-ups (reads: selectors/talent.py)."""

from __future__ import annotations

from datetime import date

from triage import talent
from triage.models import Candidate
from triage.selectors.talent import pool_entries


def snooze(*, candidate: Candidate, period: str, today: date) -> Candidate:
    """Push the next follow-up back by a week, a month or a quarter."""
    mine = pool_entries(people=Candidate.objects.filter(pk=candidate.pk))
    current = mine[0].follow_up if mine else candidate.next_follow_up
    candidate.next_follow_up = talent.snoozed_until(today=today, current=current, period=period)
    candidate.save(update_fields=["next_follow_up"])
    return candidate


def schedule(*, candidate: Candidate, on: date | None) -> Candidate:
    candidate.next_follow_up = on
    candidate.save(update_fields=["next_follow_up"])
    return candidate
