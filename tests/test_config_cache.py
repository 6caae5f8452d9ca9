"""The configuration the request page keeps in memory (services.config_cache) is read again
as soon as it changes: by the process that changed it and by any other, at the next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CandidateRequestFactory, ReplyTemplateFactory, hiring_manager
from triage.models import ConfigVersion, Opening, ReplyTemplate, TriageProfile, TriageRule
from triage.services import config_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(recruiter_client, profile):
    request = CandidateRequestFactory(
        subject="Embedded work",
        body="I write Rust for embedded C targets with an RTOS.",
        final_bucket="funnel",
        suggested_rule="known_contact",
    )
    url = reverse("triage:request", args=[request.pk])

    def load() -> str:
        response = recruiter_client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    load()  # what the process keeps from now on
    return load


def other_process():
    """A second worker: its memory is its own, the database is shared."""
    config_cache.clear()


@pytest.mark.parametrize("process", [lambda: None, other_process])
def test_a_template_added_or_renamed_is_on_the_next_page(page, process):
    template = ReplyTemplateFactory(name="Kind funnel answer")
    process()
    assert "Kind funnel answer" in page()

    template.name = "Warmer funnel answer"
    template.save()
    process()
    html = page()
    assert "Warmer funnel answer" in html and "Kind funnel answer" not in html


@pytest.mark.parametrize("process", [lambda: None, other_process])
def test_a_rule_retitled_is_on_the_next_page(page, process):
    rule = TriageRule.objects.get(key="known_contact")
    rule.title = "People we already know well"
    rule.save()
    process()
    assert "People we already know well" in page()


@pytest.mark.parametrize("process", [lambda: None, other_process])
def test_a_profile_change_is_on_the_next_page(page, process):
    template = ReplyTemplate.objects.get(bucket="funnel", is_default=True, is_active=True)
    template.body = "Thanks from {{ company }}"
    template.save()
    assert "Thanks from Acme Orbital" in page()

    row = TriageProfile.load()
    row.company = "Acme Lunar"
    row.save()
    Opening.objects.create(
        title="Firmware lead", url="https://careers.example/fw", skills=["Rust"], is_open=True
    )
    process()
    html = page()
    assert "Thanks from Acme Lunar" in html
    assert "Firmware lead" in html


def test_a_new_hiring_manager_is_on_the_assign_form(page):
    hiring_manager("hank", first_name="Hank", last_name="Manager")
    assert "Hank Manager" in page()


def test_an_unchanged_configuration_is_not_read_again(page):
    with CaptureQueriesContext(connection) as queries:
        page()
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("triage_triageprofile", "triage_replytemplate", "triage_triagerule"):
        assert table not in read


def test_a_write_gives_the_version_a_new_token(db):
    before = ConfigVersion.objects.get(pk=1).token
    ReplyTemplateFactory()
    assert ConfigVersion.objects.get(pk=1).token != before
