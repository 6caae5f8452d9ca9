"""A request keeps when our first answer was sent (the dashboard's time to first reply reads
it): set in the transaction that records the send, through a real SMTP server, and filled
the same way for replies stored in bulk."""

from datetime import timedelta

import pytest

from tests.factories import CandidateRequestFactory, UserFactory
from triage.models import CandidateRequest, Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db


def test_sending_the_first_answer_sets_it_and_a_later_one_does_not(
    smtp, profile, django_capture_on_commit_callbacks
):
    request = CandidateRequestFactory()
    assert request.first_replied_at is None
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.queue_reply(
            request=request, template=None, subject="Re: hello", body="Thank you.", by=UserFactory()
        )
    first.refresh_from_db()
    request.refresh_from_db()
    assert first.status == Reply.Status.SENT and len(smtp.messages) == 1
    assert request.first_replied_at == first.sent_at

    later = Reply.objects.create(
        request=request,
        to_email=request.candidate.email,
        subject="Re: again",
        body="Again.",
        status=Reply.Status.SENT,
        sent_at=first.sent_at + timedelta(days=1),
        round=first.round + 1,
        message_id="<later@test.example>",
    )
    outbox.record_sent(later)
    request.refresh_from_db()
    assert request.first_replied_at == first.sent_at


def test_the_fill_sets_the_earliest_answer_sent_and_ignores_the_rest():
    answered, failed, told = (CandidateRequestFactory() for _ in range(3))
    start = answered.received_at

    def make(req, n, **fields):
        return Reply.objects.create(
            request=req,
            to_email=req.candidate.email,
            subject="Re",
            body="Thanks.",
            message_id=f"<fill-{n}@test.example>",
            **fields,
        )

    make(answered, 1, status=Reply.Status.SENT, sent_at=start + timedelta(hours=5), round=2)
    make(answered, 2, status=Reply.Status.BOUNCED, sent_at=start + timedelta(hours=2))
    make(failed, 3, status=Reply.Status.FAILED)
    make(told, 4, kind=Reply.Kind.ROLE_OPENED, status=Reply.Status.SENT, sent_at=start)

    assert outbox.fill_first_replied_at() == 1
    firsts = dict(CandidateRequest.objects.values_list("pk", "first_replied_at"))
    assert firsts == {answered.pk: start + timedelta(hours=2), failed.pk: None, told.pk: None}
