"""Reads for the talent pool: a page of the people in it and when to get back to them, who
fits an opening, and whose follow-up is due (the digest).

The database filters, orders and counts (the pool fields on Candidate, kept by
services/pool.refresh, and the skills as rows); Python only shapes one page of results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Count, F, Max, Q, Value, When
from django.db.models.functions import Coalesce

from triage import talent
from triage.models import (
    Candidate,
    CandidateRequest,
    CandidateSkill,
    Opening,
    OpeningFit,
    Reply,
    TriageProfile,
)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class PoolEntry:
    candidate: Candidate
    came_from: str  # how they first reached us
    last_contact: date | None
    follow_up: date | None
    skills: tuple[CandidateSkill, ...] = ()  # with where each came from

    @property
    def skill_names(self) -> list[str]:
        return [row.name for row in self.skills]

    def is_due(self, on: date) -> bool:
        return self.follow_up is not None and self.follow_up <= on


@dataclass(frozen=True)
class PoolFilters:
    skill: str = ""
    location: str = ""  # any part of it: "Denver" finds "Denver, CO"
    due_by: date | None = None
    consent: str = ""  # "given": consent valid now; "none": not (never given, or lapsed)
    text: str = ""  # any part of the name or the address
    now: datetime | None = None  # for `consent`


def pool_candidates():
    """Everyone with a request in the network-later bucket, erased people being gone already."""
    return Candidate.objects.filter(in_pool=True)


def _came_from(first: CandidateRequest | None) -> str:
    if first is None:
        return ""
    if first.recipients_cc:
        name, address = first.recipients_cc[0]
        return f"{first.get_channel_display()}, introduced by {name or address}"
    return first.get_channel_display()


def filtered_pool(filters: PoolFilters = PoolFilters()):
    """The pool people these filters keep, soonest follow-up first: one queryset."""
    people = pool_candidates()
    if key := talent.skill_key(filters.skill):
        people = people.filter(skill_rows__key=key)  # one row per person and key at most
    if where := filters.location.strip():
        people = people.filter(location__icontains=where)
    if filters.due_by is not None:
        people = people.filter(follow_up_due__lte=filters.due_by)
    if filters.consent and filters.now is not None:
        valid = Q(consent_expires_at__gt=filters.now)
        people = people.filter(valid if filters.consent == "given" else ~valid)
    if text := filters.text.strip():
        # Read off the (in_pool, email, name) index alone, not row by row in follow-up order.
        named = pool_candidates().filter(Q(name__icontains=text) | Q(email__icontains=text))
        people = people.filter(pk__in=named.values("pk"))
    return people.order_by("follow_up_due", "email")


def entries_for(people: list[Candidate]) -> list[PoolEntry]:
    """Pool entries for these people (already fetched, in order): two queries, whatever
    their number, for their skills and how each first reached us."""
    ids = [person.pk for person in people]
    skills: dict[int, list[CandidateSkill]] = {pk: [] for pk in ids}
    for row in CandidateSkill.objects.filter(candidate_id__in=ids):
        skills[row.candidate_id].append(row)
    first: dict[int, CandidateRequest] = {}
    requests = CandidateRequest.objects.filter(candidate_id__in=ids).only(
        "candidate_id", "channel", "recipients_cc", "received_at"
    )
    for request in requests.order_by("candidate_id", "received_at", "pk"):
        first.setdefault(request.candidate_id, request)
    return [
        PoolEntry(
            candidate=person,
            came_from=_came_from(first.get(person.pk)),
            last_contact=person.last_contact_on,
            follow_up=person.follow_up_due,
            skills=tuple(skills[person.pk]),
        )
        for person in people
    ]


# The pool page counts its people up to here and says "more than 1,000" beyond: an exact
# count reads every matching row, so its cost would grow with the pool.
COUNT_UP_TO = 1000


@dataclass(frozen=True)
class PoolPage:
    entries: list[PoolEntry]
    number: int
    size: int
    count: int  # how many people match, up to COUNT_UP_TO + 1
    has_next: bool

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_UP_TO

    @property
    def count_up_to(self) -> int:
        return COUNT_UP_TO

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.entries else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.entries)


def pool_page(filters: PoolFilters = PoolFilters(), *, page: int = 1, size: int | None = None):
    """One page of the pool, at most MAX_PAGE_SIZE people: four queries whatever the pool's
    size or the page's (a count that stops at COUNT_UP_TO, the page's rows and one more to
    know whether a next page exists, their skills, their first requests). A page past the
    end is the last one."""
    size = max(1, min(int(size or PAGE_SIZE), MAX_PAGE_SIZE))
    people = filtered_pool(filters)
    count = people.order_by().values("pk")[: COUNT_UP_TO + 1].count()  # no order: an index may do
    number = max(1, int(page))
    if count <= COUNT_UP_TO:
        number = min(number, max(1, -(-count // size)))
    rows = list(people[(number - 1) * size : number * size + 1])
    return PoolPage(
        entries=entries_for(rows[:size]),
        number=number,
        size=size,
        count=count,
        has_next=len(rows) > size,
    )


def pool_locations() -> list[str]:
    """Places for the location filter's suggestions: the roles', then the cities intake
    reads (a fixed list: the distinct places of a big pool would take a scan of it)."""
    roles = Opening.objects.exclude(location="").values_list("location", flat=True)
    places = [*roles, *talent.GENERIC_PLACES]
    return sorted({p.lower(): p for p in reversed(places)}.values(), key=str.lower)


def skill_vocabulary() -> list[str]:
    """The skills the company looks for (its roles' and the profile's), for the filter's
    suggestions: the pool's own tags are typed, and found case-insensitively."""
    skills = [s for tags in Opening.objects.values_list("skills", flat=True) for s in tags or []]
    profile = TriageProfile.load()
    skills += profile.hard_to_fill_skills if profile else []
    return sorted(talent.normalize_skills(skills), key=str.lower)


# --- Who fits an opening -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    candidate: Candidate
    score: int
    why: tuple[str, ...]
    told_on: date | None = None  # when they were told about this role, if they were


def ranked_fits(opening: Opening, candidate_ids: list[int] | None = None):
    """The ranking itself, read live from the skill rows (the source of truth the stored
    fits are built from, services/fits.py): one row per pool person (of `candidate_ids`,
    if given) sharing a skill with the role, as `candidate_id, score, here, email`, unordered.
    None when the role has no skills.

    Two points per shared skill, one for the location (theirs naming the role's place, or
    any place for a remote role), a location adding only to a skill match."""
    keys = [talent.skill_key(skill) for skill in talent.normalize_skills(opening.skills)]
    if not keys:
        return None
    remote = talent.is_remote(opening.location)
    names = [] if remote else [p for p in talent.places(opening.location) if p != "remote"]
    if remote:
        here = Value(1)
    elif names:
        # LIKE first (cheap, in C), the whole-word expression only on what it lets through.
        named = Q()
        for name in names:
            named |= Q(candidate__location__icontains=name)
        pattern = talent.place_pattern(opening.location)
        here = Max(
            Case(
                When(named & Q(candidate__location__iregex=pattern), then=Value(1)),
                default=Value(0),
            )
        )
    else:
        here = Value(0)
    rows = CandidateSkill.objects.filter(key__in=keys, candidate__in_pool=True)
    if candidate_ids is not None:
        rows = rows.filter(candidate_id__in=candidate_ids)
    return (
        rows.values("candidate_id")
        .annotate(shared=Count("pk"), here=here, email=Max("candidate__email"))
        .annotate(score=F("shared") * 2 + F("here"))
        .values_list("candidate_id", "score", "here", "email")
        .order_by()
    )


def fitting_candidates(opening: Opening, *, limit: int = 20) -> list[Fit]:
    """Pool people who fit the role, best first, each with why (the score: ranked_fits).
    Do-not-contact people are listed too (a recruiter may still want to know), and marked
    on the page.

    Four queries whatever the pool's size: the best few (read off the stored fits' index,
    or ranked live while they are being rebuilt), those people, their matched skills, and
    who was told about the role already."""
    role_skills = talent.normalize_skills(opening.skills)
    keys = {talent.skill_key(skill): skill for skill in role_skills}
    if not keys:
        return []
    remote = talent.is_remote(opening.location)
    if opening.fits_ready:
        stored = OpeningFit.objects.filter(opening=opening).order_by("-score", "email")
        ranked = stored.values_list("candidate_id", "score", "here")[:limit]
    else:
        ranked = ranked_fits(opening).order_by("-score", "email")[:limit]
    rows = [
        {"candidate_id": candidate_id, "score": score, "here": here}
        for candidate_id, score, here, *_ in ranked
    ]
    ids = [row["candidate_id"] for row in rows]
    found = Candidate.objects.in_bulk(ids)
    people = []
    for row in rows:
        person = found[row["candidate_id"]]
        person.score, person.here = row["score"], row["here"]
        people.append(person)
    matched: dict[int, set[str]] = {pk: set() for pk in ids}
    for candidate_id, key in CandidateSkill.objects.filter(
        candidate_id__in=ids, key__in=list(keys)
    ).values_list("candidate_id", "key"):
        matched[candidate_id].add(key)
    told = told_about(opening, ids)
    fits = []
    for person in people:
        why = [f"Has {skill}" for key, skill in keys.items() if key in matched[person.pk]]
        if remote:
            why.append("Remote role")
        elif person.here:
            lives = not person.location_evidence
            why.append(f"Lives in {opening.location}" if lives else f"Mentions {opening.location}")
        fits.append(
            Fit(candidate=person, score=person.score, why=tuple(why), told_on=told.get(person.pk))
        )
    return fits


def told_about(opening: Opening, candidate_ids: list[int]) -> dict[int, date]:
    """Who of these people was told that this role opened (a live "role opened" reply), and
    on what day: when it was sent, or queued if it has not left yet."""
    rows = (
        Reply.objects.filter(
            opening=opening,
            kind=Reply.Kind.ROLE_OPENED,
            status__in=Reply.LIVE_STATUSES,
            candidate_id__in=candidate_ids,
        )
        .annotate(on=Coalesce("sent_at", "created_at"))
        .values_list("candidate_id", "on")
    )
    return {candidate_id: on.date() for candidate_id, on in rows}


def due_follow_ups(today: date) -> list[PoolEntry]:
    """Everyone whose follow-up is due today or overdue. Do-not-contact people are left out:
    there is nothing to follow up."""
    people = filtered_pool(PoolFilters(due_by=today)).filter(do_not_contact=False)
    return entries_for(list(people))
