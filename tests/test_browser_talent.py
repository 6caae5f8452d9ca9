"""The candidate page and the pool as a recruiter uses them, in headless Chromium."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.models import Candidate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page):
    page.goto("/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")


def test_a_recruiter_snoozes_a_due_follow_up_and_blocks_contact(page, recruiter):
    ada = CandidateFactory(
        name="Ada Lovelace",
        email="ada@mail.example",
        skills=["Rust"],
        next_follow_up=timezone.localdate() - timedelta(days=1),
    )
    request = CandidateRequestFactory(candidate=ada, final_bucket="network", subject="Hello")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    sign_in(page)
    page.click("text=Talent pool")
    page.click("a:has-text('Due this week')")
    assert page.locator(".pool-row").count() == 1

    page.click(".pool-row button:has-text('Snooze')")
    page.wait_for_selector("text=Next follow-up with ada@mail.example")
    page.click("a:has-text('Due this week')")
    assert page.locator(".pool-row").count() == 0

    page.goto(f"/requests/{request.pk}/")
    page.click("#candidate-link")
    page.click("button:has-text('Do not contact')")
    page.wait_for_selector("#do-not-contact")
    assert Candidate.objects.get(pk=ada.pk).do_not_contact
    assert errors == []  # no CSP violations or script errors on the way


def test_a_hiring_manager_records_an_outcome_and_a_candidate_agrees_to_stay(page, recruiter):
    from django.urls import reverse

    from tests.factories import hiring_manager
    from triage.models import HiringOutcome
    from triage.services import assignment, consent

    hiring_manager("hank", first_name="Hank")
    request = CandidateRequestFactory(
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
        final_bucket="exceptional",
        subject="Compilers?",
    )
    assignment.assign_request(request=request, to=hiring_manager("hank"), by=recruiter)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto("/")
    page.fill("#id_username", "hank")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_selector(".assigned-row")  # the inbox sent them to their own list
    page.click(".assigned-row a:has-text('Compilers?')")
    page.select_option("#id_kind", "passed")
    page.fill("#id_note", "Not the right time.")
    page.click("#outcome-form button")
    page.wait_for_selector(".outcome[data-kind=passed]")
    assert HiringOutcome.objects.get().note == "Not the right time."

    page.context.clear_cookies()  # the candidate has no login
    page.goto(reverse("triage:consent", args=[consent.consent_token(request.candidate_id)]))
    page.click("button:has-text('Yes, keep me in touch')")
    page.wait_for_selector("#consent-thanks")
    assert Candidate.objects.get(pk=request.candidate_id).consent_given_at is not None
    assert errors == []


def test_a_recruiter_edits_a_pool_row_in_place_and_sees_what_it_was_read_from(page, recruiter):
    ada = CandidateFactory(name="Ada Lovelace", email="ada@mail.example")
    CandidateRequestFactory(candidate=ada, final_bucket="network", subject="Hello")
    Candidate.objects.filter(pk=ada.pk).update(
        location="Berlin", location_evidence="I live in Berlin"
    )
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    sign_in(page)
    page.goto("/pool/")
    assert page.locator(".pool-location-evidence").inner_text() == "read from “I live in Berlin”"
    page.click(".pool-row a:has-text('Edit')")
    page.wait_for_selector(".pool-row-edit")
    assert page.url.endswith("/pool/")  # swapped in place, no page load
    page.fill(".pool-row-edit input[name=skills]", "Rust, Kotlin")
    page.fill(".pool-row-edit input[name=location]", "Potsdam")
    page.click(".pool-row-edit button:has-text('Save')")
    page.wait_for_selector(".pool-row:not(.pool-row-edit) .pool-skill >> text=Kotlin")

    assert page.locator(".pool-location").inner_text() == "Potsdam"
    person = Candidate.objects.get(pk=ada.pk)
    assert person.skills == ["Rust", "Kotlin"] and person.location == "Potsdam"
    assert errors == []
