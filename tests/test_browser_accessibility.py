"""Every page, in light and in dark, checked by axe-core (the npm package, injected by
Playwright into a context that bypasses the CSP, since the app allows no foreign script), and
laid out on a 390 px phone without sideways scrolling."""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    UserFactory,
    hiring_manager,
)
from triage import replies
from triage.models import (
    HiringOutcome,
    Opening,
    QuarantinedMessage,
    ReplyTemplate,
    SavedView,
    TriageRule,
    WebhookEndpoint,
)
from triage.services import bulk, consent, rulebook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
URGENT = {"urgent": {"text": "Wants an answer by Friday", "evidence": ["by Friday"]}}


@pytest.fixture
def world(profile):
    """One of everything a page can show, so each page is checked with content in it."""
    replies.install_shipped_templates(ReplyTemplate)
    rulebook.sync_builtin_rules()
    rita = UserFactory(username="rita", first_name="Rita", last_name="Recruiter", is_staff=True)
    hank = hiring_manager("hank", first_name="Hank", last_name="Manager")
    ada = CandidateFactory(
        name="Ada Lovelace",
        email="ada@mail.example",
        skills=["Rust"],
        location="Denver, CO",
        next_follow_up=timezone.localdate() - timedelta(days=1),
    )
    funnel = CandidateRequestFactory(
        subject="Coffee chat about flight software?",
        body="Hi, could we have a coffee chat? I write Rust. I must decide by Friday.",
        candidate=CandidateFactory(name="Lin Park", email="lin@mail.example"),
        flags=URGENT,
        reasons=[{"text": "Asks for a coffee chat", "evidence": ["coffee chat"]}],
    )
    network = CandidateRequestFactory(
        subject="Keeping in touch", candidate=ada, suggested_bucket="network"
    )
    exceptional = CandidateRequestFactory(
        subject="Orbit determination lead",
        candidate=CandidateFactory(name="Vera Stellar", email="vera@stellar.example"),
        suggested_bucket="exceptional",
        assigned_to=hank,
        assigned_by=rita,
        assigned_at=timezone.now(),
    )
    HiringOutcome.objects.create(request=exceptional, kind="talked", recorded_by=hank)
    opening = Opening.objects.filter(is_open=True).first() or Opening.objects.create(
        title="Flight Software Engineer", skills=["Rust"], location="Denver, CO"
    )
    raw = b"From: robot@mail.example\r\nSubject: Out of office\r\n\r\nAway."
    QuarantinedMessage.objects.create(
        kind="machine",
        raw=raw,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        source="inbox/1.eml",
        error="auto-reply (Out of office)",
    )
    SavedView.objects.create(owner=rita, name="Rust", query="Rust", shared=True)
    webhook = WebhookEndpoint.objects.create(
        name="Team chat", url="https://hooks.example/triage", events=["reply.sent"], secret="s"
    )
    from triage.models import CandidateRequest

    sent = bulk.start_bulk_send(
        CandidateRequest.objects.filter(pk=funnel.pk), template=None, by=rita
    )
    return {
        "rita": rita,
        "hank": hank,
        "requests": (funnel, network, exceptional),
        "candidate": ada,
        "opening": opening,
        "bulk": sent,
        "rule": TriageRule.objects.order_by("position").first(),
        "webhook": webhook,
    }


def recruiter_pages(world) -> list[str]:
    funnel, network, exceptional = world["requests"]
    rule = world["rule"]
    opening = world["opening"]
    return [
        "/",
        "/?bucket=network",
        "/?bucket=exceptional&status=",
        "/?flag=urgent&status=new",
        "/?scope=mine&status=",
        f"/requests/{funnel.pk}/",
        f"/requests/{network.pk}/",
        f"/requests/{exceptional.pk}/",
        f"/candidates/{world['candidate'].pk}/",
        "/pool/",
        "/pool/digest/",
        "/openings/",
        "/openings/new/",
        f"/openings/{opening.pk}/",
        f"/openings/{opening.pk}/edit/",
        f"/openings/{opening.pk}/role-opened/",
        "/outbox/",
        "/rules/",
        "/rules/new/",
        f"/rules/{rule.pk}/",
        f"/rules/{rule.pk}/history/",
        "/retriage/",
        "/retriage/?preview=1&since=",
        "/templates/",
        "/templates/new/",
        f"/templates/{ReplyTemplate.objects.first().pk}/",
        "/config/",
        "/quarantine/",
        "/settings/",
        f"/bulk/?ids={network.pk}&bucket=network&status=",
        f"/bulk/{world['bulk'].pk}/",
        "/assigned/",
        "/account/two-factor/",
        "/integrations/webhooks/",
        f"/integrations/webhooks/{world['webhook'].pk}/",
    ]


def public_pages(world) -> list[str]:
    token = consent.consent_token(world["candidate"].pk)
    return [
        "/login/",
        "/password-reset/",
        "/password-reset/sent/",
        "/contact/",
        f"/consent/{token}/",
    ]


def sign_in(page, username="rita"):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document);
          return result.violations.map(v =>
            `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")
              + (n.any[0] ? " " + n.any[0].message : "")).join(" | ")}`);
        }"""
    )
    return found


def check_pages(page, paths) -> dict:
    problems = {}
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, f"{path}: {response.status}"
        page.wait_for_load_state("networkidle")
        if found := axe_violations(page):
            problems[path] = found
    return problems


def report(problems: dict) -> str:
    return "\n".join(f"{path}\n  " + "\n  ".join(found) for path, found in problems.items())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_axe_violations(context_for, world, scheme):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run make setup (npm ci)")
    page = context_for(color_scheme=scheme).new_page()

    problems = check_pages(page, public_pages(world))
    sign_in(page)
    assert page.evaluate("document.documentElement.dataset.bsTheme") == scheme
    problems |= check_pages(page, recruiter_pages(world))

    assert problems == {}, report(problems)


def test_a_hiring_managers_pages_have_no_axe_violations(context_for, world):
    page = context_for().new_page()
    sign_in(page, "hank")
    exceptional = world["requests"][2]

    pages = ["/assigned/", f"/requests/{exceptional.pk}/", "/settings/", "/account/two-factor/"]
    assert check_pages(page, pages) == {}


def test_no_page_scrolls_sideways_on_a_phone(context_for, world):
    page = context_for(viewport={"width": 390, "height": 844}).new_page()
    wide = {}
    for path in public_pages(world):
        page.goto(path)
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 390:
            wide[path] = width
    sign_in(page)
    for path in recruiter_pages(world):
        page.goto(path)
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 390:
            wide[path] = width

    assert wide == {}


def test_the_nav_folds_on_a_phone_and_log_out_is_reachable(context_for, world):
    page = context_for(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page)

    assert not page.locator("#main-menu").is_visible()
    nav_height = page.locator("nav.navbar").bounding_box()["height"]
    assert nav_height < 80  # the first screen is the inbox, not the menu

    page.click(".navbar-toggler")
    # Bootstrap adds "show" once the menu has finished unfolding; a click on the user menu
    # while it still slides can land before the dropdown is ready.
    page.wait_for_selector("#main-menu.show:not(.collapsing)")
    page.click("#user-menu-button")
    page.wait_for_selector("#log-out", state="visible")
    page.click("#log-out")
    page.wait_for_url("**/login/**")


def test_the_nav_fits_one_line_at_1366(context_for, world):
    page = context_for(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(page)

    assert page.locator("#main-menu").is_visible()
    tops = page.eval_on_selector_all(
        "#main-menu .nav-link", "links => links.map(a => a.getBoundingClientRect().top)"
    )
    assert len(set(tops)) == 1, tops  # one row of links
    # The placeholder fits its box: nothing of "Search name, email, text" is cut off.
    room = page.locator("input[type=search]").evaluate(
        """el => {
          const style = getComputedStyle(el);
          const context = document.createElement("canvas").getContext("2d");
          context.font = `${style.fontSize} ${style.fontFamily}`;
          const free = el.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          return free - context.measureText(el.placeholder).width;
        }"""
    )
    assert room >= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_user_menu_and_a_rule_test_have_no_axe_violations(context_for, world, scheme):
    """What only shows after a click: the user menu (theme, log out), the folded menu on a
    phone, and a rule's test on recent requests."""
    page = context_for(color_scheme=scheme, viewport={"width": 390, "height": 844}).new_page()
    sign_in(page)
    page.click(".navbar-toggler")
    page.wait_for_selector("#main-menu.show:not(.collapsing)")  # unfolded: see above
    page.click("#user-menu-button")
    page.locator("#log-out").wait_for(state="visible")
    problems = {"menu": found} if (found := axe_violations(page)) else {}

    page.goto("/rules/new/")
    page.fill("#id_title", "Coffee")
    page.select_option("#id_bucket", "network")
    page.select_option("select[name=form-0-on]", "body")
    page.fill("input[name=form-0-value]", "coffee chat")
    page.click("button[value=preview]")
    page.locator("#matches").wait_for()
    if found := axe_violations(page):
        problems["rule test"] = found
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    assert problems == {}, report(problems)
