"""Replies at scale: a bulk is queued with a few queries whatever its size, its sends go out
in batches over one SMTP connection, and each reply still has its own claim and outcome."""

import itertools
import math

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
from triage.models import Candidate, CandidateRequest, Reply
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
