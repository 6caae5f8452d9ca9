"""Keyboard triage, saved views and themes as a recruiter uses them, in headless Chromium."""

import pytest
from playwright.sync_api import expect

from tests.factories import CandidateFactory, CandidateRequestFactory
from tests.test_browser_accessibility import axe_violations, sign_in
from triage import replies
from triage.models import CandidateRequest, ReplyTemplate, SavedView

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three(recruiter):
    replies.install_shipped_templates(ReplyTemplate)
    made = []
    for number, name in enumerate(["Ada Lovelace", "Grace Hopper", "Linus Pauling"]):
        made.append(
            CandidateRequestFactory(
                subject=f"Question {number}",
                candidate=CandidateFactory(name=name, email=f"p{number}@mail.example"),
            )
        )
    # Newest first in the inbox: Linus, Grace, Ada.
    return list(reversed(made))


@pytest.fixture
def watched(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def selected_name(page) -> str:
    return page.locator("[data-row].is-selected .fw-semibold").inner_text()


def test_the_skip_link_comes_first_and_jumps_to_the_content(page, three):
    sign_in(page)

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").is_visible()  # shown while it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")  # the next stop is in the page, not the nav
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_j_and_k_move_through_the_list_and_enter_opens(page, three, watched):
    sign_in(page)

    page.keyboard.press("j")
    assert selected_name(page) == "Linus Pauling"
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stops at the last row
    assert selected_name(page) == "Ada Lovelace"
    page.keyboard.press("k")
    assert selected_name(page) == "Grace Hopper"
    # The keyboard's place is visible: the row's link has the focus, drawn with an outline.
    focused_row = "document.activeElement.closest('[data-row]')"
    assert page.evaluate(f"{focused_row}.classList.contains('is-selected')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    page.keyboard.press("Enter")
    page.wait_for_url(f"**/requests/{three[1].pk}/")
    assert watched == []


def test_o_opens_and_u_goes_back(page, three):
    sign_in(page)
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url(f"**/requests/{three[0].pk}/")

    page.keyboard.press("u")

    page.wait_for_url(lambda url: url.endswith("/?bucket=funnel"))


def test_a_number_moves_the_selected_request_to_that_bucket(page, three, watched):
    sign_in(page)
    page.keyboard.press("j")
    page.keyboard.press("j")

    page.keyboard.press("2")

    expect(page.locator("#announce")).to_have_text("Moved to “Network later”.")
    assert CandidateRequest.objects.get(pk=three[1].pk).final_bucket == "network"
    # The list is fetched again: Grace left the funnel, the tab counts say so.
    expect(page.locator("[data-row]")).to_have_count(2)
    assert page.locator("[data-count=network]").inner_text() == "1"
    assert selected_name(page) == "Ada Lovelace"  # the next one is ready
    assert watched == []


def test_a_number_on_the_request_page_moves_it(page, three):
    sign_in(page)
    page.goto(f"/requests/{three[0].pk}/")

    page.keyboard.press("3")

    page.wait_for_selector("text=Moved to “Exceptional skill”")
    assert CandidateRequest.objects.get(pk=three[0].pk).final_bucket == "exceptional"


def test_x_selects_for_a_bulk_reply(page, three):
    sign_in(page)
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")

    checked = page.eval_on_selector_all(
        "input[name=ids]:checked", "boxes => boxes.map(b => Number(b.value))"
    )
    assert checked == [three[0].pk, three[1].pk]


def test_r_opens_the_reply_editor_and_e_the_reason_to_put_away(page, three, profile):
    sign_in(page)
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_url(f"**/requests/{three[0].pk}/#reply")
    expect(page.locator("#id_body")).to_be_focused()

    page.keyboard.press("Escape")  # leaves the editor, so keys work again
    page.keyboard.press("e")

    assert page.evaluate("document.activeElement.id") == "id_put_away_reason"
    page.keyboard.type("answered by phone")
    page.keyboard.press("Enter")  # submits with the form's first button: Close without reply
    page.wait_for_selector("text=without a reply")
    assert CandidateRequest.objects.get(pk=three[0].pk).status == "closed"


def test_no_key_acts_while_typing_in_a_field(page, three):
    sign_in(page)

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("jj2")

    assert page.locator("[data-row].is-selected").count() == 0
    assert page.locator("input[type=search]").input_value() == "jj2"
    assert not CandidateRequest.objects.exclude(final_bucket="funnel").exists()

    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")  # the whole list again
    expect(page.locator("[data-row]")).to_have_count(3)
    page.keyboard.press("Escape")  # out of the field: the keys work again
    page.keyboard.press("j")
    assert selected_name(page) == "Linus Pauling"


def test_question_mark_lists_the_keys_in_an_accessible_dialog(context_for, three):
    page = context_for().new_page()  # bypasses the CSP, for axe
    sign_in(page)

    page.keyboard.press("?")

    dialog = page.locator("#keys-help")
    dialog.wait_for(state="visible")
    assert "Next / previous request in the list" in dialog.inner_text()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")


def test_a_recruiter_saves_a_view_and_opens_it_from_the_list(page, three, recruiter):
    CandidateRequestFactory(subject="Rust please", body="I write Rust")
    sign_in(page)
    # The search by its address, not typed: typing's delayed search-as-you-type refresh
    # can land while the form below is open and swap the views (closing it) on a busy machine.
    page.goto("/?q=rust")
    expect(page.locator("[data-row]")).to_have_count(1)

    page.click("#save-view summary")
    page.fill("#save-view input[name=name]", "Rustaceans")
    page.check("#save-view input[name=shared]")
    page.click("#save-view button[type=submit]")

    page.wait_for_selector("text=Saved the view “Rustaceans”, for every recruiter.")
    view = SavedView.objects.get(name="Rustaceans")
    assert (view.query, view.shared, view.owner) == ("rust", True, recruiter)
    row = page.locator(f"[data-view=saved-{view.pk}]")
    assert row.locator("[data-count]").inner_text() == "1"
    page.goto("/")
    row.locator("a").click()
    expect(page.locator("[data-row]")).to_have_count(1)
    assert page.locator("input[type=search]").input_value() == "rust"
    assert row.get_attribute("class").endswith("active-view")


def test_the_theme_switch_turns_dark_and_is_remembered(page, three):
    sign_in(page)
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "light"
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")

    page.click("#user-menu-button")
    page.click("[data-bs-theme-value=dark]")

    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light_bg
    page.reload()
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    page.click("#user-menu-button")
    assert page.locator("[data-bs-theme-value=dark]").get_attribute("aria-pressed") == "true"
    page.click("[data-bs-theme-value=auto]")
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "light"  # the system's
