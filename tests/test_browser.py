"""The whole loop as a recruiter does it, in headless Chromium."""

import pytest
from django.utils import timezone

from triage import replies, rules
from triage.models import Reply, ReplyTemplate
from triage.services import intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def shipped_templates(transactional_db):
    """A transactional test's flush also removes what the migrations seeded: put it back."""
    replies.install_shipped_templates(ReplyTemplate)


def sign_in(page):
    page.goto("/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")


def test_a_recruiter_opens_a_request_and_sends_the_suggested_reply(page, profile, recruiter):
    request = intake.create_request(
        sender=rules.Address(name="Lin Park", email="lin@mail.example"),
        subject="Coffee chat about <b>flight software</b>?",
        body="Hi Rita,\nCould we have a coffee chat? I write Rust.\n"
        "<script>window.pwned=1</script>",
        received_at=timezone.now(),
        message_id="<coffee-1@mail.example>",
        profile=profile,
    )

    sign_in(page)
    page.get_by_text("Coffee chat about <b>flight software</b>?").click()

    assert page.locator("#final-bucket").inner_text() == "Apply through funnel"
    assert page.locator("#message-body mark").first.inner_text() == "coffee chat"
    assert page.evaluate("window.pwned") is None  # the candidate's script is text, not code
    body = page.locator("#id_body").input_value()
    assert body.startswith("Hi Lin,") and "Flight Software Engineer" in body

    page.click("text=Send reply")

    page.wait_for_selector("text=is on its way")
    assert page.locator("#status").inner_text() == "Replied"
    assert "Hi Lin," in page.locator("#replies .reply").inner_text()
    assert "This request has been answered." in page.locator("#compose").inner_text()
    assert Reply.objects.get(request=request).to_email == "lin@mail.example"


def test_switching_the_template_updates_the_preview_in_place(page, profile, recruiter):
    intake.create_request(
        sender=rules.Address(name="Sam Ito", email="sam@mail.example"),
        subject="Hello",
        body="Could I get a referral?",
        received_at=timezone.now(),
        profile=profile,
    )
    sign_in(page)
    page.click(".request-row")
    url = page.url
    before = page.locator("#id_body").input_value()

    page.select_option("select[name=template]", label="Network: keep in touch (talent pool)")

    page.wait_for_function(
        "before => document.querySelector('#id_body').value !== before", arg=before
    )
    assert page.locator("#id_body").input_value().startswith("Hi Sam,")
    assert page.url == url  # swapped in place by htmx, not a new page
