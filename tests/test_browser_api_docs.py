"""The API docs page renders Swagger UI from our own static files, under the app's strict
Content Security Policy, in headless Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_with_no_csp_violation_and_nothing_from_elsewhere(
    page, recruiter, live_server
):
    violations, foreign = [], []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    page.goto("/api/docs/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Recruiter Inbox Triage API")
    page.wait_for_selector("text=/api/v1/requests/")
    assert page.locator(".opblock").count() >= 8
    assert violations == []
    assert foreign == []
