"""Working inside a thread in headless Chromium: close without a reply, and the banner that
says the person was already answered, shown above the reply form before any send."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.test_browser import shipped_templates, sign_in  # noqa: F401 (an autouse fixture)
from triage import rules
from triage.models import CandidateRequest, Reply
from triage.services import intake, outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_request(profile, subject, *, email="lin@mail.example", when=None):
    return intake.create_request(
        sender=rules.Address(name="Lin Park", email=email),
        subject=subject,
        body="Could we have a coffee chat about flight software?",
        received_at=when or timezone.now(),
        profile=profile,
        message_id=f"<{abs(hash(subject))}@mail.example>",
    )


def test_a_recruiter_closes_a_request_without_replying(page, profile, recruiter):
    request = make_request(profile, "Coffee chat?")
    sign_in(page)
    page.goto(f"/requests/{request.pk}/")

    page.fill("#put-away-form input[name=reason]", "We spoke at the meetup instead")
    page.click("#put-away-form button:has-text('Close without reply')")

    page.wait_for_selector("#put-away")
    assert "Request closed, without a reply." in page.content()
    assert "We spoke at the meetup instead" in page.locator("#put-away").inner_text()
    assert page.locator("#status").inner_text() == "Closed"
    assert page.locator("#put-away-form").count() == 0
    request.refresh_from_db()
    assert (request.status, request.put_away_by) == (CandidateRequest.Status.CLOSED, recruiter)
    assert not Reply.objects.exists()
    # It has left New: the inbox no longer lists it.
    page.goto("/")
    assert page.locator("text=Coffee chat?").count() == 0


def test_the_already_answered_banner_comes_before_the_send(page, profile, recruiter):
    colleague = UserFactory(username="sam", first_name="Sam", last_name="Colleague")
    earlier = timezone.now() - timedelta(hours=2)
    second = make_request(profile, "Second ask: any roles?", when=earlier)
    first = make_request(profile, "First ask: coffee?", when=earlier)
    outbox.queue_reply(
        request=first, template=None, subject="Re: First ask", body="Hi Lin.", by=colleague
    )
    sign_in(page)

    page.goto(f"/requests/{second.pk}/")

    banner = page.locator("#already-answered")
    assert banner.is_visible()
    assert "Already answered on" in banner.inner_text()
    assert "by Sam Colleague" in banner.inner_text()
    assert "First ask: coffee?" in banner.inner_text()
    # Above the reply form, so it is read before the Send button.
    banner_y = banner.bounding_box()["y"]
    assert banner_y < page.locator("#reply-form").bounding_box()["y"]
    assert "Re: First ask" in page.locator("#other-requests").inner_text()
