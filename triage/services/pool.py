"""The talent pool: keeping each person's pool fields current (in the pool, last contact,
when to follow up), their skills as rows, what intake reads from their words, snoozing and
scheduling follow-ups (reads: selectors/talent.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
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
    _update_each(people, ["in_pool", "last_contact_on", "follow_up_due"])


def _update_each(people: list[Candidate], names: list[str]) -> None:
    """One UPDATE of these fields per person, sent together (executemany): bulk_update's
    CASE per field and row is built in Python, a hundred times slower for thousands of people."""
    if not people:
        return
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


# The events that change someone's pool fields.
POOL_EVENTS = (events.REQUEST_CREATED, events.BUCKET_CHANGED, events.REPLY_SENT)


def on_events(batch: Sequence[events.Event]) -> None:
    """Keep the pool current as things happen: read each new request's skills and place (in
    the order they arrived), then work out again the pool fields of everyone concerned (a
    request arrived, a bucket moved, a reply was sent). One event as it happens, or an
    import batch's together at its end: the same dozen queries either way."""
    concerned = [
        event
        for event in batch
        if event.candidate_id is not None
        and event.name in POOL_EVENTS
        and (event.name != events.REQUEST_CREATED or event.request_id is not None)
    ]
    new = [event.request_id for event in concerned if event.name == events.REQUEST_CREATED]
    read: set[int] = set()
    if new:
        # Only what reading needs: an import's batch holds 500 requests here.
        found = CandidateRequest.objects.select_related("candidate").only(
            "subject", "body", "candidate__location"
        )
        requests = found.in_bulk(new)
        arrived = [requests[pk] for pk in new if pk in requests]
        if any(read_from_requests(arrived)):
            # Their fits to the open roles are worked out again (services/fits.py).
            read = {request.candidate_id for request in arrived}
    if concerned:
        refresh((event.candidate_id for event in concerned), skills_or_place_read=read)


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


def read_from_requests(requests: Sequence[CandidateRequest]) -> tuple[int, int]:
    """Fill each person's skills and, if unknown, location from what these requests say (their
    subject, body and the text of their résumés), each with the phrase it came from, just as
    reading them one after another in this order would. A recruiter's skills and location
    are never changed. Six queries whatever the number of requests (`candidate` selected
    with them). (skills added, locations set)."""
    if not requests:
        return 0, 0
    files = defaultdict(list)
    attached = Attachment.objects.filter(message__request__in=[r.pk for r in requests])
    for request_id, text in attached.values_list("message__request", "text"):  # by pk
        files[request_id].append(text)
    skills, places = vocabulary()
    have, last = defaultdict(set), {}  # each person's skill keys, and their last position
    rows = CandidateSkill.objects.filter(candidate__in={r.candidate_id for r in requests})
    for person, key, position in rows.values_list("candidate", "key", "position"):
        have[person].add(key)
        last[person] = max(last.get(person, -1), position)
    people = {request.candidate_id: request.candidate for request in requests}
    new, located = [], {}
    for request in requests:
        person = people[request.candidate_id]
        text = "\n".join([request.subject, request.body, *files[request.pk]])
        found = talent.read_skills(text=text, vocabulary=skills, have=list(have[person.pk]))
        start = last.get(person.pk, -1) + 1
        for n, item in enumerate(found):
            name = item.value[:100]
            key = talent.skill_key(name)
            new.append(
                CandidateSkill(
                    candidate=person,
                    name=name,
                    key=key,
                    source=CandidateSkill.Source.MESSAGE,
                    evidence=item.evidence[:300],
                    position=start + n,
                )
            )
            have[person.pk].add(key)
            last[person.pk] = start + n
        if not person.location and (where := talent.read_location(text=text, places=places)):
            person.location = where.value[:200]
            person.location_evidence = where.evidence[:300]
            located[person.pk] = person
    # ignore_conflicts: the same skill read at the same moment by another intake
    CandidateSkill.objects.bulk_create(new, ignore_conflicts=True)
    _update_each(list(located.values()), ["location", "location_evidence"])
    return len(new), len(located)
