"""Templates and bulk replies as a recruiter uses them, in headless Chromium."""

import pytest
from django.utils import timezone

from tests.test_browser import shipped_templates, sign_in  # noqa: F401 (an autouse fixture)
from triage import rules
from triage.models import BulkSend, Reply
from triage.services import intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_request(profile, name, email):
    return intake.create_request(
        sender=rules.Address(name=name, email=email),
        subject=f"Hello from {name}",
        body="Could we have a coffee chat?",
        received_at=timezone.now(),
        profile=profile,
    )


def test_the_template_editor_previews_as_you_type(page, profile, recruiter):
    make_request(profile, "Sam Ito", "sam@mail.example")
    sign_in(page)
    page.goto("/templates/new/")

    page.fill("#id_subject", "Re: {{ original_subject }}")
    page.fill("#id_body", 'Hi {{ first_name|default:"there" }}, thanks!')

    page.wait_for_function(
        "() => document.querySelector('#preview .preview-body')?.textContent.includes('Hi Sam')"
    )
    assert page.locator("#preview .preview-subject").inner_text() == "Re: Hello from Sam Ito"

    page.fill("#id_body", "{{ secret }}")
    page.wait_for_selector("#preview .preview-problems")
    assert "unknown placeholder {{ secret }}" in page.locator("#preview").inner_text()


def test_a_bulk_reply_from_the_inbox_to_the_progress_bar(page, profile, recruiter):
    for n in range(3):
        make_request(profile, f"Person{n} Example", f"p{n}@mail.example")
    sign_in(page)

    page.check("#bulk-all")
    page.click("text=Reply to selected…")
    assert page.locator("#bulk-count").inner_text() == "Send 3 replies"
    assert page.locator(".bulk-sample").count() == 3
    page.click("button:has-text('Send 3 replies')")

    page.wait_for_selector("[data-count=sent]:text('3')")
    assert page.locator("[data-count=remaining]").inner_text() == "0"
    assert Reply.objects.filter(status=Reply.Status.SENT).count() == 3
    assert BulkSend.objects.get().replies.count() == 3
