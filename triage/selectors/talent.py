"""Reads for the talent pool: who is in it and when to get back to them, who fits an
opening, and whose follow-up is due (the digest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Prefetch

from triage import talent
from triage.models import Bucket, Candidate, CandidateRequest, Opening


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


@dataclass(frozen=True)
class Fit:
    candidate: Candidate
    score: int
    why: tuple[str, ...]


def fitting_candidates(opening: Opening, *, limit: int = 20) -> list[Fit]:
    """Pool people who fit the role, best first, each with why. Do-not-contact people are
    listed too (a recruiter may still want to know), and marked on the page."""
    fits = []
    for person in pool_candidates().prefetch_related("requests"):
        where = " ".join(f"{r.subject} {r.body}" for r in person.requests.all())
        fit = talent.role_fit(
            skills=person.skills,
            location=person.location,
            location_text=where,
            role_skills=opening.skills,
            role_location=opening.location,
        )
        if fit.score:
            fits.append(Fit(candidate=person, score=fit.score, why=fit.why))
    fits.sort(key=lambda f: (-f.score, f.candidate.email))
    return fits[:limit]


def due_follow_ups(today: date) -> list[PoolEntry]:
    """Everyone whose follow-up is due today or overdue. Do-not-contact people are left out:
    there is nothing to follow up."""
    return [e for e in pool_entries(due_by=today) if not e.candidate.do_not_contact]
