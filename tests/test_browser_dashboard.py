"""The dashboard and the bell in headless Chromium: every chart draws (Chart.js from the app's
own static files, under the strict CSP, with no console error), the tables hold the same
numbers, the page fits a phone, and the bell leads to the notifications."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CandidateRequestFactory
from tests.test_browser_rules import sign_in
from triage import replies, rules
from triage.models import Reply, ReplyTemplate
from triage.selectors import dashboard
from triage.services import intake, rulebook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("buckets", "reply-time", "rule-precision", "network-path", "replies")


@pytest.fixture(autouse=True)
def listed_rules(transactional_db, settings):
    """A transactional test's flush also removes what the migrations seeded: put it back."""
    replies.install_shipped_templates(ReplyTemplate)
    rulebook.sync_builtin_rules()
    settings.DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture
def some_weeks(profile, recruiter):
    monday = dashboard.Period.last(12).weeks[-2]
    start = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time()))
    for n in range(6):
        request = CandidateRequestFactory(
            received_at=start + timedelta(hours=9 + n),
            suggested_bucket=("funnel", "network", "exceptional")[n % 3],
            status="replied",
        )
        Reply.objects.create(
            request=request,
            to_email=request.candidate.email,
            subject="Re: hi",
            body="Thanks.",
            status=Reply.Status.SENT,
            sent_at=request.received_at + timedelta(hours=n + 1),
            message_id=f"<browser-{n}@test.example>",
        )
    # A notable person writes: the recruiter's bell shows it.
    intake.create_request(
        sender=rules.Address(name="Vera Stellar", email="vera@stellar.example"),
        subject="Could we talk?",
        body="I would love to hear about your work.",
        received_at=timezone.now(),
        profile=profile,
    )


def test_the_dashboard_draws_every_chart_and_the_bell_leads_to_the_notifications(page, some_weeks):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in(page, "/dashboard/")
    page.wait_for_function("() => window.Chart && document.querySelectorAll('canvas').length")
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')].every(c => Chart.getChart(c))"
    )

    drawn = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')].map(c => {
            const chart = Chart.getChart(c);
            return [c.id, chart.config.type, chart.data.datasets.length, c.width > 0];
        })"""
    )
    assert [row[0] for row in drawn] == [f"chart-{key}" for key in CHARTS]
    assert all(row[3] for row in drawn)
    assert dict((row[0], row[1]) for row in drawn)["chart-buckets"] == "bar"
    # The numbers behind the bars are in the table, one click away.
    page.locator("#title-buckets ~ details summary, section:has(#title-buckets) summary").click()
    table = page.locator("#table-buckets")
    assert table.is_visible()
    assert "6" in table.locator("tbody tr").nth(10).inner_text()  # last week: 2 + 2 + 2
    # A phone's width: the page does not scroll sideways.
    main = page.locator("main")
    assert main.evaluate("m => m.scrollWidth <= m.clientWidth")
    # Dark mode: the charts are drawn again in the theme's text colour, axes included.
    tick_colour = "() => Chart.getChart(document.querySelector('#chart-buckets'))" + (
        ".options.scales.y.ticks.color"
    )
    light = page.evaluate(tick_colour)
    page.evaluate("() => document.documentElement.setAttribute('data-bs-theme', 'dark')")
    page.wait_for_function(f"() => ({tick_colour})() !== {light!r}")
    dark = page.evaluate(tick_colour)
    assert dark == page.evaluate(
        "() => getComputedStyle(document.body).getPropertyValue('--bs-body-color').trim()"
    )
    assert errors == []

    badge = page.locator("#notifications-unread")
    assert badge.inner_text() == "1"
    page.click("#notifications-nav")
    page.wait_for_url("**/notifications/")
    item = page.locator(".notification").first
    assert "New exceptional request from Vera Stellar: Could we talk?" in item.inner_text()
    item.locator("button.mark-read").click()
    page.wait_for_selector("#notifications-unread", state="detached")
    assert page.locator(".notification-unread").count() == 0
    assert errors == []
