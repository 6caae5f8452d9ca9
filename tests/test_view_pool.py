from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage import talent

pytestmark = pytest.mark.django_db


def network_person(name, *, skills=(), days_ago=0, follow_up=None, **request):
    person = CandidateFactory(
        name=name,
        email=f"{name.split()[0].lower()}@mail.example",
        skills=list(skills),
        next_follow_up=follow_up,
    )
    CandidateRequestFactory(
        candidate=person,
        final_bucket="network",
        received_at=timezone.now() - timedelta(days=days_ago),
        **request,
    )
    return person


def emails(response):
    return [entry.candidate.email for entry in response.context["entries"]]


def test_it_requires_login(client):
    response = client.get(reverse("triage:pool"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_it_lists_network_later_people_with_skills_source_and_dates(recruiter_client):
    today = timezone.localdate()
    network_person(
        "Ada Lovelace",
        skills=["Rust"],
        days_ago=10,
        recipients_cc=[["Eve Employee", "eve@acme-orbital.example"]],
    )
    funnel = CandidateFactory(email="funnel@mail.example")
    CandidateRequestFactory(candidate=funnel, final_bucket="funnel")

    response = recruiter_client.get(reverse("triage:pool"))

    assert emails(response) == ["ada@mail.example"]
    entry = response.context["entries"][0]
    assert entry.last_contact == today - timedelta(days=10)
    assert entry.follow_up == today - timedelta(days=10) + talent.FOLLOW_UP_AFTER
    html = response.content.decode()
    assert "Email, introduced by Eve Employee" in html
    assert "Rust" in html
    assert "funnel@mail.example" not in html


def test_it_orders_by_the_soonest_follow_up(recruiter_client):
    today = timezone.localdate()
    network_person("Later Person", follow_up=today + timedelta(days=20))
    network_person("Sooner Person", follow_up=today + timedelta(days=2))

    response = recruiter_client.get(reverse("triage:pool"))

    assert emails(response) == ["sooner@mail.example", "later@mail.example"]


def test_it_filters_by_skill_case_insensitively(recruiter_client):
    network_person("Rusty Person", skills=["Rust"])
    network_person("Sequel Person", skills=["SQL"])

    response = recruiter_client.get(reverse("triage:pool"), {"skill": "rust"})

    assert emails(response) == ["rusty@mail.example"]


def test_it_filters_by_location_with_any_part_of_it(recruiter_client):
    for name, where in [("Den Ver", "Denver, CO"), ("Lis Bon", "Lisbon"), ("No Where", "")]:
        person = network_person(name)
        person.location = where
        person.save()
    funnel = CandidateFactory(email="funnel@mail.example", location="Denver")
    CandidateRequestFactory(candidate=funnel, final_bucket="funnel")

    response = recruiter_client.get(reverse("triage:pool"), {"location": " denver "})

    assert emails(response) == ["den@mail.example"]
    html = response.content.decode()
    assert 'value="denver"' in html  # the filter keeps what was typed, trimmed
    # Suggested places: the roles' and the cities intake reads (not a scan of the pool).
    assert '<option value="Denver">' in html and '<option value="Lisbon">' in html
    assert '<td class="small pool-location">Denver, CO</td>' in html

    nobody = recruiter_client.get(reverse("triage:pool"), {"location": "Tokyo"})
    assert emails(nobody) == []
    assert "Nobody here with these filters." in nobody.content.decode()


def test_location_and_skill_filters_combine(recruiter_client):
    for name, skills, where in [
        ("Al Denver", ["Rust"], "Denver"),
        ("Bo Denver", ["SQL"], "Denver"),
    ]:
        person = network_person(name, skills=skills)
        person.location = where
        person.save()

    response = recruiter_client.get(reverse("triage:pool"), {"location": "Denver", "skill": "SQL"})

    assert emails(response) == ["bo@mail.example"]


def test_due_this_week_shows_only_those_due_by_sunday(recruiter_client):
    today = timezone.localdate()
    sunday = talent.end_of_week(today)
    network_person("Overdue Person", follow_up=today - timedelta(days=3))
    network_person("Sunday Person", follow_up=sunday)
    network_person("Monday Person", follow_up=sunday + timedelta(days=1))
    network_person("Recent Person", days_ago=1)  # due in a quarter

    response = recruiter_client.get(reverse("triage:pool"), {"due": "week"})

    assert emails(response) == ["overdue@mail.example", "sunday@mail.example"]


def test_snooze_pushes_the_follow_up_out_of_this_week(recruiter_client):
    today = timezone.localdate()
    person = network_person("Overdue Person", follow_up=today - timedelta(days=3))

    response = recruiter_client.post(
        reverse("triage:pool-snooze", args=[person.pk]), {"period": "month"}, follow=True
    )

    person.refresh_from_db()
    assert person.next_follow_up == today + timedelta(days=30)
    assert "Next follow-up with overdue@mail.example" in response.content.decode()
    due = recruiter_client.get(reverse("triage:pool"), {"due": "week"})
    assert emails(due) == []


def test_snooze_refuses_an_unknown_period(recruiter_client):
    person = network_person("Some Person")

    response = recruiter_client.post(
        reverse("triage:pool-snooze", args=[person.pk]), {"period": "forever"}, follow=True
    )

    person.refresh_from_db()
    assert person.next_follow_up is None
    assert "Choose how long to snooze" in response.content.decode()


def test_the_pool_takes_a_fixed_number_of_queries(recruiter_client, django_assert_max_num_queries):
    for n in range(30):
        network_person(f"Person{n} Example", skills=["Rust"])
    # Session, user, role; the count, the page's rows, their skills, their first requests;
    # the skill and location suggestions; the bell. The same at any size: tests/test_pool_sql.py.
    with django_assert_max_num_queries(11):
        response = recruiter_client.get(reverse("triage:pool"))
    assert len(response.context["entries"]) == 30


def test_snoozing_a_person_without_a_date_starts_from_their_default_follow_up(recruiter_client):
    # Last contact 80 days ago: due in 10 days by default, so a week's snooze lands after it.
    person = network_person("Quiet Person", days_ago=80)
    default = timezone.localdate() - timedelta(days=80) + talent.FOLLOW_UP_AFTER

    recruiter_client.post(reverse("triage:pool-snooze", args=[person.pk]), {"period": "week"})

    person.refresh_from_db()
    assert person.next_follow_up == default + timedelta(days=7)
