"""Replies at scale: a bulk is queued with a few queries whatever its size, its sends go out
in batches over one SMTP connection, and each reply still has its own claim and outcome."""

import itertools
import math
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import DROP_AFTER_DATA, DROP_BEFORE_DATA
from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
)
from triage.models import Candidate, CandidateRequest, Message, Reply
from triage.services import bulk, candidates, outbox

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


def asks(count: int) -> list[CandidateRequest]:
    numbers = [next(_numbers) for _ in range(count)]
    return [
        CandidateRequestFactory(
            subject=f"Coffee {n}?",
            candidate=CandidateFactory(name=f"Person{n} Example"),
            message_id=f"<ask-{n}@mail.example>",
        )
        for n in numbers
    ]


def queries_to_queue(requests, template, by) -> int:
    chosen = CandidateRequest.objects.filter(pk__in=[r.pk for r in requests])
    with CaptureQueriesContext(connection) as queries:
        started = bulk.start_bulk_send(chosen, template=template, by=by)
    assert started.replies.count() == len(requests)
    return len(queries)


def test_queueing_a_bulk_costs_the_same_queries_for_5_replies_as_for_60(profile):
    template = ReplyTemplateFactory(body="Hi {{ first_name }}, {{ openings|default:'none' }}")
    few, many = asks(5), asks(60)

    assert queries_to_queue(few, template, UserFactory()) == queries_to_queue(
        many, template, UserFactory()
    )
    assert Reply.objects.count() == 65
    assert set(CandidateRequest.objects.values_list("status", flat=True)) == {"replied"}


def queue(requests, **options) -> list:
    items = [
        outbox.Outgoing(request=r, template=None, subject="Re: Coffee?", body="Hello")
        for r in requests
    ]
    return outbox.queue_replies(items, by=UserFactory(), **options)


def test_a_batch_gets_queue_replys_refusal_for_each_item_it_would_refuse(profile):
    fine, barred, answered, twice = asks(4)
    Candidate.objects.filter(pk=barred.candidate_id).update(do_not_contact=True)
    queue([answered])
    again = CandidateRequestFactory(candidate=twice.candidate, subject="Me again")

    outcomes = queue([fine, barred, answered, twice, again])

    assert [type(outcome).__name__ for outcome in outcomes] == [
        "Reply",
        "DoNotContact",
        "AlreadyAnswered",
        "Reply",
        "PersonAnswered",  # one email per person per round, within one batch too
    ]
    assert isinstance(outcomes[1], candidates.DoNotContact)
    assert Reply.objects.filter(request=fine, round=1, candidate=fine.candidate).exists()


def test_a_reply_queued_after_the_plan_is_a_collision(profile):
    (request,) = asks(1)
    since = timezone.now()
    queue([CandidateRequestFactory(candidate=request.candidate)])

    (outcome,) = queue([request], since=since)

    assert isinstance(outcome, outbox.Collision) and "since you opened" in str(outcome)


def test_a_bulk_enqueues_one_send_task_per_batch(
    profile, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(outbox, "SEND_BATCH", 2)
    requests = asks(5)

    with django_capture_on_commit_callbacks(execute=True):
        started = bulk.start_bulk_send(
            CandidateRequest.objects.all(), template=ReplyTemplateFactory(), by=UserFactory()
        )

    tasks = DBTaskResult.objects.order_by("enqueued_at")
    assert tasks.count() == math.ceil(len(requests) / 2)
    sent_in_tasks = sorted(pk for task in tasks for pk in task.args_kwargs["args"][0])
    assert sent_in_tasks == sorted(started.replies.values_list("pk", flat=True))


def test_a_batch_goes_out_over_one_connection(smtp, profile):
    replies = queue(asks(4))

    sent = outbox.send_replies([r.pk for r in replies])

    assert [r.status for r in sent] == [Reply.Status.SENT] * 4
    assert len(smtp.messages) == 4 and len(set(smtp.peers)) == 1
    assert Reply.objects.filter(status=Reply.Status.SENT).count() == 4


def test_a_connection_dropped_after_data_mid_batch_makes_only_that_reply_unknown(smtp, profile):
    replies = queue(asks(4))
    smtp.script = ["250 OK", DROP_AFTER_DATA]  # the first is taken, the second dropped

    sent = outbox.send_replies([r.pk for r in replies])

    assert [r.status for r in sent] == ["sent", "unknown", "sent", "sent"]
    assert "check with the candidate" in sent[1].error
    assert len(smtp.dropped_after_data) == 1
    # The third and fourth went over a new connection, opened after the drop.
    assert len(smtp.messages) == 2 and len(set(smtp.peers)) == 1


def test_a_connection_dropped_before_data_mid_batch_retries_only_that_reply(smtp, profile):
    replies = queue(asks(3))
    smtp.script = [DROP_BEFORE_DATA]

    sent = outbox.send_replies([r.pk for r in replies])

    assert [r.status for r in sent] == ["queued", "sent", "sent"]
    assert "SMTPServerDisconnected" in sent[0].error and sent[0].next_attempt_at is not None
    assert len(smtp.messages) == 2


def test_a_reply_in_a_batch_is_claimed_once(smtp, profile):
    replies = queue(asks(2))
    ids = [r.pk for r in replies]

    first = outbox.send_replies(ids)
    second = outbox.send_replies(ids)  # a second task with the same ids: nothing to claim

    assert [r.status for r in first] == ["sent", "sent"] and second == [None, None]
    assert len(smtp.messages) == 2


def test_do_not_contact_set_after_queueing_stops_that_send_only(smtp, profile):
    replies = queue(asks(2))
    Candidate.objects.filter(pk=replies[0].candidate_id).update(do_not_contact=True)

    sent = outbox.send_replies([r.pk for r in replies])

    assert [r.status for r in sent] == ["failed", "sent"]
    assert len(smtp.messages) == 1


def sends_queries(count: int, monkeypatch) -> int:
    """Queries to send `count` replies in one chunk (the chunk larger than any of them)."""
    monkeypatch.setattr(outbox, "SEND_CHUNK", 50)
    ids = [r.pk for r in queue(asks(count))]
    with CaptureQueriesContext(connection) as queries:
        sent = outbox.send_replies(ids)
    assert [r.status for r in sent] == [Reply.Status.SENT] * count
    return len(queries)


def test_sending_a_chunk_costs_the_same_queries_for_3_replies_as_for_20(smtp, profile, monkeypatch):
    assert sends_queries(3, monkeypatch) == sends_queries(20, monkeypatch)
    assert len(smtp.messages) == 23
    # What each sent reply leaves behind, written in bulk: its message in the thread, its
    # request's first reply time.
    sent = Reply.objects.filter(status=Reply.Status.SENT)
    assert Message.objects.filter(direction=Message.Direction.OUT).count() == 23
    assert set(sent.values_list("message_id", flat=True)) == set(
        Message.objects.filter(direction=Message.Direction.OUT).values_list("message_id", flat=True)
    )
    for reply in sent.select_related("request"):
        assert reply.request.first_replied_at == reply.sent_at


def test_a_chunk_is_claimed_in_chunks_of_send_chunk(smtp, profile, monkeypatch):
    monkeypatch.setattr(outbox, "SEND_CHUNK", 2)
    claims = []
    real_claim = outbox.claim_replies
    monkeypatch.setattr(
        outbox,
        "claim_replies",
        lambda ids, now: claims.append(list(ids)) or real_claim(ids, now=now),
    )
    ids = [r.pk for r in queue(asks(5))]

    sent = outbox.send_replies(ids)

    assert claims == [ids[0:2], ids[2:4], ids[4:5]]
    assert [r.status for r in sent] == [Reply.Status.SENT] * 5


class WorkerStopped(Exception):
    """Something unforeseen after the mail server took a message (not a send failure)."""


@pytest.mark.parametrize("stop", [WorkerStopped("database gone"), SystemExit(1)])
def test_a_worker_stopped_mid_chunk_leaves_one_reply_unknown_and_the_rest_sendable(
    smtp, profile, monkeypatch, stop
):
    """Reply 3 of 5 is handed over, then the worker stops (an exception outside the send's
    own handling; SystemExit is db_worker's second Ctrl-C or SIGTERM): 1 and 2 are recorded
    sent, 3 is unknown (the server has it), 4 and 5 are queued as if never claimed."""
    ids = [r.pk for r in queue(asks(5))]
    real_provider_id = outbox.provider_message_id

    def stop_after_the_third(message):  # read right after the server took the message
        if len(smtp.messages) == 3:
            raise stop
        return real_provider_id(message)

    monkeypatch.setattr(outbox, "provider_message_id", stop_after_the_third)

    with pytest.raises(type(stop)):
        outbox.send_replies(ids)

    replies = Reply.objects.in_bulk(ids)
    assert [replies[pk].status for pk in ids] == ["sent", "sent", "unknown", "queued", "queued"]
    assert "worker stopped while sending" in replies[ids[2]].error
    assert "check with the candidate" in replies[ids[2]].error
    assert [replies[pk].attempts for pk in ids[3:]] == [0, 0]
    assert len(smtp.messages) == 3

    monkeypatch.setattr(outbox, "provider_message_id", real_provider_id)
    again = outbox.send_replies(ids)  # the periodic sweep's send_due_replies does this

    assert [r and r.status for r in again] == [None, None, None, "sent", "sent"]
    assert len(smtp.messages) == 5  # the unknown one was not sent again
    assert Reply.objects.filter(status="sent").count() == 4


def test_a_reply_stuck_in_a_chunk_of_a_killed_worker_becomes_unknown(smtp, profile, settings):
    """A worker killed outright records nothing: its claimed chunk is never sent again
    blindly, the sweeper makes it unknown."""
    ids = [r.pk for r in queue(asks(3))]
    outbox.claim_replies(ids, now=timezone.now() - timedelta(hours=1))  # then killed

    again = outbox.send_replies(ids)

    assert again == [None, None, None] and len(smtp.messages) == 0
    assert set(Reply.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"unknown"}
