"""Two-factor sign-in in headless Chromium: the QR code shows under the strict CSP, the app
is set up with the key it shows, and the next sign-in asks for the code; too many wrong
passwords show the lockout page."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret), 30, 0, 6, 0)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_set_up_two_factor_then_sign_in_with_a_code(page, recruiter):
    violations = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    sign_in(page)
    page.goto("/settings/")
    page.click("text=Set it up")

    qr = page.locator("img[alt='QR code for your authenticator app']")
    qr.wait_for()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG rendered
    secret = page.inner_text("#two-factor-secret")
    page.fill("#id_code", code_for(secret))
    page.click("button:has-text('Turn on two-factor sign-in')")
    page.wait_for_selector("text=Two-factor sign-in is on")

    page.click("#user-menu-button")  # Log out sits in the user's menu
    page.click("#log-out")
    sign_in(page)
    page.wait_for_selector("text=One more step")
    page.fill("#id_code", code_for(secret, steps_ahead=1))
    page.click("button:has-text('Continue')")
    page.wait_for_selector("nav >> text=Inbox")
    assert page.url.endswith("/")
    assert violations == []


def test_the_lockout_page_says_what_happened(page, recruiter):
    for _ in range(5):
        page.goto("/login/")
        page.fill("#id_username", "rita")
        page.fill("#id_password", "not the password")
        page.click("button[type=submit]")

    page.wait_for_selector("#locked-out")
    assert "Too many failed sign-ins" in page.inner_text("h1")
    assert "paused for 15 minutes" in page.inner_text("#locked-out")
