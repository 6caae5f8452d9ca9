"""The talent pool in the database: pages of it, filters, skills as rows read from what people
write (with the phrase), the pool fields kept as things happen, an opening's fits by query,
and the same number of queries whatever the pool's size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage import rules
from triage.models import Candidate, CandidateSkill, Opening
from triage.selectors import talent as talent_reads
from triage.services import intake, pool, review

pytestmark = pytest.mark.django_db


def network_person(n, *, skills=("Rust",), location="", follow_up_in=None, **fields):
    today = timezone.localdate()
    person = CandidateFactory(
        name=f"Person{n:03d} Example",
        email=f"person{n:03d}@mail.example",
        skills=list(skills),
        location=location,
        next_follow_up=today + timedelta(days=follow_up_in) if follow_up_in is not None else None,
        **fields,
    )
    CandidateRequestFactory(
        candidate=person,
        final_bucket="network",
        recipients_cc=[["Eve Employee", "eve@acme-orbital.example"]],
    )
    return person


def queries(client, url, data=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured), response


# --- Queries: the same for a small pool as for a big one, and for any page size ----------------


def test_the_pool_page_takes_the_same_queries_at_two_sizes_and_page_sizes(recruiter_client):
    for n in range(3):
        network_person(n, skills=["Rust", "SQL"], location="Denver")
    small, response = queries(recruiter_client, reverse("triage:pool"))
    assert len(response.context["entries"]) == 3

    for n in range(3, 75):
        network_person(n, skills=["Rust", "SQL", f"Skill{n}"], location="Denver")
    big, response = queries(recruiter_client, reverse("triage:pool"))
    assert len(response.context["entries"]) == talent_reads.PAGE_SIZE
    filtered, response = queries(
        recruiter_client, reverse("triage:pool"), {"skill": "sql", "location": "den", "page": 2}
    )
    assert len(response.context["entries"]) == 75 - talent_reads.PAGE_SIZE

    assert small == big == filtered
    # session, user, role; count, rows, skills, first requests; suggestions; the bell
    assert big <= 11


def test_the_selector_reads_a_page_of_any_size_in_four_queries(django_assert_num_queries):
    for n in range(30):
        network_person(n, skills=["Rust", "Go"])
    for size in (5, 30):
        with django_assert_num_queries(4):
            page = talent_reads.pool_page(size=size)
            assert len(page.entries) == size
            assert [row.name for row in page.entries[0].skills] == ["Rust", "Go"]


def test_an_opening_page_takes_the_same_queries_at_two_sizes(recruiter_client, profile):
    opening = Opening.objects.create(
        title="Avionics",
        url="https://careers.example/1",
        skills=["Rust", "RTOS"],
        location="Denver",
    )
    url = reverse("triage:opening", args=[opening.pk])
    for n in range(2):
        network_person(n, skills=["Rust"], location="Denver")
    small, response = queries(recruiter_client, url)
    assert len(response.context["fits"]) == 2
    for n in range(2, 40):
        network_person(n, skills=["Rust", "RTOS"])
    big, response = queries(recruiter_client, url)
    assert len(response.context["fits"]) == 20
    assert small == big


# --- Paging and filters ------------------------------------------------------------------------


def test_pages_follow_the_soonest_follow_up_and_keep_the_filters(recruiter_client):
    for n in range(55):
        network_person(n, follow_up_in=n)

    first = recruiter_client.get(reverse("triage:pool"), {"skill": "rust"})
    second = recruiter_client.get(reverse("triage:pool"), {"skill": "rust", "page": 2})

    emails = [e.candidate.email for e in first.context["entries"]]
    emails += [e.candidate.email for e in second.context["entries"]]
    assert emails == [f"person{n:03d}@mail.example" for n in range(55)]
    html = first.content.decode()
    assert "1–50 of 55" in html and 'href="?skill=rust&amp;page=2"' in html
    assert "55 people with these filters" in html
    # A page past the end is the last one, not an error.
    past = recruiter_client.get(reverse("triage:pool"), {"page": 99})
    assert len(past.context["entries"]) == 5


def test_it_filters_by_consent_and_by_name_or_address(recruiter_client):
    now = timezone.now()
    network_person(1, consent_given_at=now, consent_expires_at=now + timedelta(days=300))
    network_person(2, consent_given_at=now, consent_expires_at=now - timedelta(days=1))
    network_person(3)

    def emails(**query):
        response = recruiter_client.get(reverse("triage:pool"), query)
        return [e.candidate.email for e in response.context["entries"]]

    assert emails(consent="given") == ["person001@mail.example"]
    assert emails(consent="none") == ["person002@mail.example", "person003@mail.example"]
    assert emails(q="PERSON003") == ["person003@mail.example"]
    assert emails(q="person002@mail") == ["person002@mail.example"]


def test_a_bad_filter_value_is_ignored_not_an_error(recruiter_client):
    network_person(1)
    response = recruiter_client.get(reverse("triage:pool"), {"page": "x", "consent": "maybe"})
    assert response.status_code == 200
    assert len(response.context["entries"]) == 1


# --- The pool fields follow what happens --------------------------------------------------------


def arrive(profile, body, *, email="noor@mail.example", subject="Keeping in touch"):
    return intake.create_request(
        sender=rules.Address(name="Noor Example", email=email),
        subject=subject,
        body=body,
        received_at=timezone.now(),
        profile=profile,
    )


def test_intake_reads_skills_and_location_with_the_phrase_they_came_from(profile):
    request = arrive(
        profile,
        "Hi! I'm relocating to Berlin in March. I have six years of Rust and embedded C "
        "on flight computers, and some Kubernetes. Could we stay in touch?",
    )

    person = Candidate.objects.get(pk=request.candidate_id)
    rows = list(person.skill_rows.all())
    assert [row.name for row in rows] == ["Rust", "embedded C", "Kubernetes"]
    assert {row.source for row in rows} == {CandidateSkill.Source.MESSAGE}
    assert "six years of Rust and embedded C" in rows[0].evidence
    assert person.location == "Berlin"
    assert "relocating to Berlin" in person.location_evidence


def test_intake_reads_a_known_city_after_in_or_from_but_never_overwrites_a_recruiter(profile):
    first = arrive(profile, "Greetings from Amsterdam! I build dashboards in SQL.")
    person = Candidate.objects.get(pk=first.candidate_id)
    assert person.location == "Amsterdam"
    assert person.location_evidence.startswith("Greetings from Amsterdam!")

    pool.set_location(candidate=person, location="Utrecht")
    pool.set_skills(candidate=person, skills=["SQL"])
    arrive(profile, "Now I live in Lisbon and also write Rust.", subject="Update")

    person.refresh_from_db()
    assert person.location == "Utrecht" and person.location_evidence == ""
    assert person.skills == ["SQL", "Rust"]  # added to, the recruiter's kept


def test_a_request_moved_into_and_out_of_network_later_moves_the_person(profile, recruiter):
    request = CandidateRequestFactory(final_bucket="funnel")
    person = request.candidate
    assert not person.in_pool

    review.override_bucket(request=request, bucket="network", by=recruiter)
    person.refresh_from_db()
    assert person.in_pool and person.last_contact_on == request.received_at.date()
    assert person.follow_up_due == person.last_contact_on + timedelta(days=90)

    review.override_bucket(request=request, bucket="funnel", by=recruiter)
    person.refresh_from_db()
    assert not person.in_pool


def test_refresh_puts_right_what_was_written_without_events():
    person = network_person(1)
    Candidate.objects.filter(pk=person.pk).update(in_pool=False, follow_up_due=None)

    assert pool.refresh_all() == 1
    person.refresh_from_db()
    assert person.in_pool and person.follow_up_due is not None
    assert pool.refresh_all() == 0  # nothing left to change


# --- Editing a row in place -----------------------------------------------------------------


def test_a_row_is_edited_in_place_with_the_evidence_shown(recruiter_client, profile):
    request = arrive(profile, "Hello from Amsterdam, I write Rust.")
    person = Candidate.objects.get(pk=request.candidate_id)
    url = reverse("triage:pool-row", args=[person.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}

    form = recruiter_client.get(url, **htmx).content.decode()
    assert 'name="skills"' in form and 'value="Rust"' in form
    assert "Rust: read from “Hello from Amsterdam, I write Rust.”" in form
    assert "Read from: “Hello from Amsterdam, I write Rust.”" in form

    saved = recruiter_client.post(url, {"skills": "Rust, Go", "location": "Utrecht"}, **htmx)
    row = saved.content.decode()
    assert saved.status_code == 200 and 'class="pool-row"' in row
    assert "Utrecht" in row and "read from" not in row.split("pool-location")[1][:80]
    person.refresh_from_db()
    assert person.skills == ["Rust", "Go"] and person.location == "Utrecht"
    assert not person.location_evidence


def test_a_bad_row_edit_says_why_beside_the_field(recruiter_client):
    person = network_person(1)
    url = reverse("triage:pool-row", args=[person.pk])

    response = recruiter_client.post(
        url, {"skills": "Rust", "location": "x" * 201}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.content.decode()
    person.refresh_from_db()
    assert person.location == ""


def test_without_htmx_the_edit_link_opens_the_candidate_page(recruiter_client):
    person = network_person(1)
    response = recruiter_client.get(reverse("triage:pool-row", args=[person.pk]))
    assert response.status_code == 302
    assert response.url == reverse("triage:candidate", args=[person.pk])


# --- Erasure ---------------------------------------------------------------------------------


def test_erasing_says_its_counts_in_good_english_and_the_pool_forgets(recruiter_client):
    person = network_person(1)
    other = network_person(2)

    response = recruiter_client.post(
        reverse("triage:candidate-erase", args=[person.pk]), {"confirm": "erase"}, follow=True
    )

    html = response.content.decode()
    assert "Erased a person with 1 request and 0 replies." in html
    assert [e.candidate.pk for e in response.context["entries"]] == [other.pk]
    assert "1 person" in html


def test_the_command_refreshes_and_reads_what_pool_people_wrote(profile, capsys):
    from django.core.management import call_command

    person = network_person(1, skills=())
    person.requests.update(body="I'm based in Lisbon and write Rust.")
    Candidate.objects.filter(pk=person.pk).update(in_pool=False)

    call_command("refresh_pool", "--read-text")

    person.refresh_from_db()
    assert person.in_pool and person.location == "Lisbon" and person.skills == ["Rust"]
    out = capsys.readouterr().out
    assert "Pool fields changed for 1 person." in out
    assert "Read 1 skill and 1 location from their words." in out


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_gives_the_planner_its_statistics():
    from triage import periodic, tasks

    network_person(1)
    assert "refresh_statistics" in [job.name for job in periodic.jobs()]

    tasks.refresh_statistics.call()

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'triage_candidate'")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables"
                " WHERE relname = 'triage_candidate' AND last_analyze IS NOT NULL"
            )
        assert cursor.fetchone()[0] >= 1


def test_a_big_pool_is_counted_only_up_to_a_limit(recruiter_client, monkeypatch):
    monkeypatch.setattr(talent_reads, "COUNT_UP_TO", 3)
    monkeypatch.setattr(talent_reads, "PAGE_SIZE", 2)
    for n in range(5):
        network_person(n, follow_up_in=n)

    response = recruiter_client.get(reverse("triage:pool"), {"page": 2})

    html = response.content.decode()
    assert "more than 3 people" in html and "3–4 of more than 3" in html
    assert [e.candidate.email for e in response.context["entries"]] == [
        "person002@mail.example",
        "person003@mail.example",
    ]
    assert 'page=1">Previous' in html and 'page=3">Next' in html
