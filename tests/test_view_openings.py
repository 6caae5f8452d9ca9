import pytest
from django.urls import reverse

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    UserFactory,
    hiring_manager,
)
from triage.models import Opening
from triage.services import pool, profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def opening(db):
    return Opening.objects.create(
        title="Flight Software Engineer",
        url="https://careers.acme-orbital.example/jobs/7",
        skills=["Rust", "RTOS"],
        location="Denver, CO",
        team="Avionics",
    )


def test_it_requires_login(client, opening):
    for url in [
        reverse("triage:openings"),
        reverse("triage:opening-new"),
        reverse("triage:opening", args=[opening.pk]),
        reverse("triage:opening-edit", args=[opening.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    response = client.post(reverse("triage:opening-toggle", args=[opening.pk]), {"is_open": "0"})
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.is_open


def test_it_lists_openings_with_team_location_and_hiring_manager(recruiter_client, opening):
    opening.hiring_manager = UserFactory(username="hank", first_name="Hank", last_name="Hiring")
    opening.save()

    html = recruiter_client.get(reverse("triage:openings")).content.decode()

    assert "Flight Software Engineer" in html
    assert "Avionics" in html and "Denver, CO" in html
    assert "Hank Hiring" in html


def test_an_opening_without_a_team_does_not_say_so_on_every_row(recruiter_client, opening):
    opening.team = ""
    opening.save()

    listed = recruiter_client.get(reverse("triage:openings")).content.decode()
    detail = recruiter_client.get(reverse("triage:opening", args=[opening.pk])).content.decode()

    for html in (listed, detail):
        assert "No team" not in html and "Denver, CO" in html
    assert "Avionics · Denver, CO" not in listed
    row = listed.split('class="small text-secondary">')[1].split("</div>")[0]
    assert row.split()[0:2] == ["Denver,", "CO"]


def test_it_creates_an_opening_with_skills_as_tags_and_a_hiring_manager(recruiter_client):
    manager = hiring_manager("hank")
    response = recruiter_client.post(
        reverse("triage:opening-new"),
        {
            "title": "Data Analyst",
            "team": "Insights",
            "location": "Remote",
            "url": "https://careers.acme-orbital.example/jobs/9",
            "skills": "SQL,  dashboards, sql",
            "hiring_manager": manager.pk,
            "is_open": "on",
        },
    )

    opening = Opening.objects.get(title="Data Analyst")
    assert response.status_code == 302
    assert response.url == reverse("triage:opening", args=[opening.pk])
    assert opening.skills == ["SQL", "dashboards"]
    assert opening.team == "Insights" and opening.hiring_manager == manager and opening.is_open


def test_it_refuses_an_opening_without_a_title_and_says_why(recruiter_client):
    response = recruiter_client.post(
        reverse("triage:opening-new"), {"title": "", "url": "not a url"}
    )

    assert response.status_code == 400
    assert not Opening.objects.exists()
    html = response.content.decode()
    assert "This field is required." in html and "Enter a valid URL." in html


def test_it_edits_an_opening(recruiter_client, opening):
    response = recruiter_client.post(
        reverse("triage:opening-edit", args=[opening.pk]),
        {"title": "Senior Flight Software Engineer", "url": opening.url, "skills": "Rust"},
    )

    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.title == "Senior Flight Software Engineer"
    assert opening.skills == ["Rust"]
    assert not opening.is_open  # an unticked box closes it, as a form should


def test_it_closes_and_reopens_a_role_and_the_rules_only_see_open_ones(
    recruiter_client, profile, opening
):
    toggle = reverse("triage:opening-toggle", args=[opening.pk])

    def open_titles():
        return [o.title for o in profiles.load_profile().openings].count(opening.title)

    assert open_titles() == 2  # the profile's own and this one

    response = recruiter_client.post(toggle, {"is_open": "0"}, follow=True)
    assert "“Flight Software Engineer” is closed." in response.content.decode()
    opening.refresh_from_db()
    assert not opening.is_open
    assert open_titles() == 1

    recruiter_client.post(toggle, {"is_open": "1"})
    opening.refresh_from_db()
    assert opening.is_open
    assert open_titles() == 2


def test_toggle_refuses_get(recruiter_client, opening):
    response = recruiter_client.get(reverse("triage:opening-toggle", args=[opening.pk]))
    assert response.status_code == 405


def test_an_open_role_shows_pool_people_who_fit_best_first_with_why(recruiter_client, opening):
    strong = CandidateFactory(name="Strong Fit", skills=["Rust", "RTOS"])
    said = CandidateRequestFactory(
        candidate=strong, final_bucket="network", body="I live in Denver and build flight code."
    )
    pool.read_from_requests([said])  # as intake does when it arrives
    weak = CandidateFactory(name="Weak Fit", skills=["rust"])
    CandidateRequestFactory(candidate=weak, final_bucket="network")
    outside = CandidateFactory(name="Funnel Person", skills=["Rust", "RTOS"])
    CandidateRequestFactory(candidate=outside, final_bucket="funnel")

    response = recruiter_client.get(reverse("triage:opening", args=[opening.pk]))

    fits = response.context["fits"]
    assert [f.candidate.name for f in fits] == ["Strong Fit", "Weak Fit"]
    assert fits[0].why == ("Has Rust", "Has RTOS", "Mentions Denver, CO")
    assert "Funnel Person" not in response.content.decode()


def test_an_invalid_edit_stays_on_the_same_opening(recruiter_client, opening):
    url = reverse("triage:opening-edit", args=[opening.pk])

    response = recruiter_client.post(url, {"title": "", "url": opening.url})

    assert response.status_code == 400
    assert f'action="{url}"' in response.content.decode()
    opening.refresh_from_db()
    assert opening.title == "Flight Software Engineer"


def test_a_non_web_url_stored_before_it_was_checked_is_shown_as_text(recruiter_client, opening):
    Opening.objects.filter(pk=opening.pk).update(url="javascript:alert(1)")

    response = recruiter_client.get(reverse("triage:opening", args=[opening.pk]))

    html = response.content.decode()
    assert "javascript:alert(1)" in html
    assert 'href="javascript:' not in html


def test_it_refuses_a_javascript_url(recruiter_client):
    response = recruiter_client.post(
        reverse("triage:opening-new"), {"title": "Engineer", "url": "javascript:alert(1)"}
    )

    assert response.status_code == 400
    assert "Enter a valid URL." in response.content.decode()
    assert not Opening.objects.filter(title="Engineer").exists()
