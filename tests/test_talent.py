"""The pool's policy, without a database."""

from datetime import date

import pytest

from triage import talent


def test_a_scheduled_follow_up_wins_over_the_default_interval():
    assert talent.follow_up_on(scheduled=date(2026, 1, 5), last_contact=date(2025, 1, 1)) == date(
        2026, 1, 5
    )


def test_without_a_schedule_it_is_a_quarter_after_the_last_contact():
    assert talent.follow_up_on(scheduled=None, last_contact=date(2026, 1, 1)) == date(2026, 4, 1)
    assert talent.follow_up_on(scheduled=None, last_contact=None) is None


@pytest.mark.parametrize(
    "today, sunday",
    [(date(2026, 11, 16), date(2026, 11, 22)), (date(2026, 11, 22), date(2026, 11, 22))],
)
def test_this_week_ends_on_sunday(today, sunday):
    assert talent.end_of_week(today) == sunday


def test_snoozing_pushes_from_the_later_of_today_and_the_current_date():
    today = date(2026, 11, 22)
    assert talent.snoozed_until(today=today, current=None, period="week") == date(2026, 11, 29)
    overdue = date(2026, 10, 1)
    assert talent.snoozed_until(today=today, current=overdue, period="week") == date(2026, 11, 29)
    later = date(2026, 12, 10)
    assert talent.snoozed_until(today=today, current=later, period="month") == date(2027, 1, 9)


def test_skills_are_trimmed_and_deduplicated_without_losing_their_case():
    assert talent.normalize_skills(" Rust,embedded  C ,, rust ") == ["Rust", "embedded C"]


def test_role_fit_counts_shared_skills_and_the_location():
    fit = talent.role_fit(
        skills=["rust", "SQL"],
        location_text="I am in Denver",
        role_skills=["Rust", "RTOS"],
        role_location="Denver, CO",
    )
    assert fit.score == 3
    assert fit.why == ("Has Rust", "Mentions Denver, CO")


def test_a_location_alone_is_not_a_fit():
    fit = talent.role_fit(
        skills=["Go"], location_text="Remote", role_skills=["Rust"], role_location="Remote"
    )
    assert fit.score == 0


def test_it_suggests_skills_the_text_names_as_whole_words():
    text = "I write Rust and embedded\nC; also some SQLite, and RTOS work."
    vocabulary = ["Rust", "embedded C", "SQL", "RTOS", "rust", "Go"]
    assert talent.suggest_skills(text=text, vocabulary=vocabulary, have=["rtos"]) == [
        "Rust",
        "embedded C",
    ]
