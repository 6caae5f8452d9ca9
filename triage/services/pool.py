"""The talent pool: keeping each person's pool fields current (in the pool, last contact,
when to follow up), their skills as rows, what intake reads from their words, snoozing and
scheduling follow-ups (reads: selectors/talent.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Subquery

from triage import events, talent
from triage.models import (
    Attachment,
    Bucket,
    Candidate,
    CandidateRequest,
    CandidateSkill,
    Opening,
    Reply,
    TriageProfile,
)
from triage.services import fits

REFRESH_CHUNK = 2000


def refresh(candidate_ids: Iterable[int], *, skills_or_place_read: Iterable[int] = ()) -> int:
    """Work out again, from their requests and replies, whether these people are in the pool,
    when we were last in touch and when to follow up; two queries a chunk. How many changed.
    Then the fits (services/fits.py) of those who came into or left the pool, and of those
    whose skills or place were just read (`skills_or_place_read`).

    Called when a request arrives or changes bucket, a reply is sent, a follow-up is
    scheduled, and by `manage.py refresh_pool` after rows were written in bulk."""
    ids = sorted(set(candidate_ids))
    changed = 0
    refit = set(skills_or_place_read)
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        requests = CandidateRequest.objects.filter(candidate=OuterRef("pk"))
        last_request = requests.order_by().values("candidate").annotate(at=Max("received_at"))
        sent = Reply.objects.filter(candidate=OuterRef("pk"), sent_at__isnull=False)
        last_reply = sent.order_by().values("candidate").annotate(at=Max("sent_at"))
        people = Candidate.objects.filter(pk__in=chunk).annotate(
            network=Exists(requests.filter(final_bucket=Bucket.NETWORK)),
            last_request=Subquery(last_request.values("at")),
            last_reply=Subquery(last_reply.values("at")),
        )
        stale = []
        for person in people.only(
            "pk", "next_follow_up", "in_pool", "last_contact_on", "follow_up_due"
        ):
            moments = [at for at in (person.last_request, person.last_reply) if at]
            last_contact = max(moments).date() if moments else None
            due = talent.follow_up_on(scheduled=person.next_follow_up, last_contact=last_contact)
            now = (bool(person.network), last_contact, due)
            if bool(person.network) != person.in_pool:
                refit.add(person.pk)
            if now != (person.in_pool, person.last_contact_on, person.follow_up_due):
                person.in_pool, person.last_contact_on, person.follow_up_due = now
                stale.append(person)
        _write_pool_fields(stale)
        changed += len(stale)
    if refit:
        fits.refresh_people(refit)
    return changed


def _write_pool_fields(people: list[Candidate]) -> None:
    """One UPDATE per person sent together (executemany): bulk_update's CASE per field and
    row is built in Python, a hundred times slower for thousands of people."""
    if not people:
        return
    names = ["in_pool", "last_contact_on", "follow_up_due"]
    fields = [Candidate._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {quote(Candidate._meta.db_table)} SET {sets} WHERE {quote('id')} = %s"
    rows = [
        [
            *(
                field.get_db_prep_value(getattr(person, field.attname), connection)
                for field in fields
            ),
            person.pk,
        ]
        for person in people
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def on_events(published: Iterable[events.Event]) -> None:
    """Keep the pool current as things happen: a new request (read its skills and place,
    then the pool fields), a bucket moved, a reply sent. The people of a batch of events
    (a bulk's replies sent) are refreshed together, in one refresh."""
    people, read = set(), set()
    for event in published:
        if event.candidate_id is None:
            continue
        if event.name == events.REQUEST_CREATED and event.request_id is not None:
            request = CandidateRequest.objects.select_related("candidate").get(pk=event.request_id)
            if any(read_from_request(request)):
                read.add(event.candidate_id)
            people.add(event.candidate_id)
        elif event.name in (events.BUCKET_CHANGED, events.REPLY_SENT):
            people.add(event.candidate_id)
    if people:
        refresh(people, skills_or_place_read=read)


def refresh_all() -> int:
    return refresh(Candidate.objects.values_list("pk", flat=True))


def snooze(*, candidate: Candidate, period: str, today: date) -> Candidate:
    """Push the next follow-up back by a week, a month or a quarter."""
    current = candidate.follow_up_due or candidate.next_follow_up
    return schedule(
        candidate=candidate,
        on=talent.snoozed_until(today=today, current=current, period=period),
    )


def schedule(*, candidate: Candidate, on: date | None) -> Candidate:
    candidate.next_follow_up = on
    candidate.follow_up_due = talent.follow_up_on(
        scheduled=on, last_contact=candidate.last_contact_on
    )
    candidate.save(update_fields=["next_follow_up", "follow_up_due"])
    return candidate


# --- Skills as rows ----------------------------------------------------------------------------


@transaction.atomic
def set_skills(*, candidate: Candidate, skills: list[str] | str) -> list[str]:
    """Make a person's skills these tags, in this order: a recruiter's word. Skills they
    keep keep their evidence; new ones are the recruiter's. Three queries or so."""
    wanted = [skill[:100] for skill in talent.normalize_skills(skills)]
    rows = {row.key: row for row in CandidateSkill.objects.filter(candidate=candidate)}
    keys = [talent.skill_key(skill) for skill in wanted]
    CandidateSkill.objects.filter(candidate=candidate).exclude(key__in=keys).delete()
    new, moved = [], []
    for position, (skill, key) in enumerate(zip(wanted, keys, strict=True)):
        row = rows.get(key)
        if row is None:
            new.append(CandidateSkill(candidate=candidate, name=skill, key=key, position=position))
        elif (row.name, row.position) != (skill, position):
            row.name, row.position = skill, position
            moved.append(row)
    CandidateSkill.objects.bulk_create(new)
    CandidateSkill.objects.bulk_update(moved, ["name", "position"])
    fits.refresh_people([candidate.pk])
    return wanted


@transaction.atomic
def set_location(*, candidate: Candidate, location: str) -> Candidate:
    """A recruiter's word on where someone is: it has no evidence but theirs."""
    candidate.location = " ".join(location.split())
    candidate.location_evidence = ""
    candidate.save(update_fields=["location", "location_evidence"])
    fits.refresh_people([candidate.pk])
    return candidate


# --- What intake reads from a person's words ----------------------------------------------------


def vocabulary() -> tuple[list[str], list[str]]:
    """The skills and places intake reads: the roles' and the profile's, then generic ones."""
    skills, places = [], []
    for opening_skills, place in Opening.objects.values_list("skills", "location"):
        skills += opening_skills or []
        places.append(place)
    profile = TriageProfile.load()
    skills += profile.hard_to_fill_skills if profile else []
    return [*skills, *talent.GENERIC_SKILLS], [p for p in places if p]


def read_from_request(request: CandidateRequest) -> tuple[int, bool]:
    """Fill the person's skills and, if unknown, location from what this request says (its
    subject, body and the text of its résumés), each with the phrase it came from. A
    recruiter's skills and location are never changed. (skills added, location set)."""
    attached = Attachment.objects.filter(message__request=request).values_list("text", flat=True)
    text = "\n".join([request.subject, request.body, *attached])
    skills, places = vocabulary()
    candidate = request.candidate
    have = list(CandidateSkill.objects.filter(candidate=candidate).values_list("key", "position"))
    found = talent.read_skills(text=text, vocabulary=skills, have=[key for key, _ in have])
    start = max((position for _, position in have), default=-1) + 1
    CandidateSkill.objects.bulk_create(
        [
            CandidateSkill(
                candidate=candidate,
                name=item.value[:100],
                key=talent.skill_key(item.value[:100]),
                source=CandidateSkill.Source.MESSAGE,
                evidence=item.evidence[:300],
                position=start + n,
            )
            for n, item in enumerate(found)
        ],
        ignore_conflicts=True,  # the same skill read at the same moment by another intake
    )
    located = False
    if not candidate.location and (where := talent.read_location(text=text, places=places)):
        candidate.location = where.value[:200]
        candidate.location_evidence = where.evidence[:300]
        candidate.save(update_fields=["location", "location_evidence"])
        located = True
    return len(found), located
