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


def is_beat(response) -> bool:
    return response.url.endswith("/presence/") and response.request.method == "POST"


def test_two_recruiters_on_one_request_see_each_other(browser, live_server, profile, recruiter):
    UserFactory(username="sam", first_name="Sam", last_name="Ito")
    candidate_request = make_request(profile, "Lin Park", "lin@mail.example")
    rita_context, rita = signed_in(browser, live_server, "rita")
    sam_context, sam = signed_in(browser, live_server, "sam")
    try:
        # Rita's page runs on a clock the test moves: her 15 s beat comes without waiting 15 s.
        rita.clock.install()
        with rita.expect_response(is_beat):  # her beat on load
            rita.goto(f"/requests/{candidate_request.pk}/")
        sam.goto(f"/requests/{candidate_request.pk}/")

        # Sam's page beat on load and found Rita there.
        sam.wait_for_selector("#presence .viewer:has-text('Rita Recruiter')")
        assert sam.locator("#presence").inner_text().strip() == (
            "Rita Recruiter is also viewing this request"
        )
        # Sam starts writing (his page tells the server at once); Rita's next beat, 15 s
        # later on her clock, says so, and not before.
        with sam.expect_response(lambda r: is_beat(r) and "writing" in (r.request.post_data or "")):
            sam.focus("#id_body")
        assert "writing" not in rita.locator("#presence").inner_text()
        with rita.expect_response(is_beat):
            rita.clock.run_for(15_000)
        rita.wait_for_selector(
            "#presence .viewer:has-text('Sam Ito is writing a reply')", timeout=5_000
        )
        assert "Rita" not in rita.locator("#presence").inner_text()
    finally:
        rita_context.close()
        sam_context.close()
