"""A corpus of XSS payloads in every place a sender controls runs no script, in Chromium.

The Content Security Policy would stop inline scripts on its own; these tests also check the
DOM, so they fail if escaping or sanitizing ever lets a payload's elements through."""

from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from triage.models import Attachment, CandidateRequest
from triage.services import intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    '"><svg onload=window.pwned=1>',
    '<iframe srcdoc="<script>parent.pwned=1</script>"></iframe>',
    "<details open ontoggle=window.pwned=1>x</details>",
    '<a href="javascript:window.pwned=1" id="jslink">click me</a>',
    "<body onload=window.pwned=1>",
    '<form action="https://evil.example"><button id="evilbutton">Go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.pwned=1>",
]

# Anything a payload could have put in the page that runs code or submits elsewhere.
DANGEROUS = (
    "script:not([src]), [onerror], [onload], [onclick], [ontoggle], iframe, math, "
    # Our own icon (the bell in the nav) is the one svg a page may hold.
    "svg:not(#notifications-nav svg), "
    "a[href^='javascript'], form[action*='evil']"
)


def xss_mail(number: int, payload: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = Address(display_name=payload, addr_spec=f"p{number}@mail.example")
    msg["To"] = "rita@acme-orbital.example"
    msg["Subject"] = f"Hello {payload}"
    msg["Date"] = "Mon, 03 Mar 2025 09:15:00 +0000"
    msg["Message-ID"] = f"<xss-{number}@mail.example>"
    msg.set_content(f"Plain body {payload}")
    msg.add_alternative(f"<p>HTML body {payload}</p>", subtype="html")
    # In a file name (as sent: the parser keeps only its last path component) and in the
    # text read out of the file, which the request page shows.
    resume = f"Resume text {payload}".encode()
    msg.add_attachment(resume, maintype="text", subtype="plain", filename=f"{payload}.txt")
    # Unfolded: the standard library's folding of long quoted names loses the quotes.
    return msg.as_bytes(policy=msg.policy.clone(max_line_length=None))


@pytest.fixture
def xss_requests(profile):
    summary = intake.ingest_sources(
        [(f"xss#{n}", xss_mail(n, payload)) for n, payload in enumerate(PAYLOADS)]
    )
    assert summary.new == len(PAYLOADS)
    return list(CandidateRequest.objects.order_by("pk"))


def sign_in(page):
    page.goto("/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")


def assert_no_script_ran(page):
    assert page.evaluate("window.pwned") is None
    assert page.evaluate(f"document.querySelectorAll({DANGEROUS!r}).length") == 0


def test_the_inbox_shows_every_payload_as_text(page, recruiter, xss_requests):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page)
    page.wait_for_selector(".request-row")

    assert page.locator(".request-row").count() == len(PAYLOADS)
    assert_no_script_ran(page)
    assert "Hello <script>window.pwned=1</script>" in page.locator("#results").inner_text()
    names = page.locator(".attachment-names").all_inner_texts()
    for attachment in Attachment.objects.all():
        assert any(attachment.filename in shown for shown in names)
    assert dialogs == []


def test_each_request_page_runs_no_payload_even_with_the_html_open(page, recruiter, xss_requests):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page)

    for request, payload in zip(xss_requests, PAYLOADS, strict=True):
        page.goto(f"/requests/{request.pk}/")
        page.click("text=Show the formatted message (sanitized HTML)")
        page.wait_for_selector(".message-html", state="visible")

        assert_no_script_ran(page)
        assert payload in page.locator("#subject").inner_text()
        assert page.locator(f"text={request.candidate.name}").count() >= 1
        assert f"Plain body {payload}" in page.locator("#message-body").inner_text()
        assert "HTML body" in page.locator(".message-html").inner_text()
        assert page.locator("#evilbutton").count() == 0

        attachment = Attachment.objects.get(message__request=request)
        assert page.locator(".attachment-name").inner_text() == attachment.filename
        page.click("text=Show the text read from this file")
        assert page.locator(".attachment-text").inner_text() == f"Resume text {payload}"
        assert_no_script_ran(page)

    assert dialogs == []


def test_payloads_sent_through_the_contact_page_run_nowhere(page, recruiter, profile, settings):
    settings.CONTACT_RATE_LIMIT = "100/h"
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = '<img src=x onerror="window.pwned=1">'

    page.goto("/contact/")
    page.fill("#id_name", f"Eve {payload}")
    page.fill("#id_email", "eve@mail.example")
    page.fill("#id_message", f"Hello {PAYLOADS[0]} {PAYLOADS[2]}")
    page.set_input_files(
        "#id_resume",
        files=[{"name": f"{PAYLOADS[4]}.txt", "mimeType": "text/plain", "buffer": b"Rust"}],
    )
    page.click("text=Send message")
    page.wait_for_selector("#thanks")
    assert_no_script_ran(page)

    sign_in(page)
    page.wait_for_selector(".request-row")
    assert_no_script_ran(page)
    assert f"Eve {payload}" in page.locator("#results").inner_text()

    request = CandidateRequest.objects.get(channel="form")
    page.goto(f"/requests/{request.pk}/")
    assert_no_script_ran(page)
    assert page.locator("#candidate-link").inner_text() == f"Eve {payload}"
    assert f"Hello {PAYLOADS[0]} {PAYLOADS[2]}" in page.locator("#message-body").inner_text()
    # The file name as sent, less everything up to its last "/" (never a path).
    assert page.locator(".attachment-name").inner_text() == "details>.txt"
    assert dialogs == []
