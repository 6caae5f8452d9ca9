"""A recruiter adds a rule on the Rules page, tests it on recent requests, saves it and sees
it decide the next request, in headless Chromium."""

import pytest
from django.utils import timezone

from triage import replies, rules
from triage.models import ReplyTemplate, RuleSetVersion
from triage.services import intake, rulebook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def listed_rules(transactional_db):
    """A transactional test's flush also removes what the migrations seeded: put it back."""
    replies.install_shipped_templates(ReplyTemplate)
    rulebook.sync_builtin_rules()


def sign_in(page, next_url="/"):
    page.goto(next_url)
    page.fill("#id_username", "rita")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")


def ask(profile, body, email):
    return intake.create_request(
        sender=rules.Address(name="Ana Ruiz", email=email),
        subject="A question",
        body=body,
        received_at=timezone.now(),
        profile=profile,
    )


def test_a_recruiter_adds_a_rule_tests_it_saves_it_and_sees_it_fire(page, profile, recruiter):
    moved = ask(profile, "I defended my PhD thesis in May.", "ana@mail.example")
    ask(profile, "Are you hiring?", "leo@mail.example")

    sign_in(page, "/rules/")
    page.get_by_role("link", name="New rule").click()
    page.fill("#id_title", "Academics")
    page.select_option("#id_bucket", "network")
    page.select_option("#id_form-0-on", "body")
    page.select_option("#id_form-0-test", "any")
    page.fill("#id_form-0-value", "PhD, postdoc")
    page.click("text=Test on recent requests")

    summary = page.locator("#dry-run-summary")
    assert summary.inner_text() == "This change would move 1 of the last 2 requests."
    assert page.locator("#moves .move").count() == 1
    assert "Academics" in page.locator("#moves .move").inner_text()
    assert page.locator("#moves .move a").get_attribute("href") == f"/requests/{moved.pk}/"

    page.click("#save-rule")
    page.wait_for_selector("text=Saved “Academics”")
    row = page.locator('tr[data-key="academics"]')
    assert "Message contains any of" in row.inner_text()

    # Move it to the top with htmx: the table is swapped in place.
    for _ in range(5):
        page.locator('tr[data-key="academics"] .move-up').click()
        page.wait_for_function(
            "n => document.querySelectorAll('tr.rule-row')[n]?.dataset.key === 'academics'",
            arg=5 - _ - 1,
        )
    assert page.locator("tr.rule-row").first.get_attribute("data-key") == "academics"

    fresh = ask(profile, "Postdoc in grid modelling, and I write Rust.", "bo@mail.example")
    assert fresh.suggested_rule == "academics"
    page.goto(f"/requests/{fresh.pk}/")
    assert "Academics" in page.locator("#deciding-rule").inner_text()
    version = RuleSetVersion.objects.order_by("-pk").first().pk
    assert f"rule set version {version}" in page.locator("#deciding-rule").inner_text()
    assert page.locator("#message-body mark").first.inner_text() == "Postdoc"
