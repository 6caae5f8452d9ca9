"""The request page's side of the outbox: failures shown, Retry, and collisions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import WAITING_FOR_SETTINGS, CandidateRequest, Reply
from triage.selectors import outbox as outbox_reads
from triage.services import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(profile):
    return CandidateFactory(name="Ada Lovelace", email="ada@mail.example")


@pytest.fixture
def candidate_request(candidate):
    return CandidateRequestFactory(subject="Coffee?", candidate=candidate)


def reply_to(candidate_request, by, status=Reply.Status.SENT, error=""):
    reply = outbox.queue_reply(
        request=candidate_request, template=None, subject="Re: Coffee?", body="Hi", by=by
    )
    Reply.objects.filter(pk=reply.pk).update(status=status, error=error)
    if status == Reply.Status.FAILED:
        CandidateRequest.objects.filter(pk=candidate_request.pk).update(status="new")
    return reply


def post_reply(client, candidate_request, loaded_at):
    return client.post(
        reverse("triage:reply", args=[candidate_request.pk]),
        {"subject": "Re: Coffee?", "body": "Hello Ada", "loaded_at": loaded_at.isoformat()},
        follow=True,
    )


def test_the_reply_form_carries_when_the_page_was_loaded(recruiter_client, candidate_request):
    before = timezone.now()
    response = recruiter_client.get(reverse("triage:request", args=[candidate_request.pk]))

    loaded_at = response.context["form"].initial["loaded_at"]
    assert 'name="loaded_at"' in response.content.decode()
    assert before <= timezone.datetime.fromisoformat(loaded_at) <= timezone.now()


def test_it_stops_a_send_when_someone_else_answered_another_request_of_the_candidate(
    recruiter_client, candidate, candidate_request
):
    loaded_at = timezone.now()
    other_request = CandidateRequestFactory(subject="Also: coffee?", candidate=candidate)
    reply_to(other_request, by=UserFactory(username="omar", first_name="Omar"))

    response = post_reply(recruiter_client, candidate_request, loaded_at)

    html = response.content.decode()
    assert "Omar replied to “Also: coffee?” from the same candidate" in html
    assert not candidate_request.replies.exists()


def test_it_stops_a_send_when_someone_else_answered_this_request(
    recruiter_client, candidate_request
):
    loaded_at = timezone.now()
    reply_to(candidate_request, by=UserFactory(username="omar"))

    response = post_reply(recruiter_client, candidate_request, loaded_at)

    assert "omar replied to this request" in response.content.decode()
    assert candidate_request.replies.count() == 1


def test_the_same_recruiter_in_a_second_tab_is_stopped_too(
    recruiter_client, recruiter, candidate, candidate_request
):
    loaded_at = timezone.now()
    other_request = CandidateRequestFactory(subject="Also: coffee?", candidate=candidate)
    reply_to(other_request, by=recruiter)

    response = post_reply(recruiter_client, candidate_request, loaded_at)

    assert "Rita Recruiter replied to “Also: coffee?”" in response.content.decode()
    assert not candidate_request.replies.exists()


def test_a_send_after_a_failed_one_goes_out_and_retires_the_failed_row(
    recruiter_client, candidate_request
):
    loaded_at = timezone.now()
    failed = reply_to(
        candidate_request, by=UserFactory(username="omar"), status=Reply.Status.FAILED
    )

    response = post_reply(recruiter_client, candidate_request, loaded_at)

    assert "is on its way" in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Reply.Status.SUPERSEDED
    assert candidate_request.replies.exclude(pk=failed.pk).get().body == "Hello Ada\n"
    outbox_page = recruiter_client.get(reverse("triage:outbox") + "?kind=failed")
    assert 'data-count="failed">0<' in outbox_page.content.decode()


def test_a_person_answered_on_another_request_is_not_answered_again_without_a_confirmation(
    recruiter_client, candidate, candidate_request
):
    other_request = CandidateRequestFactory(subject="Also: coffee?", candidate=candidate)
    reply_to(other_request, by=UserFactory(username="omar"))
    loaded_at = timezone.now() + timedelta(microseconds=1)

    response = post_reply(recruiter_client, candidate_request, loaded_at)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Already answered on" in html and "to “Also: coffee?”: nothing was sent" in html
    assert 'id="send-anyway"' in html and "Hello Ada" in html  # the text is kept
    assert not candidate_request.replies.exists()

    response = recruiter_client.post(
        reverse("triage:reply", args=[candidate_request.pk]),
        {
            "subject": "Re: Coffee?",
            "body": "Hello Ada",
            "loaded_at": loaded_at.isoformat(),
            "send_anyway": "1",
        },
        follow=True,
    )
    assert "is on its way" in response.content.decode()
    assert candidate_request.replies.get().body == "Hello Ada\n"


def test_it_shows_why_a_reply_failed_and_retries_it(
    recruiter_client, candidate_request, django_capture_on_commit_callbacks
):
    reply = reply_to(
        candidate_request,
        by=UserFactory(),
        status=Reply.Status.FAILED,
        error="550 5.1.1 No such user",
    )
    page = reverse("triage:request", args=[candidate_request.pk])
    html = recruiter_client.get(page).content.decode()
    assert "Not sent: 550 5.1.1 No such user" in html
    retry_url = reverse("triage:retry", args=[candidate_request.pk, reply.pk])
    assert f'action="{retry_url}"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(retry_url, follow=True)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT  # immediate tasks in tests
    assert "Sending the reply to ada@mail.example again." in response.content.decode()


def test_an_unknown_reply_says_check_before_resending(recruiter_client, candidate_request):
    reply_to(candidate_request, by=UserFactory(), status=Reply.Status.UNKNOWN, error="stopped")

    html = recruiter_client.get(reverse("triage:request", args=[candidate_request.pk])).content
    assert "Unknown: check before resending" in html.decode()
    assert "I checked: send it again" in html.decode()


def test_retry_refuses_a_sent_reply_and_get(recruiter_client, candidate_request):
    reply = reply_to(candidate_request, by=UserFactory())
    retry_url = reverse("triage:retry", args=[candidate_request.pk, reply.pk])

    assert recruiter_client.get(retry_url).status_code == 405
    response = recruiter_client.post(retry_url, follow=True)
    assert "Not sent again" in response.content.decode()


def test_retry_requires_login(client, candidate_request):
    response = client.post(reverse("triage:retry", args=[candidate_request.pk, 1]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rows", [30, 70])
def test_the_outbox_pages_by_keyset_in_flat_queries(
    recruiter_client, django_assert_max_num_queries, rows
):
    for n in range(rows):
        Reply.objects.create(
            request=CandidateRequestFactory(),
            to_email=f"p{n}@x.example",
            subject=f"Reply {n:02d}",
            body="Hi",
            status="failed",
            error="Connection refused",
            message_id=f"<outbox-{n}@x>",
        )
    Reply.objects.filter(subject__in=["Reply 03", "Reply 04"]).update(
        created_at=Reply.objects.get(subject="Reply 05").created_at  # a tie: none is lost
    )
    url = reverse("triage:outbox") + "?kind=failed"

    seen = []
    while url:
        with django_assert_max_num_queries(6):
            response = recruiter_client.get(url)
        page = response.context["page"]
        seen += [reply.subject for reply in page]
        url = reverse("triage:outbox") + f"?kind=failed&{page.older}" if page.older else ""

    assert sorted(seen) == [f"Reply {n:02d}" for n in range(rows)]
    assert f'data-count="failed">{rows}<' in response.content.decode()


def test_each_outbox_tab_shows_its_statuses_and_follows_a_status_change(recruiter_client):
    by_status = {}
    for n, status in enumerate(Reply.Status.values):
        by_status[status] = Reply.objects.create(
            request=CandidateRequestFactory(),
            to_email=f"p{n}@x.example",
            subject=f"Reply {status}",
            body="Hi",
            status=status,
            message_id=f"<tab-{n}@x>",
        )

    def subjects(kind):
        response = recruiter_client.get(reverse("triage:outbox") + f"?kind={kind}")
        return {reply.subject for reply in response.context["page"]}, response.content.decode()

    expected = {
        "unknown": {"Reply unknown"},
        "failed": {"Reply failed"},
        "bounced": {"Reply bounced"},
        "pending": {"Reply queued", "Reply sending"},  # sent, undone, replaced: in no tab
    }
    for kind, shown in expected.items():
        rows, html = subjects(kind)
        assert rows == shown
        assert f'data-count="{kind}">{len(shown)}<' in html

    # A bulk update (no save()) moves the reply between tabs: the database keeps its tab.
    Reply.objects.filter(pk=by_status["failed"].pk).update(status=Reply.Status.SENT)
    Reply.objects.filter(pk=by_status["sent"].pk).update(status=Reply.Status.UNKNOWN)
    assert subjects("failed")[0] == set()
    assert subjects("unknown")[0] == {"Reply unknown", "Reply sent"}


def test_the_outbox_opens_on_the_first_tab_with_replies_in_it(recruiter_client):
    # With nothing to check but a failed reply, "Outbox" shows the failed reply rather than
    # an empty first tab ("Nothing here.") beside a red 1.
    Reply.objects.create(
        request=CandidateRequestFactory(),
        to_email="p@x.example",
        subject="Reply failed",
        body="Hi",
        status=Reply.Status.FAILED,
        message_id="<first-tab@x>",
    )
    response = recruiter_client.get(reverse("triage:outbox"))
    assert response.context["kind"] == "failed"
    assert [reply.subject for reply in response.context["page"]] == ["Reply failed"]
    assert "Nothing here." not in response.content.decode()

    # Asked for by name, a tab opens even when it is empty; with nothing anywhere, the first.
    response = recruiter_client.get(reverse("triage:outbox") + "?kind=unknown")
    assert response.context["kind"] == "unknown"
    Reply.objects.update(status=Reply.Status.SENT)
    assert recruiter_client.get(reverse("triage:outbox")).context["kind"] == "unknown"


def make_replies(count, *, status, error="", prefix="r"):
    """`count` replies in `status`, written at once (bulk_create, as the benchmark does)."""
    people = CandidateFactory.create_batch(count)
    requests = [CandidateRequestFactory(candidate=person) for person in people]
    return Reply.objects.bulk_create(
        Reply(
            request=request,
            candidate=request.candidate,
            to_email=f"{prefix}{n}@x.example",
            subject=f"Reply {prefix}{n}",
            body="Hi",
            status=status,
            error=error,
            message_id=f"<{prefix}-{n}@x>",
        )
        for n, request in enumerate(requests)
    )


def test_a_tab_counts_up_to_its_cap_and_says_there_are_more(
    recruiter_client, django_assert_max_num_queries, monkeypatch
):
    # Counting stops past the cap (100; 3 here), so a long outbox costs what a short one
    # does: the tab says "3+" and the page "of more than 3"; a tab under the cap is exact.
    monkeypatch.setattr(outbox_reads, "COUNT_CAP", 3)
    make_replies(5, status=Reply.Status.FAILED, prefix="f")
    make_replies(2, status=Reply.Status.QUEUED, prefix="q")

    with django_assert_max_num_queries(6):
        response = recruiter_client.get(reverse("triage:outbox") + "?kind=failed")
    html = response.content.decode()
    assert 'data-count="failed">3+<' in html
    assert 'data-count="pending">2<' in html
    assert 'data-count="unknown">0<' in html
    assert response.context["page"].total_capped
    assert response.context["capped_tabs"] == {"failed"}
    assert len(response.context["page"].rows) == 5  # the list itself is not capped

    response = recruiter_client.get(reverse("triage:outbox") + "?kind=pending")
    assert not response.context["page"].total_capped


def test_the_banner_counts_the_replies_waiting_for_the_settings_and_no_others(recruiter_client):
    waiting = WAITING_FOR_SETTINGS + "The SMTP server refused the login. (535 denied)"
    make_replies(2, status=Reply.Status.QUEUED, error=waiting, prefix="w")
    make_replies(3, status=Reply.Status.QUEUED, error="Retrying: Connection refused", prefix="t")
    # The same words in another case, or in a failed reply, are not waiting replies.
    make_replies(1, status=Reply.Status.QUEUED, error=waiting.lower(), prefix="l")
    make_replies(1, status=Reply.Status.FAILED, error=waiting, prefix="x")

    response = recruiter_client.get(reverse("triage:outbox") + "?kind=pending")
    assert response.context["config_error"] == {
        "reason": "The SMTP server refused the login. (535 denied)",
        "count": 2,
    }
    assert "2 replies wait in the queue, not failed" in response.content.decode()

    Reply.objects.filter(error=waiting).update(error="")
    response = recruiter_client.get(reverse("triage:outbox") + "?kind=pending")
    assert response.context["config_error"] is None
