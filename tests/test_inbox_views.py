"""The inbox's views: built-in (mine, unassigned, due, urgent, waiting on a hiring manager) and
saved ones, their counts, saving and deleting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory, hiring_manager
from triage.models import HiringOutcome, SavedView
from triage.selectors import inbox_views

pytestmark = pytest.mark.django_db
INBOX = "/"
URGENT = {"urgent": {"text": "Wants an answer by Friday", "evidence": ["by Friday"]}}


@pytest.fixture
def requests(recruiter):
    """One request for each built-in view, and one that is in none of them."""
    hank = hiring_manager("hank")
    long_ago = timezone.now() - timedelta(days=200)
    return {
        "mine": CandidateRequestFactory(
            subject="Moved by me", final_bucket="network", final_bucket_set_by=recruiter
        ),
        "urgent": CandidateRequestFactory(subject="Decide by Friday", flags=URGENT),
        "waiting": CandidateRequestFactory(
            subject="With Hank", suggested_bucket="exceptional", assigned_to=hank
        ),
        "answered": CandidateRequestFactory(
            subject="Hank talked", suggested_bucket="exceptional", assigned_to=hank
        ),
        "due": CandidateRequestFactory(
            subject="Quiet for months",
            suggested_bucket="network",
            received_at=long_ago,
            candidate=CandidateFactory(email="quiet@mail.example"),
        ),
        "scheduled": CandidateRequestFactory(
            subject="Follow-up set for yesterday",
            suggested_bucket="network",
            candidate=CandidateFactory(
                email="soon@mail.example",
                next_follow_up=timezone.localdate() - timedelta(days=1),
            ),
        ),
        "recent": CandidateRequestFactory(subject="Just wrote", suggested_bucket="network"),
    }


def counts(user) -> dict:
    return {view.key: view.count for view in inbox_views.views_for(user)}


def test_each_built_in_view_counts_what_it_says(recruiter, requests):
    HiringOutcome.objects.create(request=requests["answered"], kind="talked")

    found = counts(recruiter)

    assert found["mine"] == 1
    assert found["urgent"] == 1
    assert found["waiting"] == 1  # not the one Hank recorded an outcome for
    assert found["due"] == 2  # quiet for a quarter, or a date set in the past; not "recent"
    assert found["unassigned"] == 5  # every new request no hiring manager has


def test_each_views_count_is_what_the_inbox_then_lists(recruiter_client, recruiter, requests):
    SavedView.objects.create(owner=recruiter, name="Friday", query="friday", status="")
    SavedView.objects.create(owner=recruiter, name="Network", bucket="network", status="")
    SavedView.objects.create(owner=recruiter, name="Urgent new", flag="urgent")
    SavedView.objects.create(owner=recruiter, name="Not people", flag="not-candidate", status="")
    SavedView.objects.create(
        owner=recruiter, name="Unassigned network", scope="unassigned", bucket="network", status=""
    )
    SavedView.objects.create(
        owner=recruiter, name="Due, urgent", scope="due", flag="urgent", status=""
    )

    for view in inbox_views.views_for(recruiter):
        response = recruiter_client.get(f"{INBOX}?{view.query_string}")
        shown = sum(count for _, _, count in response.context["tabs"])
        if view.params.get("bucket"):
            shown = response.context["page"].total
        assert shown == view.count, view.name
        assert response.context["current_view"] == view


def test_a_view_opens_on_the_first_bucket_it_has_requests_in(recruiter_client, requests):
    response = recruiter_client.get(INBOX, {"scope": "waiting", "status": ""})

    assert response.context["bucket"] == "exceptional"
    assert {r.subject for r in response.context["page"]} == {"With Hank", "Hank talked"}


@pytest.mark.parametrize(("saved", "more_requests"), [(0, 0), (10, 0), (10, 30)])
def test_the_counts_take_the_same_queries_however_many_views_and_requests(
    recruiter, requests, django_assert_num_queries, saved, more_requests
):
    other = UserFactory(username="sam")
    CandidateRequestFactory.create_batch(more_requests, assigned_to=hiring_manager("hank"))
    for number in range(saved):
        SavedView.objects.create(owner=recruiter, name=f"Mine {number}", query=f"w{number}")
        SavedView.objects.create(
            owner=other, name=f"Bucket {number}", shared=True, bucket="network"
        )
        SavedView.objects.create(
            owner=recruiter, name=f"Scope {number}", scope="mine", flag="urgent"
        )
    # The saved views, and every count at once.
    with django_assert_num_queries(2):
        views = inbox_views.views_for(recruiter)
    assert len(views) == 5 + 3 * saved


def test_a_count_past_the_cap_shows_as_more_than_the_cap(
    recruiter_client, recruiter, requests, monkeypatch
):
    monkeypatch.setattr(inbox_views, "VIEW_COUNT_CAP", 2)
    CandidateRequestFactory.create_batch(3, subject="Friday again")
    SavedView.objects.create(owner=recruiter, name="Friday", query="friday", status="")

    found = {view.name: view for view in inbox_views.views_for(recruiter)}

    assert (found["Friday"].count, found["Friday"].capped) == (2, True)  # 3: "more than 2"
    assert found["Friday"].count_label == "2+"
    assert found["Due for follow-up"].count_label == "2"  # at the cap: exact
    # Counted from the kept counts, exact past the cap: 5 new + 3 more, less the one assigned.
    assert found["Unassigned"].count_label == "8"
    page = recruiter_client.get(INBOX).content.decode()
    assert '<span class="badge rounded-pill text-bg-secondary" data-count>2+</span>' in page


def test_a_view_stops_counting_sooner_than_a_search_tab(recruiter_client, recruiter, monkeypatch):
    # The views are counted on every inbox page; a search's tabs only when searching, and
    # their pages go as far as the tab counts.
    monkeypatch.setattr(inbox_views, "VIEW_COUNT_CAP", 2)
    monkeypatch.setattr(inbox_views, "COUNT_CAP", 5)
    CandidateRequestFactory.create_batch(4, subject="Friday again")
    SavedView.objects.create(owner=recruiter, name="Friday", query="friday", status="")

    response = recruiter_client.get(INBOX, {"q": "friday", "status": ""})

    html = response.content.decode()
    assert '<span class="badge rounded-pill text-bg-secondary" data-count>2+</span>' in html
    assert 'data-count="funnel">4<' in html
    assert len(response.context["page"]) == 4


def test_unassigned_is_exact_with_many_assigned_requests(recruiter, requests, monkeypatch):
    monkeypatch.setattr(inbox_views, "VIEW_COUNT_CAP", 2)
    CandidateRequestFactory.create_batch(4, assigned_to=hiring_manager("hank"))
    CandidateRequestFactory.create_batch(3)

    assert counts(recruiter)["unassigned"] == 5 + 3


def test_a_recruiter_saves_the_filter_as_a_private_view(recruiter_client, recruiter, requests):
    response = recruiter_client.post(
        "/views/",
        {"name": "Urgent network", "flag": "urgent", "bucket": "network", "status": "new"},
    )

    view = SavedView.objects.get(name="Urgent network")
    assert (view.owner, view.shared, view.flag, view.bucket, view.status) == (
        recruiter,
        False,
        "urgent",
        "network",
        "new",
    )
    assert response.status_code == 302
    assert "flag=urgent" in response["Location"] and "bucket=network" in response["Location"]
    page = recruiter_client.get(response["Location"]).content.decode()
    assert "Saved the view “Urgent network”, for you." in page
    assert 'data-view="saved-' in page


def test_a_private_view_is_not_shown_to_others_but_a_shared_one_is(recruiter, requests):
    SavedView.objects.create(owner=recruiter, name="Just mine")
    SavedView.objects.create(owner=recruiter, name="For the team", shared=True)
    sam = UserFactory(username="sam")

    names = [view.name for view in inbox_views.views_for(sam) if view.saved]

    assert names == ["For the team"]


def test_a_second_view_with_the_same_name_is_refused(recruiter_client, recruiter):
    SavedView.objects.create(owner=recruiter, name="Rust")

    response = recruiter_client.post("/views/", {"name": "rust"}, follow=True)

    assert "You already have a view called “rust”. Choose another name." in (
        response.content.decode()
    )
    assert SavedView.objects.count() == 1


def test_a_view_without_a_name_is_refused_with_why(recruiter_client):
    response = recruiter_client.post("/views/", {"name": " "}, follow=True)

    assert "The view was not saved: This field is required." in response.content.decode()
    assert not SavedView.objects.exists()


def test_a_recruiter_deletes_their_own_view_but_not_someone_elses(recruiter_client, recruiter):
    mine = SavedView.objects.create(owner=recruiter, name="Mine")
    theirs = SavedView.objects.create(owner=UserFactory(username="sam"), name="Sam's", shared=True)

    recruiter_client.post(f"/views/{mine.pk}/delete/")
    response = recruiter_client.post(f"/views/{theirs.pk}/delete/", follow=True)

    assert list(SavedView.objects.all()) == [theirs]
    assert "Only the recruiter who saved a view can delete it." in response.content.decode()


def test_saving_and_deleting_views_need_a_post(recruiter_client, recruiter):
    view = SavedView.objects.create(owner=recruiter, name="Mine")

    assert recruiter_client.get("/views/").status_code == 405
    assert recruiter_client.get(f"/views/{view.pk}/delete/").status_code == 405


def test_views_are_for_recruiters_only(client, recruiter):
    view = SavedView.objects.create(owner=recruiter, name="Mine")
    hank = hiring_manager("hank")
    client.force_login(hank)

    response = client.post(f"/views/{view.pk}/delete/")

    assert response.status_code in (302, 403)
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_the_counts_stay_live_when_their_sql_is_reused(recruiter, requests):
    # views_for compiles the counts' SQL once per user, day and set of views: the counts
    # themselves are read again every time.
    before = counts(recruiter)
    CandidateRequestFactory.create_batch(2, assigned_by=recruiter)
    SavedView.objects.create(owner=recruiter, name="Quasars", query="quasar", status="")
    CandidateRequestFactory(subject="A quasar tracker")

    after = counts(recruiter)

    assert after["mine"] == before["mine"] + 2
    assert after["unassigned"] == before["unassigned"] + 3
    quasars = next(v for v in inbox_views.views_for(recruiter) if v.name == "Quasars")
    assert quasars.count == 1
