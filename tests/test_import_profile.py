"""Running `import_profile` again keeps openings by key (their URL, or an explicit `key`):
updated in place, closed (never deleted) when the file drops them, so a role keeps its
page, its hiring manager and who was already told about it."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import PROFILE
from tests.factories import CandidateRequestFactory, UserFactory
from triage.models import Opening, Reply
from triage.services import config, outbox, profiles

pytestmark = pytest.mark.django_db

FLIGHT = "https://careers.acme-orbital.example/jobs/7-flight-software"


def load(tmp_path, data):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data))
    call_command("import_profile", str(path))


def told_about(opening) -> Reply:
    request = CandidateRequestFactory(final_bucket="network", status="replied")
    return outbox.queue_reply(
        request=request,
        template=None,
        subject="A role opened",
        body="It fits you.",
        by=UserFactory(username="rita"),
        opening=opening,
    )


def test_loading_the_same_file_again_changes_no_opening(tmp_path, profile):
    before = {o.key: o.pk for o in Opening.objects.all()}
    reply = told_about(Opening.objects.get(url=FLIGHT))

    load(tmp_path, PROFILE)
    load(tmp_path, PROFILE)

    assert {o.key: o.pk for o in Opening.objects.all()} == before
    assert set(before) == {o["url"] for o in PROFILE["openings"]}
    reply.refresh_from_db()
    assert reply.opening.url == FLIGHT  # "already told about this role" survives


def test_a_changed_title_updates_the_role_in_place(tmp_path, profile):
    flight = Opening.objects.get(url=FLIGHT)
    data = copy.deepcopy(PROFILE)
    data["openings"][0]["title"] = "Senior Flight Software Engineer"
    data["openings"][0]["skills"] = ["Rust"]

    load(tmp_path, data)

    again = Opening.objects.get(pk=flight.pk)
    assert (again.title, again.skills, again.is_open) == (
        "Senior Flight Software Engineer",
        ["Rust"],
        True,
    )
    assert Opening.objects.count() == 2


def test_a_role_the_file_drops_is_closed_not_deleted(tmp_path, profile):
    flight = Opening.objects.get(url=FLIGHT)
    reply = told_about(flight)
    data = copy.deepcopy(PROFILE)
    data["openings"] = data["openings"][1:]

    load(tmp_path, data)

    flight.refresh_from_db()
    assert not flight.is_open
    reply.refresh_from_db()
    assert reply.opening_id == flight.pk
    assert [o.title for o in profiles.load_profile().openings] == ["Data Analyst"]

    load(tmp_path, PROFILE)  # listed again: the same row, open again

    flight.refresh_from_db()
    assert flight.is_open and Opening.objects.count() == 2


def test_an_explicit_key_follows_a_role_whose_url_changes(tmp_path, db):
    data = copy.deepcopy(PROFILE)
    data["openings"][0]["key"] = "flight-sw"
    load(tmp_path, data)
    flight = Opening.objects.get(key="flight-sw")

    data["openings"][0]["url"] = "https://jobs.acme-orbital.example/flight-software"
    load(tmp_path, data)

    again = Opening.objects.get(key="flight-sw")
    assert again.pk == flight.pk
    assert again.url == "https://jobs.acme-orbital.example/flight-software"
    exported = json.loads(config.export_config())["profile"]["openings"]
    assert [o.get("key") for o in exported] == [None, "flight-sw"]  # the URL key goes unsaid


def test_two_roles_with_one_key_are_a_problem_and_nothing_is_written(tmp_path, profile):
    data = copy.deepcopy(PROFILE)
    data["openings"][1]["url"] = FLIGHT

    with pytest.raises(CommandError) as raised:
        load(tmp_path, data)

    assert "profile.openings[1]: the same key as openings[0]" in str(raised.value)
    assert Opening.objects.filter(url=FLIGHT).count() == 1


def test_an_opening_created_in_the_app_is_matched_by_its_url(tmp_path, profile):
    Opening.objects.all().delete()
    made_here = Opening.objects.create(title="Flight SW", url=FLIGHT)  # no key yet

    load(tmp_path, PROFILE)

    made_here.refresh_from_db()
    assert (made_here.title, made_here.key) == ("Flight Software Engineer", FLIGHT)
    assert Opening.objects.count() == 2
