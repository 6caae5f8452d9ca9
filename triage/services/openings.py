"""Openings as recruiters run them: open, close, and who in the pool fits one."""

from __future__ import annotations

from dataclasses import dataclass

from triage import talent
from triage.models import Candidate, Opening
from triage.services.pool import pool_candidates


def set_open(*, opening: Opening, is_open: bool) -> Opening:
    opening.is_open = is_open
    opening.save(update_fields=["is_open"])
    return opening


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
