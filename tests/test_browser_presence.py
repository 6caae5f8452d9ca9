"""Two recruiters on the same request see each other, in two headless Chromium contexts."""

import pytest

from tests.factories import UserFactory
from tests.test_browser import shipped_templates  # noqa: F401 (an autouse fixture)
from tests.test_browser_replies import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_two_recruiters_on_one_request_see_each_other(browser, live_server, profile, recruiter):
    UserFactory(username="sam", first_name="Sam", last_name="Ito")
    candidate_request = make_request(profile, "Lin Park", "lin@mail.example")
    rita_context, rita = signed_in(browser, live_server, "rita")
    sam_context, sam = signed_in(browser, live_server, "sam")
    try:
        rita.goto(f"/requests/{candidate_request.pk}/")
        sam.goto(f"/requests/{candidate_request.pk}/")

        # Sam's page beat on load and found Rita there.
        sam.wait_for_selector("#presence .viewer:has-text('Rita Recruiter')")
        assert sam.locator("#presence").inner_text().strip() == (
            "Rita Recruiter is also viewing this request"
        )
        # Sam starts writing; Rita's next beat (every 15s) says so.
        sam.focus("#id_body")
        rita.wait_for_selector(
            "#presence .viewer:has-text('Sam Ito is writing a reply')", timeout=25_000
        )
        assert "Rita" not in rita.locator("#presence").inner_text()
    finally:
        rita_context.close()
        sam_context.close()
