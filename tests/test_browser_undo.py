"""Undo send in headless Chromium: Send, see Undo, click it, and the SMTP server gets nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.test_browser import shipped_templates, sign_in  # noqa: F401 (an autouse fixture)
from triage import rules
from triage.models import CandidateRequest, Reply
from triage.services import intake, outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def undo_delay(settings):
    settings.REPLY_UNDO_SECONDS = 30


def make_request(profile, name, email):
    return intake.create_request(
        sender=rules.Address(name=name, email=email),
        subject=f"Hello from {name}",
        body="Could we have a coffee chat?",
        received_at=timezone.now(),
        profile=profile,
    )


def when_the_delay_is_over():
    """The undo delay passes and the worker (the periodic sweep) sends whatever is due."""
    Reply.objects.update(send_after=timezone.now() - timedelta(seconds=1))
    return outbox.send_due_replies()


def test_send_then_undo_sends_nothing_and_keeps_the_text(page, profile, recruiter, smtp):
    request = make_request(profile, "Sam Ito", "sam@mail.example")
    sign_in(page)
    page.goto(f"/requests/{request.pk}/")
    page.fill("#id_body", "Hi Sam, my own words for you.")

    page.click("button:has-text('Send reply')")

    undo = page.locator(".undo-form button:has-text('Undo')")
    undo.wait_for()
    assert "is on its way" in page.content()
    undo.click()
    page.wait_for_selector("text=Undone: nothing was sent")
    assert page.input_value("#id_body").startswith("Hi Sam, my own words for you.")
    assert page.locator(".undo-form").count() == 0
    request.refresh_from_db()
    assert request.status == CandidateRequest.Status.NEW
    assert Reply.objects.get().status == Reply.Status.UNDONE
    assert when_the_delay_is_over() == 0
    assert smtp.messages == []


def test_a_bulk_send_can_be_undone_from_its_progress_page(page, profile, recruiter, smtp):
    for n in range(3):
        make_request(profile, f"Person{n} Example", f"p{n}@mail.example")
    sign_in(page)
    page.check("#bulk-all")
    page.click("text=Reply to selected…")
    page.click("button:has-text('Send 3 replies')")

    page.click("#bulk-undo button:has-text('Undo (3 not sent yet)')")

    page.wait_for_selector("text=Undone: 3 replies not sent.")
    assert page.locator("#bulk-undo").count() == 0
    assert set(Reply.objects.values_list("status", flat=True)) == {Reply.Status.UNDONE}
    assert when_the_delay_is_over() == 0
    assert smtp.messages == []


def test_without_undo_the_reply_goes_out_after_the_delay(page, profile, recruiter, smtp):
    request = make_request(profile, "Sam Ito", "sam@mail.example")
    sign_in(page)
    page.goto(f"/requests/{request.pk}/")
    page.click("button:has-text('Send reply')")
    page.locator(".undo-form").wait_for()
    assert smtp.messages == []  # still inside the delay

    assert when_the_delay_is_over() == 1

    [(recipients, _message)] = smtp.messages
    assert recipients == ["sam@mail.example"]
