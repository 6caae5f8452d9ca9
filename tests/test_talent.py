"""The pool's policy, without a database."""

import re
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
        location="",
        location_text="I am in Denver",
        role_skills=["Rust", "RTOS"],
        role_location="Denver, CO",
    )
    assert fit.score == 3
    assert fit.why == ("Has Rust", "Mentions Denver, CO")


def test_a_location_alone_is_not_a_fit():
    fit = talent.role_fit(
        skills=["Go"],
        location="",
        location_text="Remote",
        role_skills=["Rust"],
        role_location="Remote",
    )
    assert fit.score == 0


def test_it_suggests_skills_the_text_names_as_whole_words():
    text = "I write Rust and embedded\nC; also some SQLite, and RTOS work."
    vocabulary = ["Rust", "embedded C", "SQL", "RTOS", "rust", "Go"]
    assert talent.suggest_skills(text=text, vocabulary=vocabulary, have=["rtos"]) == [
        "Rust",
        "embedded C",
    ]


def test_a_recorded_location_counts_instead_of_what_they_wrote():
    def fit(location, text):
        return talent.role_fit(
            skills=["Rust"],
            location=location,
            location_text=text,
            role_skills=["Rust"],
            role_location="Denver, CO",
        )

    assert fit("Denver", "").why == ("Has Rust", "Lives in Denver, CO")
    assert fit("Boulder, CO", "I used to work in Denver").score == 2  # where they are now
    assert fit("", "Flying in from Denver").why == ("Has Rust", "Mentions Denver, CO")
    assert fit("", "Denverton is lovely").score == 2  # a whole word, not a prefix


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Hi! I'm based in Lisbon and write Rust.", "Lisbon"),
        ("Currently living in São Paulo, Brazil.", "São Paulo, Brazil"),
        ("I am located in New York and would love to chat", "New York"),
        ("I live in Frankfurt am Main.", "Frankfurt am Main"),
        ("We met in Denver last year.", ""),  # a place, but not where they are
        ("based in my living room", ""),
    ],
)
def test_it_reads_a_stated_location(text, location):
    assert talent.stated_location(text) == location


def test_it_suggests_a_location_stated_else_a_role_place_named():
    places = ["Remote", "Denver, CO"]
    assert talent.suggest_location(text="I'm based in Lisbon", places=places) == "Lisbon"
    assert talent.suggest_location(text="Our team in Denver, CO", places=places) == "Denver, CO"
    # A place they only visit is not where they are.
    assert talent.suggest_location(text="Visiting Denver soon", places=places) == ""
    assert talent.suggest_location(text="Happy to work remote", places=places) == ""


@pytest.mark.parametrize(
    ("location", "role_location", "fits"),
    [
        ("", "Denver, CO", True),  # unknown: every role may fit
        ("Denver", "Denver, CO", True),
        ("Lisbon", "Denver, CO", False),
        ("Lisbon", "Remote", True),
        ("Lisbon", "", True),
    ],
)
def test_location_fits(location, role_location, fits):
    assert talent.location_fits(location=location, role_location=role_location) is fits


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Please stop emailing me.", "stop emailing"),
        ("UNSUBSCRIBE", "UNSUBSCRIBE"),
        ("Hi, kindly remove me from your mailing list. Thanks", "remove me from your mailing list"),
        ("Take me off your list please", "Take me off your list"),
        ("Please do not contact me again.", "do not contact me"),
        ("Don't email me anymore", "Don't email me"),
        ("Just leave me alone!", "leave me alone"),
        ("No more emails, thanks.", "No more emails"),
        ("Please opt me out.", "opt me out"),
        ("Delete my data, please.", "Delete my data"),
    ],
)
def test_it_hears_a_request_to_be_left_alone(text, words):
    assert talent.asks_to_be_left_alone(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "Please don't remove me from your list, I'm still interested!",
        "I never asked you to stop emailing me.",
        "I'd love to hear about roles in emailing infrastructure.",
        "I had to opt out of my company's pension plan.",  # not about us
        "Stop by our booth at RustConf!",
        "I'm not asking you to unsubscribe me. Quite the opposite.",
        "",
    ],
)
def test_near_misses_are_not_a_request_to_be_left_alone(text):
    assert talent.asks_to_be_left_alone(text) is None


@pytest.mark.parametrize(
    ("location", "places", "remote"),
    [
        ("Denver, CO", ["denver"], False),
        ("Remote (US)", ["remote"], True),
        ("Copenhagen or Remote (EU)", ["copenhagen", "remote"], True),
        ("Copenhagen (hybrid)", ["copenhagen"], False),
        ("", [], False),
    ],
)
def test_it_reads_the_places_in_a_role_location(location, places, remote):
    assert talent.places(location) == places
    assert talent.is_remote(location) is remote


def test_a_hybrid_role_matches_its_city_and_an_either_or_role_fits_anyone():
    assert talent.location_fits(location="Copenhagen", role_location="Copenhagen (hybrid)")
    assert not talent.location_fits(location="Lisbon", role_location="Copenhagen (hybrid)")
    assert talent.location_fits(location="Lisbon", role_location="Copenhagen or Remote (EU)")


@pytest.mark.parametrize(
    ("text", "location", "evidence"),
    [
        (
            "Hi! I'm relocating to Berlin in March.",
            "Berlin",
            "Hi! I'm relocating to Berlin in March.",
        ),
        (
            "Moving to Lisbon soon, hope we can talk",
            "Lisbon",
            "Moving to Lisbon soon, hope we can talk",
        ),
        ("Greetings from Amsterdam!", "Amsterdam", "Greetings from Amsterdam!"),
        ("I work in Berlin on compilers", "Berlin", "I work in Berlin on compilers"),
        ("Based in Utrecht.", "Utrecht", "Based in Utrecht."),
        (
            "I'm moving to Berlin. Six years of Rust",
            "Berlin",
            "I'm moving to Berlin. Six years of Rust",
        ),
        ("Relocating to St. Louis soon", "St. Louis", "Relocating to St. Louis soon"),
        ("A role in Denver would be great", "Denver, CO", "A role in Denver would be great"),
        ("I write Python in my spare time", None, None),  # not a place
        ("Greetings from Google", None, None),  # "from" a place we do not know: no
    ],
)
def test_it_reads_where_someone_is_with_the_phrase(text, location, evidence):
    found = talent.read_location(text=text, places=["Denver, CO", "Remote"])
    assert (found.value, found.evidence) == (location, evidence) if location else found is None


def test_it_reads_skills_in_vocabulary_order_and_everyday_words_only_as_names():
    text = "I go hiking.\nMostly I write Go, some PYTHON and embedded C (not C#)."
    found = talent.read_skills(text=text, vocabulary=["Python", "Go", "C#", "embedded C"])
    assert [f.value for f in found] == ["Python", "Go", "C#", "embedded C"]
    assert all("Mostly I write Go" in f.evidence or "(not C#)" in f.evidence for f in found)
    assert "hiking" not in " ".join(f.evidence for f in found)  # its own line only
    assert talent.read_skills(text=text, vocabulary=["Go"], have=["go"]) == []


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("Happy to buy you lunch if you're ever in Austin.", None),
        ("I'm visiting Berlin next month and could drop by.", None),
        ("I'll be at a conference in Lisbon in May.", None),
        ("If I'm ever in Denver I'll say hello.", None),
        # Where they are, beside a place they visit.
        ("I'm based in Porto. Happy to meet if you're ever in Austin.", "Porto"),
        ("Greetings from Amsterdam! Coffee if you're ever in Austin?", "Amsterdam"),
        ("I work in Austin and would love to chat.", "Austin, TX"),
    ],
)
def test_a_place_they_only_visit_or_mention_in_passing_is_not_where_they_live(text, location):
    found = talent.read_location(text=text, places=["Austin, TX", "Remote"])
    assert (found.value if found else None) == location


def _suggested_by_searching_everywhere(text, vocabulary, have):
    # suggest_skills as it was: each skill's expression searched over the whole text.
    known = {skill.lower() for skill in have}
    return [
        skill
        for skill in talent.normalize_skills(vocabulary)
        if skill.lower() not in known
        and re.search(
            r"(?<!\w)" + r"\s+".join(map(re.escape, skill.split())) + r"(?!\w)", text, re.I
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I have used Go for years, long ago; going strong. POSTGRESQL, not plain sql.",
        "Ten years of\nmachine\n  learning and C# with .NET; some Node.js and C++.",
        "KUBERNETES and ſcala and İot and ıot: ſql, \u212aubernetes.",  # case twins
        "İİİ go İ kubernetes İ sql",  # İ lower-cases to two characters
        "Zürich, São Paulo – I’m a ‘data engineer’ (Python, dbt) résumé attached.",
        "machine-learning, rust-lang, xgo gox _go go_ go",
        "",
    ],
)
def test_suggested_skills_are_the_ones_found_searching_everywhere(text):
    vocabulary = [
        "Go", "Kubernetes", "PostgreSQL", "SQL", "machine learning", "C#", ".NET", "C++",
        "Node.js", "Scala", "IoT", "Python", "dbt", "data engineer", "Rust", "Zürich",
    ]  # fmt: skip

    found = talent.suggest_skills(text=text, vocabulary=vocabulary, have=["python"])

    assert found == _suggested_by_searching_everywhere(text, vocabulary, ["python"])
    if text.startswith("KUBERNETES"):
        assert found == ["Kubernetes", "SQL", "Scala", "IoT"]


def test_only_the_four_case_twins_match_an_ascii_letter_and_only_one_lowers_to_two():
    # What suggest_skills's shortcut rests on (talent._ASCII_CASE_TWINS), for every character.
    ascii_any_case = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    beyond_ascii = [chr(code) for code in range(0x80, 0x110000)]

    twins = [c for c in beyond_ascii if ascii_any_case.match(c)]
    longer = [c for c in beyond_ascii if len(c.lower()) != 1]

    assert set(twins) == set(talent._ASCII_CASE_TWINS)
    assert all(
        re.fullmatch(letter, twin, re.I) for twin, letter in talent._ASCII_CASE_TWINS.items()
    )
    assert longer == ["\u0130"]
