"""Who fits each open role, worked out ahead (OpeningFit rows), so an opening's page reads
its best few off an index whatever the pool's size instead of ranking every pool person
with the role's skills on each request (selectors/talent.fitting_candidates).

The ranking stays one query, selectors/talent.ranked_fits, read from the skill rows: the
rows here are only ever its results. They are written again
- for a person, when their skills, place or being in the pool may have changed
  (`refresh_people`: intake, a bucket moved, a recruiter's edit), across the open roles;
- for a role, when it is created, its skills or place change, or it opens or closes
  (`opening_changed`): now if its candidates are few, else in a task, the page ranking
  live (Opening.fits_ready false) until the task has run;
- for everything, by `manage.py refresh_pool` (`rebuild_all`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Value

from triage import talent, tasks
from triage.models import CandidateSkill, Opening, OpeningFit
from triage.selectors.talent import ranked_fits

PEOPLE_CHUNK = 500
# A role whose skills at most this many skill rows carry is ranked at once when it changes
# (a few milliseconds); a bigger one in a task.
REBUILD_NOW_UP_TO = 2000
# Roles ranked in one query (UNION ALL) for a chunk of people: SQLite allows 500 terms.
OPENINGS_A_QUERY = 100


def refresh_people(candidate_ids: Iterable[int]) -> None:
    """Work out these people's fits again across the open roles whose fits are stored:
    per chunk of people, one DELETE; which of them are in the pool, with their skills; and
    for the roles sharing one of those skills, one query (their rankings, restricted to
    these people, as one UNION ALL) and one INSERT. A function of ids, so it composes with
    any batching of the pool's work: building the rankings (a few ms a role, in Python) is
    paid once a call, not once a person."""
    ids = sorted(set(candidate_ids))
    roles = {
        opening: {talent.skill_key(skill) for skill in talent.normalize_skills(opening.skills)}
        for opening in Opening.objects.filter(is_open=True, fits_ready=True).only(
            "pk", "skills", "location", "fits_ready"
        )
    }
    for start in range(0, len(ids), PEOPLE_CHUNK):
        chunk = ids[start : start + PEOPLE_CHUNK]
        OpeningFit.objects.filter(candidate_id__in=chunk).delete()
        # Most people who write are not in the pool, and a person shares skills with few
        # roles: only those rankings are built.
        skills = CandidateSkill.objects.filter(candidate_id__in=chunk, candidate__in_pool=True)
        pooled, keys = set(), set()
        for candidate_id, key in skills.values_list("candidate_id", "key"):
            pooled.add(candidate_id)
            keys.add(key)
        openings = [opening for opening, role_keys in roles.items() if role_keys & keys]
        for first in range(0, len(openings), OPENINGS_A_QUERY):
            group = openings[first : first + OPENINGS_A_QUERY]
            rows = _ranked_together(group, sorted(pooled))
            _write(rows)


def _ranked_together(openings: list[Opening], candidate_ids: list[int]) -> list[OpeningFit]:
    """These people's fits for these roles: each role's ranking, its id as a column, all
    of them in one UNION ALL."""
    parts = [
        ranked_fits(opening, candidate_ids)
        .annotate(for_opening=Value(opening.pk))
        .values_list("for_opening", "candidate_id", "score", "here", "email")
        for opening in openings
    ]
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0]
    return [
        OpeningFit(
            opening_id=opening_id, candidate_id=candidate_id, score=score, here=here, email=email
        )
        for opening_id, candidate_id, score, here, email in union
    ]


def _write(rows: list[OpeningFit]) -> None:
    """Insert, or update a row a concurrent writer put there between our delete and this
    insert (a role's rebuild and a person's refresh overlapping): both are the ranking's
    results, and a duplicate must not fail the intake or the edit that triggered it."""
    OpeningFit.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["opening", "candidate"],
        update_fields=["score", "here", "email"],
    )


def _fit_rows(opening: Opening, ranking) -> list[OpeningFit]:
    return [
        OpeningFit(opening=opening, candidate_id=candidate_id, score=score, here=here, email=email)
        for candidate_id, score, here, email in ranking
    ]


@transaction.atomic
def rebuild_opening(opening_id: int) -> int:
    """Rank the whole pool for this role again and store the result (none for a closed
    role, or one without skills). The role's row is locked first, so a change to it waits,
    then marks it stale and rebuilds it again. How many fits."""
    opening = Opening.objects.select_for_update().filter(pk=opening_id).first()
    if opening is None:
        return 0
    OpeningFit.objects.filter(opening=opening).delete()
    ranking = ranked_fits(opening) if opening.is_open else None
    rows = _fit_rows(opening, ranking) if ranking is not None else []
    _write(rows)
    Opening.objects.filter(pk=opening.pk).update(fits_ready=True)
    opening.fits_ready = True
    return len(rows)


def opening_changed(opening: Opening) -> None:
    """A role was created, or its skills, place or state changed: its stored fits are
    stale. Rank it now if few skill rows are concerned, else mark it (its page ranks live
    meanwhile) and rebuild it in a task once this transaction commits."""
    keys = [talent.skill_key(skill) for skill in talent.normalize_skills(opening.skills)]
    concerned = CandidateSkill.objects.filter(key__in=keys)[: REBUILD_NOW_UP_TO + 1].count()
    if not opening.is_open or concerned <= REBUILD_NOW_UP_TO:
        rebuild_opening(opening.pk)
        opening.fits_ready = True
        return
    Opening.objects.filter(pk=opening.pk).update(fits_ready=False)
    opening.fits_ready = False
    transaction.on_commit(lambda: tasks.rebuild_opening_fits.enqueue(opening.pk))


def rebuild_all() -> int:
    """Every role's fits again (after rows were written in bulk, or a restore). How many."""
    return sum(rebuild_opening(pk) for pk in Opening.objects.values_list("pk", flat=True))
