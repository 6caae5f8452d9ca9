"""The talent pool's policy: when a follow-up is due and how well a person fits a role.

Pure Python like rules.py: dates and skills come in, answers go out; no ORM, no now()."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# Keep in touch about once a quarter unless a recruiter schedules otherwise.
FOLLOW_UP_AFTER = timedelta(days=90)
SNOOZE_CHOICES = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "quarter": FOLLOW_UP_AFTER,
}


def follow_up_on(*, scheduled: date | None, last_contact: date | None) -> date | None:
    """The date to get back in touch: the one a recruiter set, else a quarter after last contact."""
    if scheduled is not None:
        return scheduled
    if last_contact is not None:
        return last_contact + FOLLOW_UP_AFTER
    return None


def end_of_week(today: date) -> date:
    """The Sunday that ends `today`'s week: "due this week" means due on or before it."""
    return today + timedelta(days=6 - today.weekday())


def snoozed_until(*, today: date, current: date | None, period: str) -> date:
    """Push a follow-up back by `period` from whichever is later: today or the current date."""
    start = max(today, current) if current else today
    return start + SNOOZE_CHOICES[period]


def normalize_skills(raw: list[str] | str) -> list[str]:
    """Tags as a recruiter means them: trimmed, no blanks, no repeats (case-insensitive)."""
    items = raw.split(",") if isinstance(raw, str) else raw
    seen, skills = set(), []
    for item in items:
        skill = " ".join(str(item).split())
        if skill and skill.lower() not in seen:
            seen.add(skill.lower())
            skills.append(skill)
    return skills


def suggest_skills(*, text: str, vocabulary: list[str], have: list[str]) -> list[str]:
    """Skills from `vocabulary` (the roles' and the profile's) that `text` names as whole
    words, in vocabulary order, leaving out the ones the person already has."""
    known = {skill.lower() for skill in have}
    found = []
    for skill in normalize_skills(vocabulary):
        if skill.lower() in known:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, skill.split())) + r"(?!\w)"
        if re.search(pattern, text, re.IGNORECASE):
            found.append(skill)
    return found


@dataclass(frozen=True)
class Fit:
    score: int
    why: tuple[str, ...]


def role_fit(
    *, skills: list[str], location_text: str, role_skills: list[str], role_location: str
) -> Fit:
    """How well a person fits a role: two points per shared skill, one for the location.

    `location_text` is whatever we know of where they are (their messages); a role that is
    remote fits everyone's location."""
    mine = {skill.lower(): skill for skill in skills}
    shared = [skill for skill in role_skills if skill.lower() in mine]
    why = [f"Has {skill}" for skill in shared]
    score = 2 * len(shared)
    place = role_location.split(",")[0].strip().lower()
    if shared and place and (place == "remote" or place in location_text.lower()):
        score += 1
        why.append("Remote role" if place == "remote" else f"Mentions {role_location}")
    return Fit(score=score, why=tuple(why))
