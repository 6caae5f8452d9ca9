from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("triage:inbox")


def test_it_requires_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_post(recruiter_client):
    assert recruiter_client.post(INBOX).status_code == 405


def test_it_shows_a_tab_per_bucket_with_counts(recruiter_client):
    CandidateRequestFactory.create_batch(3, suggested_bucket="funnel")
    CandidateRequestFactory.create_batch(2, suggested_bucket="network")
    CandidateRequestFactory(suggested_bucket="exceptional")

    response = recruiter_client.get(INBOX)

    html = response.content.decode()
    assert 'data-count="funnel">3<' in html
    assert 'data-count="network">2<' in html
    assert 'data-count="exceptional">1<' in html
    assert len(response.context["page"]) == 3


def test_it_lists_newest_first(recruiter_client):
    now = timezone.now()
    CandidateRequestFactory(subject="Older", received_at=now - timedelta(days=2))
    CandidateRequestFactory(subject="Newer", received_at=now)

    html = recruiter_client.get(INBOX).content.decode()

    assert html.index("Newer") < html.index("Older")


def test_it_opens_on_unanswered_requests_and_filters_by_status(recruiter_client):
    CandidateRequestFactory(subject="Waiting for us")
    CandidateRequestFactory(subject="Already answered", status="replied")

    default = recruiter_client.get(INBOX).content.decode()
    replied = recruiter_client.get(INBOX, {"status": "replied"}).content.decode()
    any_status = recruiter_client.get(INBOX, {"status": ""}).content.decode()

    assert "Waiting for us" in default and "Already answered" not in default
    assert "Already answered" in replied and "Waiting for us" not in replied
    assert "Waiting for us" in any_status and "Already answered" in any_status


def test_it_searches_subject_body_name_and_email(recruiter_client):
    CandidateRequestFactory(subject="Coffee chat?", body="Could we meet?")
    CandidateRequestFactory(
        subject="Hello", candidate=CandidateFactory(name="Zoë Ørsted", email="zoe@x.example")
    )

    by_body = recruiter_client.get(INBOX, {"q": "meet"}).context["page"]
    by_name = recruiter_client.get(INBOX, {"q": "Ørsted"}).context["page"]
    by_email = recruiter_client.get(INBOX, {"q": "zoe@"}).context["page"]

    assert [r.subject for r in by_body] == ["Coffee chat?"]
    assert [r.subject for r in by_name] == ["Hello"]
    assert [r.subject for r in by_email] == ["Hello"]


def test_it_pages_older_and_newer_by_keyset(recruiter_client):
    now = timezone.now()
    same_moment = now - timedelta(hours=1)
    for n in range(30):  # five share one moment: the id breaks the tie, none is lost
        when = same_moment if 20 <= n < 25 else now - timedelta(minutes=n)
        CandidateRequestFactory(subject=f"Request {n:02d}", received_at=when)

    first = recruiter_client.get(INBOX)
    older = first.context["page"].older
    second = recruiter_client.get(f"{INBOX}?bucket=funnel&status=new&{older}")
    back = recruiter_client.get(f"{INBOX}?bucket=funnel&status=new&{second.context['page'].newer}")

    shown = [r.subject for r in first.context["page"]] + [r.subject for r in second.context["page"]]
    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 5
    assert sorted(shown) == [f"Request {n:02d}" for n in range(30)]  # each once
    assert "1–25 of 30" in first.content.decode()
    assert second.context["page"].older == "" and "30 in all" in second.content.decode()
    assert [r.subject for r in back.context["page"]] == [r.subject for r in first.context["page"]]
    assert back.context["page"].newer == ""


def test_a_broken_cursor_shows_the_first_page(recruiter_client):
    CandidateRequestFactory(subject="Still here")

    response = recruiter_client.get(INBOX, {"before": "yesterday~<script>"})

    assert response.status_code == 200
    assert [r.subject for r in response.context["page"]] == ["Still here"]


def test_it_returns_only_the_results_fragment_to_htmx(recruiter_client):
    CandidateRequestFactory(subject="Fragment me")

    response = recruiter_client.get(INBOX, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "Fragment me" in html
    assert "<html" not in html and "nav-tabs" in html


def test_it_escapes_what_candidates_wrote(recruiter_client):
    CandidateRequestFactory(
        subject="<script>alert(1)</script>",
        candidate=CandidateFactory(name='<img src=x onerror="alert(2)">'),
    )

    html = recruiter_client.get(INBOX).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("rows", [10, 100])
def test_its_query_count_does_not_grow_with_rows(
    recruiter_client, django_assert_max_num_queries, rows
):
    CandidateRequestFactory.create_batch(rows)
    # session, the user (with their role), the bucket counts, the rows, the saved views and
    # every view's count, the bell's unread count in the nav; and, the process's first page,
    # the active templates (then kept in memory, services.config_cache)
    with django_assert_max_num_queries(8):
        response = recruiter_client.get(INBOX)
    assert len(response.context["page"]) == min(rows, 25)


URGENT = {"urgent": {"text": "Urgent: a competing offer", "evidence": ["offer expires Friday"]}}
PRESS = {
    "not-candidate": {
        "text": "Not a candidate's request: a press request",
        "evidence": ["Press inquiry"],
        "action": "Forward it to your press or communications contact.",
        "topic": "press",
    }
}


def test_it_shows_a_badge_per_flag_with_its_evidence(recruiter_client):
    CandidateRequestFactory(subject="Offer", flags=URGENT)
    CandidateRequestFactory(subject="Plain")

    html = recruiter_client.get(INBOX).content.decode()

    assert html.count('data-flag="urgent"') == 1
    assert 'title="Urgent: a competing offer: offer expires Friday"' in html


def test_it_filters_by_flag_with_the_tabs_status_and_search(recruiter_client):
    CandidateRequestFactory(subject="Offer Ada", flags=URGENT)
    CandidateRequestFactory(subject="Offer Bob", flags=URGENT, suggested_bucket="network")
    CandidateRequestFactory(subject="Offer Cy", flags=URGENT, status="replied")
    CandidateRequestFactory(subject="Reporter", flags=PRESS)
    CandidateRequestFactory(subject="Plain Ada")

    response = recruiter_client.get(INBOX, {"flag": "urgent"})
    assert [r.subject for r in response.context["page"]] == ["Offer Ada"]
    html = response.content.decode()
    assert 'data-count="funnel">1<' in html and 'data-count="network">1<' in html
    # Tabs and the bulk reply keep the flag, so "all that match" is what is shown.
    assert "bucket=network&amp;status=new&amp;q=&amp;flag=urgent" in html
    assert '<input type="hidden" name="flag" value="urgent">' in html

    searched = recruiter_client.get(INBOX, {"flag": "urgent", "q": "Ada", "status": ""})
    assert [r.subject for r in searched.context["page"]] == ["Offer Ada"]
    replied = recruiter_client.get(INBOX, {"flag": "urgent", "status": "replied"})
    assert [r.subject for r in replied.context["page"]] == ["Offer Cy"]
    press = recruiter_client.get(INBOX, {"flag": "not-candidate"})
    assert [r.subject for r in press.context["page"]] == ["Reporter"]


def test_an_unknown_flag_is_ignored_not_an_error(recruiter_client):
    CandidateRequestFactory(subject="Plain")

    response = recruiter_client.get(INBOX, {"flag": "nonsense"})

    assert response.status_code == 200
    assert [r.subject for r in response.context["page"]] == ["Plain"]


@pytest.mark.parametrize("rows", [10, 100])
def test_its_query_count_stays_flat_with_flags(
    recruiter_client, django_assert_max_num_queries, rows
):
    CandidateRequestFactory.create_batch(rows, flags=URGENT)
    with django_assert_max_num_queries(8):  # as above, the bell's count included
        response = recruiter_client.get(INBOX, {"flag": "urgent"})
    assert len(response.context["page"]) == min(rows, 25)
    assert response.content.decode().count('data-flag="urgent"') == min(rows, 25)
