"""The triage profile in Settings (the admin): its skills' other names, beside the skills."""

import json

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from triage.models import TriageProfile
from triage.services import profiles


@pytest.fixture
def admin_client(client, profile):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def form_data(**changes) -> dict:
    row = TriageProfile.load()
    data = {
        "company": row.company,
        "careers_url": row.careers_url,
        "recruiter_name": row.recruiter_name,
        "recruiter_email": row.recruiter_email,
        "employee_domains": json.dumps(row.employee_domains),
        "hard_to_fill_skills": json.dumps(row.hard_to_fill_skills),
        "other_names": json.dumps(row.other_names),
    }
    return data | changes


URL = reverse("admin:triage_triageprofile_change", args=[1])


def test_other_names_are_shown_right_after_the_hard_to_fill_skills_with_help(admin_client):
    page = admin_client.get(URL).content.decode()

    skills, names = page.index("field-hard_to_fill_skills"), page.index("field-other_names")
    assert skills < names
    assert not any(
        page.find(f"field-{f}", skills + 1, names) != -1 for f in ("company", "employee_domains")
    )
    assert "What practitioners also call a skill" in page


def test_it_saves_other_names_and_the_rules_get_them(admin_client):
    names = {"orbit determination": ["OD", "precise orbit estimation"]}

    response = admin_client.post(URL, form_data(other_names=json.dumps(names)))

    assert response.status_code == 302
    assert TriageProfile.load().other_names == names
    assert profiles.load_profile().other_names == (
        ("orbit determination", ("OD", "precise orbit estimation")),
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('["OD"]', "Enter an object of skills and their other names"),
        ('{"orbit determination": "OD"}', "&quot;orbit determination&quot;: expected a list"),
        ('{"orbit determination": ["OD", 7]}', "each other name must be text"),
        ("{not json", "Enter a valid JSON."),
    ],
)
def test_a_bad_shape_is_refused_with_the_error_beside_the_field(admin_client, value, message):
    response = admin_client.post(URL, form_data(other_names=value))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["other_names"]
    page = response.content.decode()
    row = page[page.index("field-other_names") : page.index("field-other_names") + 3000]
    assert "errorlist" in row and message in row
    assert TriageProfile.load().other_names == {}
