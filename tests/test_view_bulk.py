"""Bulk replies: select in the inbox, confirm with samples, queue, watch the progress."""

import pytest
from django.urls import reverse

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
)
from triage.models import BulkSend, CandidateRequest, Reply
from triage.services import outbox

pytestmark = pytest.mark.django_db

BULK = reverse("triage:bulk")


@pytest.fixture
def named_requests(profile):
    return [
        CandidateRequestFactory(
            subject=f"Coffee {n}?", candidate=CandidateFactory(name=f"Person{n} Example")
        )
        for n in range(4)
    ]


@pytest.fixture
def nameless(profile):
    return CandidateRequestFactory(subject="Hello", candidate=CandidateFactory(name=""))


@pytest.fixture
def strict_template():
    return ReplyTemplateFactory(
        name="Strict", subject="Re: {{ original_subject }}", body="Dear {{ first_name }},"
    )


def test_bulk_pages_require_login(client):
    assert client.get(BULK).url.startswith(reverse("login"))
    assert client.get(reverse("triage:bulk-progress", args=[1])).url.startswith(reverse("login"))


def test_the_inbox_has_checkboxes_and_a_select_all_matching(recruiter_client, named_requests):
    html = recruiter_client.get(reverse("triage:inbox")).content.decode()

    assert f'name="ids" value="{named_requests[0].pk}"' in html
    assert "Select all 4 in this bucket that match the filter" in html
    assert f'action="{BULK}"' in html


def test_the_confirm_page_shows_the_count_three_samples_and_what_is_skipped(
    recruiter_client, named_requests, nameless, strict_template
):
    ids = [r.pk for r in [*named_requests, nameless]]
    response = recruiter_client.get(BULK, {"ids": ids, "template": strict_template.pk})

    html = response.content.decode()
    assert "Send 4 replies" in html
    assert html.count('class="card h-100 bulk-sample"') == 3
    assert "Dear Person" in html
    assert "Would leave first_name empty (no fallback)." in html
    assert not Reply.objects.exists()  # looking is free


def test_it_queues_one_reply_per_request_and_shows_progress(
    recruiter_client, recruiter, named_requests, nameless, strict_template
):
    ids = [r.pk for r in [*named_requests, nameless]]
    response = recruiter_client.post(BULK, {"ids": ids, "template": strict_template.pk})

    bulk = BulkSend.objects.get()
    assert response.url == reverse("triage:bulk-progress", args=[bulk.pk])
    assert bulk.created_by == recruiter and bulk.template == strict_template
    assert set(bulk.requests.all()) == set(named_requests)
    assert bulk.skipped == [
        {"request": nameless.pk, "reason": "Would leave first_name empty (no fallback)."}
    ]
    replies = Reply.objects.order_by("request_id")
    assert [r.body for r in replies] == [f"Dear Person{n},\n" for n in range(4)]
    assert set(bulk.replies.all()) == set(replies)
    assert not nameless.replies.exists()

    Reply.objects.filter(pk=replies[0].pk).update(status=Reply.Status.SENT)
    Reply.objects.filter(pk=replies[1].pk).update(status=Reply.Status.FAILED)
    page = recruiter_client.get(response.url).content.decode()
    assert 'data-count="sent">1<' in page and 'data-count="failed">1<' in page
    assert 'data-count="remaining">2<' in page
    assert 'hx-trigger="every 2s"' in page
    assert "Would leave first_name empty" in page


def test_the_progress_fragment_stops_polling_when_done(recruiter_client, named_requests):
    recruiter_client.post(BULK, {"ids": [named_requests[0].pk]})
    bulk = BulkSend.objects.get()
    Reply.objects.update(status=Reply.Status.SENT)

    response = recruiter_client.get(
        reverse("triage:bulk-progress", args=[bulk.pk]), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "<html" not in html and 'data-count="sent">1<' in html
    assert "hx-trigger" not in html and "done" in html


def test_by_default_each_request_gets_its_buckets_template(recruiter_client, profile):
    funnel = CandidateRequestFactory(candidate=CandidateFactory(name="Ann Funnel"))
    network = CandidateRequestFactory(
        suggested_bucket="network", candidate=CandidateFactory(name="Nia Network")
    )

    recruiter_client.post(BULK, {"ids": [funnel.pk, network.pk]})

    assert funnel.replies.get().template == outbox.default_template("funnel")
    assert network.replies.get().template == outbox.default_template("network")
    assert outbox.default_template("funnel") != outbox.default_template("network")


def test_all_matching_answers_the_filtered_bucket_only(recruiter_client, profile):
    coffee = [
        CandidateRequestFactory(subject=f"Coffee chat {n}", candidate=CandidateFactory(name="A B"))
        for n in range(3)
    ]
    other = CandidateRequestFactory(subject="Internship", candidate=CandidateFactory(name="C D"))
    network = CandidateRequestFactory(subject="Coffee chat", suggested_bucket="network")

    recruiter_client.post(BULK, {"all": "1", "bucket": "funnel", "status": "new", "q": "coffee"})

    answered = set(CandidateRequest.objects.filter(replies__isnull=False))
    assert answered == set(coffee)
    assert not other.replies.exists() and not network.replies.exists()


def test_a_request_already_answered_is_skipped_not_answered_twice(recruiter_client, named_requests):
    first = named_requests[0]
    outbox.queue_reply(request=first, template=None, subject="Re", body="Hi", by=UserFactory())

    recruiter_client.post(BULK, {"ids": [r.pk for r in named_requests]})

    assert first.replies.count() == 1
    assert BulkSend.objects.get().skipped == [
        {"request": first.pk, "reason": "It already has a reply."}
    ]


def test_an_empty_selection_goes_back_to_the_inbox_with_a_message(recruiter_client, profile):
    response = recruiter_client.get(BULK, follow=True)

    assert "Tick at least one request, or choose all that match." in response.content.decode()
    assert not BulkSend.objects.exists()


def test_all_matching_keeps_the_flag_filter(recruiter_client, profile):
    urgent = {"urgent": {"text": "Urgent", "evidence": ["by Friday"], "action": ""}}
    flagged = CandidateRequestFactory(
        subject="Offer", flags=urgent, candidate=CandidateFactory(name="A B")
    )
    unflagged = CandidateRequestFactory(subject="Plain", candidate=CandidateFactory(name="C D"))

    confirm = recruiter_client.get(BULK, {"all": "1", "bucket": "funnel", "flag": "urgent"})
    assert '<input type="hidden" name="flag" value="urgent"' in confirm.content.decode()
    recruiter_client.post(BULK, {"all": "1", "bucket": "funnel", "status": "", "flag": "urgent"})

    assert flagged.replies.exists() and not unflagged.replies.exists()


def test_the_confirm_page_lists_a_person_appearing_twice_and_one_already_answered(
    recruiter_client, named_requests, strict_template
):
    twice = CandidateRequestFactory(subject="Coffee again?", candidate=named_requests[0].candidate)
    answered_elsewhere = CandidateRequestFactory(
        subject="Earlier ask", candidate=named_requests[1].candidate
    )
    outbox.queue_reply(
        request=answered_elsewhere, template=None, subject="Re", body="Hi", by=UserFactory()
    )
    ids = [r.pk for r in [*named_requests, twice]]

    html = recruiter_client.get(BULK, {"ids": ids, "template": strict_template.pk}).content.decode()

    assert "Send 3 replies" in html
    assert "Same person as “Coffee again?” in this bulk, which gets the one email." in html
    assert "Already answered on" in html and "(“Re”) and they have not written since" in html

    recruiter_client.post(BULK, {"ids": ids, "template": strict_template.pk})
    per_person = [r.to_email for r in Reply.objects.filter(template=strict_template)]
    assert len(per_person) == len(set(per_person)) == 3
    skipped = BulkSend.objects.get().skipped
    assert {item["request"] for item in skipped} == {named_requests[0].pk, named_requests[1].pk}


def test_the_progress_page_names_each_person_and_their_replys_status(
    recruiter_client, named_requests
):
    recruiter_client.post(BULK, {"ids": [r.pk for r in named_requests[:2]]})
    bulk = BulkSend.objects.get()
    first = Reply.objects.get(request=named_requests[0])
    Reply.objects.filter(pk=first.pk).update(status=Reply.Status.SENT)
    url = reverse("triage:bulk-progress", args=[bulk.pk])

    for headers in ({}, {"HX-Request": "true"}):  # the page, and the fragment it polls
        html = recruiter_client.get(url, headers=headers).content.decode()
        rows = html.split('id="bulk-replies"')[1].split("</ul>")[0]
        assert rows.count('class="d-flex flex-wrap') == 2
        sent = rows.split("Person0 Example")[1].split("</li>")[0]
        assert "Coffee 0?" in sent and ">Sent<" in sent
        assert f'href="{reverse("triage:request", args=[named_requests[1].pk])}"' in rows
        assert ">Queued<" in rows.split("Person1 Example")[1].split("</li>")[0]


def test_the_progress_page_costs_the_same_queries_however_big_the_bulk(
    recruiter_client, profile, django_assert_max_num_queries
):
    requests = [CandidateRequestFactory(subject=f"R{n}") for n in range(30)]
    recruiter_client.post(BULK, {"ids": [r.pk for r in requests]})
    bulk = BulkSend.objects.get()
    with django_assert_max_num_queries(12):
        recruiter_client.get(reverse("triage:bulk-progress", args=[bulk.pk]))
