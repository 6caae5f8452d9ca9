"""Two recruiters on the same request see each other, in two headless Chromium contexts."""

import pytest
from django.contrib.sessions.models import Session
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def writing_a_reply(page, candidate_request, text: str) -> None:
    """On the request page with the clock held, typing `text` into the reply (a "writing"
    beat answered), so the test decides when the next beat comes."""
    page.clock.install()
    with page.expect_response(is_beat):
        page.goto(f"/requests/{candidate_request.pk}/")
    with page.expect_response(is_beat):
        page.fill("#id_body", text)


def the_next_beat_is_refused(page):
    """The next beat (15 s on) answered 401; the notice it brings."""
    with page.expect_response(lambda r: is_beat(r) and r.status == 401):
        page.clock.run_for(15_000)
    notice = page.locator("#signed-out")
    notice.wait_for()
    return notice


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


# Ten heartbeats sent at once, each as the page sends it (htmx's headers and CSRF token).
BEATS_AT_ONCE = """async () => {
  const headers = {"HX-Request": "true", ...JSON.parse(document.body.getAttribute("hx-headers"))};
  const url = `${location.pathname}presence/`;
  const beats = Array.from({length: 10}, () =>
    fetch(url, {method: "POST", headers, redirect: "manual"}));
  return (await Promise.all(beats)).map((answer) => answer.status);  // a redirect reads 0
}"""


def test_beats_sent_at_once_are_all_answered_signed_in(browser, live_server, profile, recruiter):
    """The request page sends two beats together (on load, and when "r" puts the focus in
    the editor). The live server once answered one of them as signed out: its threads shared
    one SQLite connection (tests/conftest.py, OneRequestAtATime)."""
    candidate_request = make_request(profile, "Lin Park", "lin@mail.example")
    context, rita = signed_in(browser, live_server, "rita")
    try:
        rita.goto(f"/requests/{candidate_request.pk}/")
        for _ in range(5):
            assert rita.evaluate(BEATS_AT_ONCE) == [200] * 10
    finally:
        context.close()


def test_a_signed_out_beat_leaves_the_page_as_it_is_and_says_so(
    browser, live_server, profile, recruiter
):
    candidate_request = make_request(profile, "Lin Park", "lin@mail.example")
    context, rita = signed_in(browser, live_server, "rita")
    try:
        writing_a_reply(rita, candidate_request, "Dear Lin, thank you")
        Session.objects.all().delete()  # signed out elsewhere, or the session expired

        notice = the_next_beat_is_refused(rita)
        assert notice.inner_text() == (
            "You are signed out. Sign in again (in another tab, to keep what you typed here)."
        )
        link = notice.get_by_role("link", name="Sign in again").get_attribute("href")
        assert link == f"/login/?next=%2Frequests%2F{candidate_request.pk}%2F"
        assert rita.locator("#presence").inner_text().strip() == ""  # no login page in it
        assert rita.locator("#id_username").count() == 0
        assert rita.input_value("#id_body") == "Dear Lin, thank you"
    finally:
        context.close()


def test_a_beat_from_a_session_still_without_its_code_says_where_to_give_it(
    browser, live_server, profile, recruiter
):
    candidate_request = make_request(profile, "Lin Park", "lin@mail.example")
    context, rita = signed_in(browser, live_server, "rita")
    try:
        writing_a_reply(rita, candidate_request, "Dear Lin")
        # Two-factor sign-in turned on for Rita since: this session has no code yet.
        TOTPDevice.objects.create(user=recruiter, name="phone", confirmed=True)

        notice = the_next_beat_is_refused(rita)
        assert notice.inner_text() == (
            "Your sign-in needs its code. Give your code (in another tab, to keep what you "
            "typed here)."
        )
        link = notice.get_by_role("link", name="Give your code").get_attribute("href")
        assert link == f"/login/code/?next=%2Frequests%2F{candidate_request.pk}%2F"
        assert rita.locator("#presence").inner_text().strip() == ""  # no code page in it
        assert rita.input_value("#id_body") == "Dear Lin"
    finally:
        context.close()
