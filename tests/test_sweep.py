"""A crash between "sending" and "sent" leaves the reply "unknown: check before resending",
found by the periodic sweep (not only by the next send), shown on the outbox page and the
request, and never sent again without a recruiter's click."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage import periodic
from triage.models import Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(
        subject="Coffee?",
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
    )


def sending_since(candidate_request, minutes: int, attempts: int = 1) -> Reply:
    """A reply a worker claimed `minutes` ago and never finished."""
    reply = outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject="Re: Coffee?",
        body="Hi Ada",
        by=UserFactory(),
    )
    Reply.objects.filter(pk=reply.pk).update(
        status=Reply.Status.SENDING,
        sending_started_at=timezone.now() - timedelta(minutes=minutes),
        attempts=attempts,
    )
    return reply


def test_it_marks_a_reply_stuck_past_the_threshold_unknown_with_the_reason(candidate_request):
    reply = sending_since(candidate_request, minutes=11, attempts=2)

    assert outbox.sweep_stuck_replies() == 1

    reply.refresh_from_db()
    assert reply.status == Reply.Status.UNKNOWN
    assert "(attempt 2) and never finished" in reply.error
    assert "may or may not have left" in reply.error
    assert "check with the candidate before resending" in reply.error


def test_the_threshold_is_a_setting(settings, candidate_request):
    settings.REPLY_SENDING_TIMEOUT_MINUTES = 30
    reply = sending_since(candidate_request, minutes=11)

    assert outbox.sweep_stuck_replies() == 0
    assert outbox.sweep_stuck_replies(now=timezone.now() + timedelta(minutes=20)) == 1
    reply.refresh_from_db()
    assert reply.status == Reply.Status.UNKNOWN


def test_a_send_in_progress_and_finished_replies_are_left_alone(candidate_request):
    recent = sending_since(candidate_request, minutes=2)
    other = CandidateRequestFactory(candidate=CandidateFactory(email="grace@mail.example"))
    sent = outbox.queue_reply(request=other, template=None, subject="Re", body="Hi", by=None)
    Reply.objects.filter(pk=sent.pk).update(
        status=Reply.Status.SENT, sending_started_at=timezone.now() - timedelta(hours=1)
    )

    assert outbox.sweep_stuck_replies() == 0
    assert Reply.objects.get(pk=recent.pk).status == Reply.Status.SENDING
    assert Reply.objects.get(pk=sent.pk).status == Reply.Status.SENT


def test_the_scheduler_runs_the_sweep_and_the_reply_is_never_sent_again(smtp, candidate_request):
    reply = sending_since(candidate_request, minutes=15)

    # The immediate task backend of the tests runs what the scheduler enqueues at once.
    outcomes = periodic.run_due()

    assert ("sweep_stuck_replies", True) in [(o.job, o.enqueued) for o in outcomes]
    reply.refresh_from_db()
    assert reply.status == Reply.Status.UNKNOWN
    assert outbox.send_reply(reply.pk) is None
    assert smtp.messages == []
    with pytest.raises(outbox.AlreadyAnswered):  # "unknown" still counts as the answer
        outbox.queue_reply(
            request=candidate_request, template=None, subject="Re", body="Again", by=None
        )


def test_the_outbox_page_lists_unknown_replies_with_the_reason(recruiter_client, candidate_request):
    reply = sending_since(candidate_request, minutes=15)
    outbox.sweep_stuck_replies()

    page = recruiter_client.get(reverse("triage:outbox")).content.decode()

    assert 'data-status="unknown"' in page
    assert "and never finished" in page
    assert f'href="{reverse("triage:request", args=[candidate_request.pk])}#replies"' in page
    assert 'data-count="unknown">1<' in page
    reply.refresh_from_db()
    assert reply.error.split(":")[0] in page


def test_the_outbox_page_tabs_separate_failed_and_pending(recruiter_client, candidate_request):
    sending_since(candidate_request, minutes=1)
    other = CandidateRequestFactory(candidate=CandidateFactory(email="grace@mail.example"))
    failed = outbox.queue_reply(request=other, template=None, subject="Re: Hi", body="x", by=None)
    Reply.objects.filter(pk=failed.pk).update(status=Reply.Status.FAILED, error="550 No such user")

    unknown_tab = recruiter_client.get(reverse("triage:outbox") + "?kind=unknown").content.decode()
    failed_tab = recruiter_client.get(reverse("triage:outbox") + "?kind=failed").content.decode()
    pending_tab = recruiter_client.get(reverse("triage:outbox") + "?kind=pending").content.decode()

    assert "Nothing here." in unknown_tab
    assert "550 No such user" in failed_tab and 'data-status="sending"' not in failed_tab
    assert 'data-status="sending"' in pending_tab and "550" not in pending_tab


def test_the_request_page_says_check_before_resending_and_offers_the_button(
    recruiter_client, candidate_request
):
    sending_since(candidate_request, minutes=15)
    outbox.sweep_stuck_replies()

    page = recruiter_client.get(reverse("triage:request", args=[candidate_request.pk]))

    html = page.content.decode()
    assert "Unknown: check before resending." in html
    assert "and never finished" in html
    assert "I checked: send it again" in html


def test_the_outbox_page_requires_login(client):
    response = client.get(reverse("triage:outbox"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_outbox_page_query_count_does_not_grow_with_rows(
    recruiter_client, candidate_request, django_assert_max_num_queries
):
    for index in range(20):
        other = CandidateRequestFactory(candidate=CandidateFactory(email=f"p{index}@mail.example"))
        reply = outbox.queue_reply(
            request=other, template=None, subject="Re", body="x", by=UserFactory()
        )
        Reply.objects.filter(pk=reply.pk).update(status=Reply.Status.UNKNOWN, error="check")

    with django_assert_max_num_queries(7):  # 6, and the bell's unread count in the nav
        recruiter_client.get(reverse("triage:outbox"))


def test_the_sweep_sends_a_queued_reply_whose_task_was_lost(smtp, candidate_request):
    # Queued, but the worker that held its task was killed: the row is all that is left.
    reply = outbox.queue_reply(
        request=candidate_request, template=None, subject="Re: Coffee?", body="Hi", by=None
    )
    Reply.objects.filter(pk=reply.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    fresh = outbox.queue_reply(
        request=CandidateRequestFactory(subject="Fresh"),
        template=None,
        subject="Re",
        body="Hi",
        by=None,
    )

    periodic.run_due()

    reply.refresh_from_db()
    fresh.refresh_from_db()
    assert reply.status == Reply.Status.SENT and len(smtp.messages) == 1
    assert fresh.status == Reply.Status.QUEUED  # its own task is still on its way
