"""The talent pool: network-later people, when to get back to them, and snoozing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Prefetch

from triage import talent
from triage.models import Bucket, Candidate, CandidateRequest


@dataclass(frozen=True)
class PoolEntry:
    candidate: Candidate
    came_from: str  # how they first reached us
    last_contact: date | None
    follow_up: date | None

    def is_due(self, on: date) -> bool:
        return self.follow_up is not None and self.follow_up <= on


def pool_candidates():
    """Everyone with a request in the network-later bucket, erased people being gone already."""
    return Candidate.objects.filter(requests__final_bucket=Bucket.NETWORK).distinct()


def _came_from(first: CandidateRequest | None) -> str:
    if first is None:
        return ""
    if first.recipients_cc:
        name, address = first.recipients_cc[0]
        return f"{first.get_channel_display()}, introduced by {name or address}"
    return first.get_channel_display()


def pool_entries(
    *, skill: str = "", location: str = "", due_by: date | None = None, people=None
) -> list[PoolEntry]:
    """The pool, soonest follow-up first; `skill`, `location` (any part of it: "Denver"
    finds "Denver, CO"), `due_by` and `people` (a queryset of candidates) narrow it.
    Three queries."""
    people = pool_candidates() if people is None else people
    if location.strip():
        people = people.filter(location__icontains=location.strip())
    people = people.annotate(
        last_request=Max("requests__received_at"),
        last_reply=Max("requests__replies__sent_at"),
    ).prefetch_related(
        Prefetch("requests", queryset=CandidateRequest.objects.order_by("received_at"))
    )
    entries = []
    for person in people:
        if skill and skill.lower() not in {s.lower() for s in person.skills}:
            continue
        contacts = [moment for moment in (person.last_request, person.last_reply) if moment]
        last_contact = max(contacts).date() if contacts else None
        requests = list(person.requests.all())
        entry = PoolEntry(
            candidate=person,
            came_from=_came_from(requests[0] if requests else None),
            last_contact=last_contact,
            follow_up=talent.follow_up_on(
                scheduled=person.next_follow_up, last_contact=last_contact
            ),
        )
        if due_by is None or entry.is_due(due_by):
            entries.append(entry)
    return sorted(entries, key=lambda e: (e.follow_up or date.max, e.candidate.email))


def pool_skills() -> list[str]:
    """Every skill tag in the pool, for the filter."""
    skills = {}
    for tags in pool_candidates().values_list("skills", flat=True):
        for tag in tags or []:
            skills.setdefault(tag.lower(), tag)
    return sorted(skills.values(), key=str.lower)


def pool_locations() -> list[str]:
    """Every location recorded in the pool, for the filter's suggestions."""
    return sorted(
        set(pool_candidates().exclude(location="").values_list("location", flat=True)),
        key=str.lower,
    )


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
