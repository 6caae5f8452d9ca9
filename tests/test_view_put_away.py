"""Closing, archiving or marking a request as spam without a reply, and what the request
page tells a recruiter about the person before they send."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import BlockedSender, CandidateRequest, Message, Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    return CandidateFactory(name="Ada Lovelace", email="ada@mail.example")


@pytest.fixture
def candidate_request(profile, ada):
    return CandidateRequestFactory(
        subject="Coffee chat?", body="Could we talk about flight software?", candidate=ada
    )


def put_away_url(candidate_request):
    return reverse("triage:put-away", args=[candidate_request.pk])


def test_it_requires_login(client, candidate_request):
    response = client.post(put_away_url(candidate_request), {"status": "closed", "reason": "x"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    candidate_request.refresh_from_db()
    assert candidate_request.status == "new"


def test_it_refuses_get(recruiter_client, candidate_request):
    assert recruiter_client.get(put_away_url(candidate_request)).status_code == 405


def test_it_closes_without_a_reply_recording_who_when_and_why(
    recruiter_client, recruiter, candidate_request
):
    response = recruiter_client.post(
        put_away_url(candidate_request),
        {"status": "closed", "reason": "  Answered by phone  "},
        follow=True,
    )

    candidate_request.refresh_from_db()
    assert candidate_request.status == CandidateRequest.Status.CLOSED
    assert candidate_request.put_away_by == recruiter
    assert candidate_request.put_away_reason == "Answered by phone"
    assert timezone.now() - candidate_request.put_away_at < timedelta(minutes=1)
    assert not Reply.objects.exists()
    page = response.content.decode()
    assert "Request closed, without a reply." in page
    assert 'id="put-away"' in page and "Answered by phone" in page
    assert 'id="put-away-form"' not in page


def test_it_refuses_to_put_away_twice(recruiter_client, recruiter, candidate_request):
    recruiter_client.post(put_away_url(candidate_request), {"status": "closed", "reason": "A"})

    response = recruiter_client.post(
        put_away_url(candidate_request), {"status": "archived", "reason": "B"}, follow=True
    )

    candidate_request.refresh_from_db()
    assert (candidate_request.status, candidate_request.put_away_reason) == ("closed", "A")
    assert "already closed, archived or marked as spam" in response.content.decode()


def test_a_missing_reason_is_a_400_beside_the_field(recruiter_client, candidate_request):
    response = recruiter_client.post(put_away_url(candidate_request), {"status": "closed"})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    candidate_request.refresh_from_db()
    assert candidate_request.status == "new"


def test_a_made_up_status_is_refused(recruiter_client, candidate_request):
    response = recruiter_client.post(
        put_away_url(candidate_request), {"status": "replied", "reason": "x"}
    )

    assert response.status_code == 400
    candidate_request.refresh_from_db()
    assert candidate_request.status == "new"


def test_the_database_refuses_a_put_away_request_without_a_reason(candidate_request):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateRequest.objects.filter(pk=candidate_request.pk).update(status="closed")


def test_spam_leaves_the_inbox_and_blocks_the_sender(recruiter_client, candidate_request):
    recruiter_client.post(put_away_url(candidate_request), {"status": "spam", "reason": "SEO"})

    assert BlockedSender.objects.filter(pattern="ada@mail.example").exists()
    every_status = recruiter_client.get(reverse("triage:inbox"), {"status": ""}).content.decode()
    assert "Coffee chat?" not in every_status
    spam = recruiter_client.get(reverse("triage:inbox"), {"status": "spam"}).content.decode()
    assert "Coffee chat?" in spam


def test_closed_and_archived_leave_new_but_stay_under_every_status(
    recruiter_client, recruiter, ada, profile
):
    closed = CandidateRequestFactory(candidate=ada, subject="Closed one")
    archived = CandidateRequestFactory(candidate=ada, subject="Archived one")
    recruiter_client.post(put_away_url(closed), {"status": "closed", "reason": "done"})
    recruiter_client.post(put_away_url(archived), {"status": "archived", "reason": "old"})

    new = recruiter_client.get(reverse("triage:inbox")).content.decode()
    every_status = recruiter_client.get(reverse("triage:inbox"), {"status": ""}).content.decode()

    assert "Closed one" not in new and "Archived one" not in new
    assert "Closed one" in every_status and "Archived one" in every_status


def test_the_page_says_who_already_answered_the_person_on_another_request(
    recruiter_client, ada, profile
):
    colleague = UserFactory(username="sam", first_name="Sam", last_name="Colleague")
    first = CandidateRequestFactory(candidate=ada, subject="First ask")
    Message.objects.create(
        request=first, sender=ada.email, received_at=first.received_at, message_id="<a@x>"
    )
    outbox.queue_reply(
        request=first, template=None, subject="Re: First ask", body="Hi Ada.", by=colleague
    )
    second = CandidateRequestFactory(candidate=ada, subject="Second ask")
    CandidateRequest.objects.filter(pk=second.pk).update(
        received_at=timezone.now() - timedelta(hours=1)
    )

    page = recruiter_client.get(reverse("triage:request", args=[second.pk])).content.decode()

    assert 'id="already-answered"' in page
    assert "Already answered on" in page and "by Sam Colleague" in page
    assert "“First ask”" in page
    assert 'id="other-requests"' in page and "Re: First ask" in page


def test_no_banner_for_a_person_nobody_answered(recruiter_client, candidate_request):
    page = recruiter_client.get(
        reverse("triage:request", args=[candidate_request.pk])
    ).content.decode()

    assert 'id="already-answered"' not in page
    assert 'id="other-requests"' not in page
    assert 'id="put-away-form"' in page


def test_a_reopened_request_shows_each_reply_once(recruiter_client, recruiter, candidate_request):
    Message.objects.create(
        request=candidate_request,
        sender="ada@mail.example",
        received_at=candidate_request.received_at,
        message_id="<in1@x>",
    )
    reply = outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject="Re: Coffee chat?",
        body="Our one and only answer.",
        by=recruiter,
    )
    Message.objects.create(
        request=candidate_request,
        direction=Message.Direction.OUT,
        sender="rita@acme.example",
        text=reply.body,
        received_at=timezone.now(),
        message_id=reply.message_id,
    )
    Message.objects.create(
        request=candidate_request,
        sender="ada@mail.example",
        text="Thanks! One more question.",
        received_at=timezone.now(),
        message_id="<in2@x>",
    )
    CandidateRequest.objects.filter(pk=candidate_request.pk).update(status="new")

    page = recruiter_client.get(
        reverse("triage:request", args=[candidate_request.pk])
    ).content.decode()

    assert page.count("Our one and only answer.") == 1
    assert "One more question." in page
    # A new round: what they last wrote has no answer yet.
    assert 'id="already-answered"' not in page


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write, so there is no race to test: run on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_two_recruiters_putting_it_away_at_once_leave_one_decision(profile):
    """On PostgreSQL the two run truly at once; the conditional UPDATE lets one through."""
    import threading

    from django.db import connections

    from triage.services import review

    candidate_request = CandidateRequestFactory()
    users = [UserFactory(), UserFactory()]
    start = threading.Barrier(2)
    outcomes = []

    def put_away(user, status):
        try:
            start.wait()
            review.put_away(request=candidate_request, status=status, by=user, reason=status)
            outcomes.append(status)
        except review.AlreadyPutAway:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=put_away, args=(user, status))
        for user, status in zip(users, ["closed", "archived"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    candidate_request.refresh_from_db()
    assert sorted(outcomes) in (["closed", "refused"], ["archived", "refused"])
    [winner] = [outcome for outcome in outcomes if outcome != "refused"]
    assert candidate_request.status == winner
    assert candidate_request.put_away_reason == candidate_request.status
