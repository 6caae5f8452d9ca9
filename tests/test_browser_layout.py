"""Layout a recruiter sees at a laptop's width, measured in headless Chromium: controls
readable at their natural size, cards that do not run into each other."""

import pytest

from tests.factories import CandidateFactory, CandidateRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_selector("#main, main")


def test_the_pool_snooze_choice_is_wide_enough_to_read(page, recruiter):
    # In a table cell beside Edit and Snooze, a select sized to 100% of a cell that sizes to
    # its content shrank to a sliver ("a ˅"): the recruiter could not read "a quarter".
    # A full row, as in the demo: several skills and a location read from their words.
    ada = CandidateFactory(
        name="Ada Lovelace",
        email="ada@mail.example",
        skills=["Python", "Apache Spark", "Airflow", "data engineering"],
        location="Copenhagen (hybrid)",
        location_evidence="I'm a data engineer in Copenhagen (Python, Apache Spark, Airflow)",
    )
    CandidateRequestFactory(candidate=ada, final_bucket="network", subject="Hello")
    sign_in(page)
    page.goto("/pool/")
    select = page.locator(".pool-row select[name=period]")
    # The widest choice's text, in the select's own font, plus room for the arrow.
    needed = select.evaluate(
        """e => {
            const c = document.createElement("canvas").getContext("2d");
            c.font = getComputedStyle(e).font;
            return Math.max(...[...e.options].map(o => c.measureText(o.text).width));
        }"""
    )
    assert select.evaluate("e => e.clientWidth") >= needed + 20


def test_the_reply_card_and_the_ats_card_do_not_touch(page, recruiter):
    request = CandidateRequestFactory(
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
        final_bucket="funnel",
        subject="Hello",
    )
    sign_in(page)
    page.goto(f"/requests/{request.pk}/")
    compose = page.locator("#compose").bounding_box()
    ats = page.locator("#ats").bounding_box()
    gap = ats["y"] - (compose["y"] + compose["height"])
    assert gap >= 8  # the same breathing room as between the other cards beside the message
