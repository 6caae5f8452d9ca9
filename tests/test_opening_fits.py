"""Who fits an opening, stored ahead (services/fits.py): the same people, scores, reasons and
order as the live ranking (selectors/talent.ranked_fits), kept current as people and roles
change, and read by the page in a fixed number of queries."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage import events
from triage.models import CandidateRequest, Opening, OpeningFit
from triage.selectors import talent as talent_reads
from triage.services import fits, openings, pool

pytestmark = pytest.mark.django_db

ROLES = [
    # (title, skills, location)
    ("Avionics", ["Rust", "RTOS"], "Denver, CO"),
    ("Platform", ["Python", "Kubernetes", "rust"], "Remote"),
    ("Either", ["Python", "Go"], "Copenhagen or Remote (EU)"),
    ("Two cities", ["Go", "RTOS"], "Berlin / Lisbon"),
    ("Nowhere said", ["Python"], ""),
    ("No skills", [], "Denver"),
]

PEOPLE = [
    # (email, skills, location, in the pool)
    ("ada@mail.example", ["Rust", "RTOS"], "Denver", True),
    ("bo@mail.example", ["rust", "Python"], "Lisbon, Portugal", True),
    ("cy@mail.example", ["RTOS"], "North Denver", True),  # a whole word: counts
    ("di@mail.example", ["Rust"], "Denverton", True),  # not the whole word: does not
    ("ed@mail.example", ["Python", "Go", "Kubernetes"], "Copenhagen", True),
    ("fa@mail.example", ["Go"], "Berlin", True),
    ("gu@mail.example", ["Python"], "", True),
    ("ha@mail.example", ["Rust", "RTOS", "Python"], "Denver", False),  # not in the pool
    ("ix@mail.example", [], "Denver", True),  # a place alone: no fit
    ("jo@mail.example", ["Rust"], "denver, co", True),  # ties with others: by email
    ("ka@mail.example", ["rust"], "Lisbon", True),
]


def person(email, skills, location, in_pool):
    candidate = CandidateFactory(email=email, name=email.split("@")[0].title(), skills=skills)
    pool.set_location(candidate=candidate, location=location)
    bucket = "network" if in_pool else "funnel"
    CandidateRequestFactory(candidate=candidate, suggested_bucket=bucket)
    return candidate


def role(title, skills, location):
    return openings.save_opening(
        opening=Opening(
            title=title, url=f"https://jobs.example/{title}", skills=skills, location=location
        )
    )


def page(opening):
    return [
        (fit.candidate.email, fit.score, fit.why, fit.told_on)
        for fit in talent_reads.fitting_candidates(opening, limit=100)
    ]


def live(opening):
    """Today's ranking, straight from the skill rows."""
    opening.refresh_from_db()
    opening.fits_ready = False
    return page(opening)


def assert_stored_fits_are_the_live_ranking():
    for opening in Opening.objects.all():
        assert opening.fits_ready, opening.title
        expected = live(opening) if opening.is_open else []
        opening.refresh_from_db()
        assert page(opening) == expected, opening.title
        ranking = talent_reads.ranked_fits(opening)
        should = sorted(ranking) if opening.is_open and ranking is not None else []
        stored = OpeningFit.objects.filter(opening=opening).values_list(
            "candidate_id", "score", "here", "email"
        )
        assert sorted((c, s, int(h), e) for c, s, h, e in stored) == should, opening.title


@pytest.fixture
def varied_pool(db):
    people = {email: person(email, *rest) for email, *rest in PEOPLE}
    roles = {title: role(title, *rest) for title, *rest in ROLES}
    return people, roles


def test_stored_fits_match_the_live_ranking_on_a_varied_pool(varied_pool):
    _people, roles = varied_pool

    assert_stored_fits_are_the_live_ranking()
    assert [(email, score) for email, score, *_ in page(roles["Avionics"])] == [
        ("ada@mail.example", 5),
        ("cy@mail.example", 3),
        ("jo@mail.example", 3),
        ("bo@mail.example", 2),
        ("di@mail.example", 2),
        ("ka@mail.example", 2),
    ]
    assert page(roles["No skills"]) == []


def test_they_follow_a_persons_skills_place_and_pool(varied_pool):
    people, roles = varied_pool

    pool.set_skills(candidate=people["gu@mail.example"], skills=["Rust", "Go"])
    pool.set_location(candidate=people["di@mail.example"], location="Denver")
    CandidateRequest.objects.filter(candidate=people["ada@mail.example"]).update(
        final_bucket="funnel"
    )
    pool.refresh([people["ada@mail.example"].pk])  # out of the pool
    CandidateRequestFactory(candidate=people["ha@mail.example"], suggested_bucket="network")

    assert_stored_fits_are_the_live_ranking()
    avionics = [email for email, *_ in page(roles["Avionics"])]
    assert "ada@mail.example" not in avionics and "ha@mail.example" in avionics
    assert avionics[:4] == [  # di's new place ranks them with the others at 3, by email
        "ha@mail.example",
        "cy@mail.example",
        "di@mail.example",
        "jo@mail.example",
    ]


def test_intake_reading_skills_from_a_message_updates_the_fits(profile, varied_pool):
    _people, roles = varied_pool
    newcomer = CandidateFactory(email="lu@mail.example")
    request = CandidateRequestFactory(
        candidate=newcomer, suggested_bucket="network", body="I write Rust for RTOS boards."
    )

    pool.on_events([fits_event(request)])

    assert "lu@mail.example" in [email for email, *_ in page(roles["Avionics"])]
    assert_stored_fits_are_the_live_ranking()


def fits_event(request):
    return events.make(events.REQUEST_CREATED, request=request, candidate_id=request.candidate_id)


def test_they_follow_a_roles_skills_place_and_state(varied_pool):
    _people, roles = varied_pool
    avionics = roles["Avionics"]

    avionics.skills, avionics.location = ["Go", "Kubernetes"], "Berlin"
    openings.save_opening(opening=avionics)
    assert_stored_fits_are_the_live_ranking()

    openings.set_open(opening=avionics, is_open=False)
    assert not OpeningFit.objects.filter(opening=avionics).exists()
    assert_stored_fits_are_the_live_ranking()

    openings.set_open(opening=avionics, is_open=True)
    assert OpeningFit.objects.filter(opening=avionics).exists()
    assert_stored_fits_are_the_live_ranking()


def test_a_role_with_many_candidates_is_ranked_in_a_task_and_live_until_then(
    varied_pool, monkeypatch, django_capture_on_commit_callbacks, immediate_tasks
):
    _people, roles = varied_pool
    monkeypatch.setattr(fits, "REBUILD_NOW_UP_TO", 1)
    avionics = roles["Avionics"]
    avionics.skills = ["Python"]
    expected = None

    with django_capture_on_commit_callbacks() as callbacks:
        openings.save_opening(opening=avionics)
        avionics.refresh_from_db()
        assert not avionics.fits_ready  # the page ranks live meanwhile
        expected = page(avionics)
    assert [email for email, *_ in expected] == [
        "bo@mail.example",
        "ed@mail.example",
        "gu@mail.example",
    ]
    for callback in callbacks:
        callback()  # the task runs, immediately here

    avionics.refresh_from_db()
    assert avionics.fits_ready and page(avionics) == expected
    assert_stored_fits_are_the_live_ranking()


def test_refresh_pool_rebuilds_fits_written_in_bulk(varied_pool):
    OpeningFit.objects.all().delete()

    call_command("refresh_pool", stdout=io.StringIO())

    assert_stored_fits_are_the_live_ranking()


def test_the_opening_page_makes_as_many_queries_whatever_the_pool(
    recruiter_client, varied_pool, django_assert_num_queries
):
    _people, roles = varied_pool
    url = reverse("triage:opening", args=[roles["Avionics"].pk])
    with CaptureQueriesContext(connection) as small:
        assert recruiter_client.get(url).status_code == 200
    for n in range(30):
        person(f"more{n:02}@mail.example", ["Rust", "RTOS"], "Denver", True)
    with django_assert_num_queries(len(small)):
        response = recruiter_client.get(url)
    assert response.status_code == 200
    assert "More00" in response.content.decode()  # a newcomer at the top, read off the fits
