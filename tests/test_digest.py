import email
import email.policy
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory, hiring_manager

pytestmark = pytest.mark.django_db


def network_person(email_address, *, follow_up, **fields):
    person = CandidateFactory(email=email_address, next_follow_up=follow_up, **fields)
    CandidateRequestFactory(candidate=person, final_bucket="network")
    return person


@pytest.fixture
def pool(db):
    today = timezone.localdate()
    network_person("due@mail.example", follow_up=today, name="Dee Due", skills=["Rust"])
    network_person("overdue@mail.example", follow_up=today - timedelta(days=5))
    network_person("snoozed@mail.example", follow_up=today + timedelta(days=7))
    network_person("blocked@mail.example", follow_up=today, do_not_contact=True)


def read(outbox_dir):
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox_dir.glob("*.eml"))
    ]


def test_the_daily_task_emails_each_recruiter_the_follow_ups_due(pool, outbox_dir, settings):
    settings.SITE_URL = "https://triage.example"
    UserFactory(username="rita", email="rita@acme-orbital.example")
    UserFactory(username="raj", email="raj@acme-orbital.example")
    UserFactory(username="noaddress", email="")
    UserFactory(username="gone", email="gone@acme-orbital.example", is_active=False)
    hiring_manager("hank", email="hank@acme-orbital.example")  # not a recruiter: no pool names

    call_command("send_follow_up_digests")

    sent = read(outbox_dir)
    assert sorted(str(m["To"]) for m in sent) == [
        "raj@acme-orbital.example",
        "rita@acme-orbital.example",
    ]
    body = sent[0].get_content()
    assert sent[0]["Subject"] == "2 follow-ups due today"
    assert "Dee Due <due@mail.example>" in body and "(Rust)" in body
    assert "overdue@mail.example" in body
    assert "snoozed@mail.example" not in body and "blocked@mail.example" not in body
    assert "https://triage.example/candidates/" in body
    assert "https://triage.example/pool/digest/" in body


def test_nothing_due_sends_nothing(db, outbox_dir):
    UserFactory(username="rita", email="rita@acme-orbital.example")
    network_person("later@mail.example", follow_up=timezone.localdate() + timedelta(days=3))

    call_command("send_follow_up_digests")

    assert read(outbox_dir) == []


def test_the_digest_page_shows_the_same_list(recruiter_client, pool):
    response = recruiter_client.get(reverse("triage:digest"))

    assert [e.candidate.email for e in response.context["entries"]] == [
        "overdue@mail.example",
        "due@mail.example",
    ]
    html = response.content.decode()
    assert "Dee Due" in html and "snoozed@mail.example" not in html


def test_the_digest_page_requires_login(client):
    response = client.get(reverse("triage:digest"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
