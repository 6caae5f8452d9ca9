"""The talent pool's work for an import: a batch's new requests are read together at the
batch's end, with the same result as reading them one at a time, in a number of queries
that does not grow with the batch; one request still updates the pool at once."""

from email.message import EmailMessage

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage import events, rules
from triage.models import Candidate, CandidateRequest, CandidateSkill, QuarantinedMessage
from triage.services import intake, pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What the subscribers that take events together heard: each list's event names, and
    whether a transaction was open."""
    got = []

    def listen(sender, batch, **kwargs):
        got.append(([event.name for event in batch], connection.in_atomic_block))

    events.happened_together.connect(listen)
    yield got
    events.happened_together.disconnect(listen)


def email(n, *, sender, body, subject="Hello", month="Sep", cc="", files=()) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "rita@acme-orbital.example"
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = f"Mon, {n + 1:02d} {month} 2025 09:15:00 +0000"
    msg["Message-ID"] = f"<pool-{n}@mail.example>"
    msg.set_content(body)
    for filename, content in files:
        msg.add_attachment(content, maintype="text", subtype="plain", filename=filename)
    return msg.as_bytes()


def mixed_messages() -> list[bytes]:
    """Several people, one of them writing three times (skills add up, the first place read
    stays), one whose place a recruiter set, one introduced by an employee (in the pool),
    and a résumé read from a file (stored one message at a time, in the same batch)."""
    return [
        email(
            0,
            sender="Ada <ada@mail.example>",
            body="I'm based in Lisbon and write Rust.",
            month="Jan",  # months apart: new requests, not follow-ups
        ),
        email(1, sender="Lin <lin@mail.example>", body="Greetings from Amsterdam! SQL here."),
        email(
            2,
            sender="Ada <ada@mail.example>",
            subject="Update",
            month="May",
            body="Now I live in Berlin. I also do embedded C and RTOS, and more Rust.",
        ),
        email(
            3,
            sender="Omar <omar@mail.example>",
            body="Eve suggested I write. I work on dashboards in Denver, CO.",
            cc="Eve Employee <eve@acme-orbital.example>",
        ),
        email(4, sender="Kim <kim@mail.example>", body="I'm in Utrecht, Python and Kubernetes."),
        email(
            5,
            sender="Noor <noor@mail.example>",
            body="My résumé is attached.",
            files=[("cv.txt", b"Noor. Orbit determination, Kubernetes. Based in Paris.")],
        ),
        email(6, sender="Ada <ada@mail.example>", subject="Also", body="And SQL, and Go."),
        email(7, sender="Lin <lin@mail.example>", subject="Re: Hello", body="And Rust."),
    ]


def a_recruiter_knows_kim():
    kim = CandidateFactory(email="kim@mail.example", name="Kim")
    pool.set_location(candidate=kim, location="Rotterdam")
    pool.set_skills(candidate=kim, skills=["Python"])


def the_pool() -> tuple[list, list]:
    skills = CandidateSkill.objects.order_by("candidate__email", "position").values_list(
        "candidate__email", "name", "key", "source", "evidence", "position"
    )
    people = Candidate.objects.order_by("email").values_list(
        "email", "location", "location_evidence", "in_pool", "last_contact_on", "follow_up_due"
    )
    return list(skills), list(people)


def test_a_batch_fills_the_pool_exactly_as_one_message_at_a_time(profile):
    messages = mixed_messages()
    a_recruiter_knows_kim()
    for n, raw in enumerate(messages):
        intake.ingest_sources([(f"one#{n}", raw)])
    one_by_one = the_pool()
    Candidate.objects.all().delete()  # their requests, messages, files and skills with them
    assert not QuarantinedMessage.objects.exists()

    a_recruiter_knows_kim()
    summary = intake.ingest_sources([(f"all#{n}", raw) for n, raw in enumerate(messages)])

    assert (summary.new, summary.threaded) == (len(messages) - 1, 1)
    assert the_pool() == one_by_one
    skills, people = one_by_one
    ada = [(name, position) for email_, name, *_, position in skills if email_.startswith("ada")]
    assert ada == [("Rust", 0), ("embedded C", 1), ("RTOS", 2), ("SQL", 3), ("Go", 4)]
    places = {person[0]: person[1] for person in people}
    assert places["ada@mail.example"] == "Lisbon"  # the first place read stays
    assert places["kim@mail.example"] == "Rotterdam"  # the recruiter's
    assert places["noor@mail.example"] == "Paris"  # from the résumé
    assert [person[0] for person in people if person[3]] == ["omar@mail.example"]


def test_the_pool_reads_a_batch_in_the_same_queries_at_two_sizes(profile):
    def pool_queries(size: int, start: int) -> int:
        requests = [
            CandidateRequestFactory(
                candidate=CandidateFactory(email=f"p{n}@mail.example"),
                subject="Hello",
                body=f"I'm based in Lisbon. {n} years of Rust and SQL.",
            )
            for n in range(start, start + size)
        ]
        batch = [
            events.Event(events.REQUEST_CREATED, request_id=r.pk, candidate_id=r.candidate_id)
            for r in requests
        ]
        with CaptureQueriesContext(connection) as captured:
            pool.on_events(batch)
        people = Candidate.objects.filter(pk__in=[r.candidate_id for r in requests])
        assert {person.location for person in people} == {"Lisbon"}
        assert CandidateSkill.objects.filter(candidate__in=people).count() == 2 * size
        return len(captured)

    # Nine for the pool's own fields, two for the people's fits to the open roles
    # (services/fits.py).
    assert pool_queries(3, start=0) == pool_queries(30, start=100) <= 11


def test_a_request_on_its_own_updates_the_pool_at_once_in_its_transaction(profile, heard):
    request = intake.create_request(
        sender=rules.Address(name="Ada", email="ada@mail.example"),
        subject="Hello",
        body="I'm based in Lisbon and write Rust.",
        received_at=timezone.now(),
        channel=CandidateRequest.Channel.FORM,
        profile=profile,
    )

    assert heard == [([events.REQUEST_CREATED], True)]
    person = Candidate.objects.get(pk=request.candidate_id)
    assert (person.location, person.skills) == ("Lisbon", ["Rust"])


def test_an_import_batch_is_heard_together_and_every_event_one_by_one(profile, heard):
    one_by_one = []

    def listen(sender, published, **kwargs):
        one_by_one.extend(event.request_id for event in published)

    events.happened.connect(listen)
    try:
        intake.ingest_sources([(f"#{n}", raw) for n, raw in enumerate(mixed_messages())])
    finally:
        events.happened.disconnect(listen)

    created = list(CandidateRequest.objects.values_list("pk", flat=True))
    assert sorted(one_by_one) == sorted(created)  # notifications, webhooks: every event
    [(names, in_transaction)] = heard
    assert names == [events.REQUEST_CREATED] * len(created) and in_transaction


def test_a_failed_block_drops_its_events_and_an_inner_one_joins_the_outer(heard):
    with events.batch():
        events.publish(events.REQUEST_CREATED, candidate_id=1)
        with pytest.raises(ValueError), events.batch():
            events.publish(events.REQUEST_CREATED, candidate_id=2)
            raise ValueError("that message is quarantined")
        with events.batch():
            events.publish(events.BUCKET_CHANGED, candidate_id=3)
        assert heard == []

    [(names, _)] = heard
    assert names == [events.REQUEST_CREATED, events.BUCKET_CHANGED]
