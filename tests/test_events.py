"""Domain events: each change a team may want to hear about is published once, inside the
transaction that made it, with ids and plain details only."""

import pytest
from django.db import connection

from tests.factories import CandidateRequestFactory, UserFactory, hiring_manager
from tests.test_threading import raw, take_in
from triage import events
from triage.models import Bucket, CandidateRequest, HiringOutcome, Reply
from triage.services import assignment, outbox, privacy, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every event published during the test, with whether a transaction was open."""
    got = []

    def listen(sender, published, **kwargs):
        got.extend((event, connection.in_atomic_block) for event in published)

    events.happened.connect(listen)
    yield got
    events.happened.disconnect(listen)


def names(heard):
    return [event.name for event, _ in heard]


def test_a_new_request_is_published_with_its_bucket_inside_the_intake_transaction(profile, heard):
    take_in(raw(message_id="<one@mail.example>"))

    request = CandidateRequest.objects.get()
    [(event, in_transaction)] = heard
    assert event.name == events.REQUEST_CREATED
    assert (event.request_id, event.candidate_id) == (request.pk, request.candidate_id)
    assert event.data == {"bucket": request.final_bucket}
    assert in_transaction


def test_a_bucket_change_is_published_once_and_not_when_nothing_changes(profile, heard):
    request = CandidateRequestFactory(final_bucket=Bucket.FUNNEL)
    recruiter = UserFactory()

    review.override_bucket(request=request, bucket=Bucket.EXCEPTIONAL, by=recruiter)
    review.override_bucket(request=request, bucket=Bucket.EXCEPTIONAL, by=recruiter)

    [(event, _)] = heard
    assert event.name == events.BUCKET_CHANGED
    assert event.actor_id == recruiter.pk
    assert event.data == {"was": Bucket.FUNNEL, "bucket": Bucket.EXCEPTIONAL}


def test_an_answer_in_a_thread_we_replied_to_is_published_a_first_message_is_not(profile, heard):
    take_in(raw(message_id="<one@mail.example>"))
    request = CandidateRequest.objects.get()
    take_in(
        raw(
            subject="Re: Coffee chat?",
            message_id="<two@mail.example>",
            In_Reply_To="<one@mail.example>",
        )
    )
    assert names(heard) == [events.REQUEST_CREATED]  # their own follow-up: no answer yet

    Reply.objects.create(
        request=request,
        to_email="sam@mail.example",
        subject="Re: Coffee chat?",
        body="Apply on the site.",
        status=Reply.Status.SENT,
        message_id="<our-reply@triage.localhost>",
    )
    take_in(
        raw(
            subject="Re: Coffee chat?",
            body="Thanks!",
            message_id="<three@mail.example>",
            In_Reply_To="<our-reply@triage.localhost>",
        )
    )

    assert names(heard) == [events.REQUEST_CREATED, events.CANDIDATE_ANSWERED]
    assert heard[-1][0].request_id == request.pk


def test_assignment_and_outcome_are_published_with_who_did_them(profile, heard):
    request = CandidateRequestFactory(final_bucket=Bucket.EXCEPTIONAL)
    recruiter, manager = UserFactory(), hiring_manager("hank")

    assignment.assign_request(request=request, to=manager, by=recruiter)
    assignment.assign_request(request=request, to=manager, by=recruiter)  # no change
    assignment.record_outcome(request=request, kind=HiringOutcome.Kind.TALKED, note="", by=manager)

    assert names(heard) == [events.ASSIGNED, events.OUTCOME_RECORDED]
    assert heard[0][0].data == {"assignee_id": manager.pk}
    assert heard[1][0].actor_id == manager.pk


def test_a_sent_and_a_failed_reply_are_published(profile, heard, smtp):
    def queue(request):
        return outbox.queue_reply(
            request=request, template=None, subject="Re: hi", body="Hello.", by=UserFactory()
        )

    sent = queue(CandidateRequestFactory())
    outbox.send_reply(sent.pk)
    assert names(heard) == [events.REPLY_SENT]
    assert heard[0][0].reply_id == sent.pk

    smtp.script = ["550 5.1.1 No such user"]
    failed = queue(CandidateRequestFactory())
    outbox.send_reply(failed.pk)
    assert names(heard) == [events.REPLY_SENT, events.REPLY_FAILED]
    assert heard[1][0].reply_id == failed.pk
    assert "No such user" in heard[1][0].data["error"]


def test_an_erasure_says_who_was_erased_by_id_only(profile, heard):
    request = CandidateRequestFactory()
    candidate_id = request.candidate_id

    privacy.erase_candidate(candidate=request.candidate, by=UserFactory())

    [(event, _)] = heard
    assert (event.name, event.candidate_id, event.data) == (events.PERSON_ERASED, candidate_id, {})


def test_an_unknown_event_name_is_refused():
    with pytest.raises(ValueError, match="unknown event"):
        events.publish("request.teleported")
