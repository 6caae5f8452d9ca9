"""The configuration as one file: it round-trips exactly, and a bad file changes nothing."""

import json
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import PROFILE
from tests.factories import UserFactory
from triage import rules
from triage.models import KnownContact, NotablePerson, Opening, TriageProfile
from triage.services import config, profiles

DEMO_PROFILE = Path(__file__).resolve().parents[1] / "triage" / "demo" / "profile.json"


def empty_the_configuration():
    for model in (TriageProfile, Opening, NotablePerson, KnownContact):
        model.objects.all().delete()


@pytest.fixture
def configured(profile):
    manager = UserFactory(username="hm", email="hm@acme-orbital.example")
    Opening.objects.filter(title="Data Analyst").update(
        team="Insights", hiring_manager=manager, is_open=False
    )
    return manager


def test_export_import_export_gives_the_same_bytes(configured):
    first = config.export_config()
    empty_the_configuration()  # accounts are not configuration: the hiring manager stays

    config.import_config(first)

    assert config.export_config() == first


def test_it_round_trips_through_files_into_an_empty_database(db, tmp_path):
    profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))
    call_command("export_config", str(tmp_path / "a.json"))
    empty_the_configuration()

    call_command("import_config", str(tmp_path / "a.json"))
    call_command("export_config", str(tmp_path / "b.json"))

    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert Opening.objects.count() == 8 and KnownContact.objects.count() == 6


def test_the_file_is_sorted_and_says_everything(configured):
    data = json.loads(config.export_config())

    assert list(data) == ["format", "profile", "rules"]
    assert [r["key"] for r in data["rules"]] == [r.name for r in rules.RULES if not r.fallback]
    profile = data["profile"]
    assert profile["recruiter"] == {"name": "Rita Recruiter", "email": "rita@acme-orbital.example"}
    assert [o["title"] for o in profile["openings"]] == ["Data Analyst", "Flight Software Engineer"]
    assert profile["openings"][0] == {
        "title": "Data Analyst",
        "url": "https://careers.acme-orbital.example/jobs/9-data-analyst",
        "team": "Insights",
        "location": "Remote",
        "skills": ["SQL", "dashboards"],
        "hiring_manager": "hm",
        "is_open": False,
    }
    assert profile["contacts"] == [
        {"name": "Omar Known", "email": "omar@known.example", "note": "Ex-colleague"}
    ]


def test_a_hiring_manager_may_be_named_by_email_and_openings_keep_their_page(configured):
    data = json.loads(config.export_config())
    data["profile"]["openings"][0]["hiring_manager"] = "HM@acme-orbital.example"
    data["profile"]["company"] = "Acme Orbital Inc."
    kept = Opening.objects.get(title="Data Analyst").pk

    config.import_config(json.dumps(data))

    opening = Opening.objects.get(title="Data Analyst")
    assert (opening.pk, opening.hiring_manager) == (kept, configured)
    assert TriageProfile.load().company == "Acme Orbital Inc."


def test_a_profile_json_of_import_profile_is_a_valid_profile_section(db):
    text = json.dumps({"format": 1, "profile": PROFILE, "rules": []})

    assert config.import_config(text) == {"profile": "replaced", "rules": "unchanged"}
    assert Opening.objects.get(title="Data Analyst").is_open


def problems_of(data) -> list[str]:
    with pytest.raises(config.ConfigError) as raised:
        config.import_config(data if isinstance(data, str) else json.dumps(data))
    return raised.value.problems


def test_every_problem_is_named_by_where_it_is(configured):
    data = json.loads(config.export_config())
    data["profile"]["openings"][1]["url"] = "not a url"
    data["profile"]["openings"][0]["hiring_manager"] = "nobody"
    data["profile"]["openings"][0]["skills"] = "SQL"
    data["profile"]["contacts"].append({"name": "Twin", "email": "OMAR@known.example"})
    data["profile"]["notable_people"][0]["emial"] = "x@y.example"
    data["profile"]["recruiter"].pop("email")

    assert problems_of(data) == [
        "profile.recruiter.email: missing",
        "profile.openings[0].skills: expected a list of strings, got a string",
        "profile.openings[0].hiring_manager: no single user with username or email 'nobody'",
        "profile.openings[1].url: Enter a valid URL.",
        "profile.notable_people[0].emial: unknown key (expected one of: email, name)",
        "profile.contacts[1].email: the same address as contacts[0]",
    ]


def test_other_names_round_trip_and_reach_the_rules(configured):
    names = {"orbit determination": ["OD", "precise orbit estimation"], "SQL": ["PostgreSQL"]}
    TriageProfile.objects.filter(pk=1).update(other_names=names)
    first = config.export_config()
    assert json.loads(first)["profile"]["other_names"] == names
    empty_the_configuration()

    config.import_config(first)

    assert config.export_config() == first
    assert TriageProfile.load().other_names == names
    assert dict(profiles.load_profile().other_names) == {
        "orbit determination": ("OD", "precise orbit estimation"),
        "SQL": ("PostgreSQL",),
    }


@pytest.mark.parametrize(
    ("other_names", "problem"),
    [
        (["OD"], "profile.other_names: Enter an object of skills and their other names"),
        ({"orbit determination": "OD"}, 'profile.other_names: "orbit determination": expected a'),
        ({"orbit determination": ["OD", 3]}, 'profile.other_names: "orbit determination": each'),
        ({"orbit determination": ["--"]}, 'profile.other_names: "orbit determination": each'),
    ],
)
def test_other_names_of_a_bad_shape_are_a_problem_and_change_nothing(
    configured, other_names, problem
):
    before = config.export_config()
    data = json.loads(before)
    data["profile"]["other_names"] = other_names

    found = problems_of(data)

    assert len(found) == 1 and found[0].startswith(problem), found
    assert config.export_config() == before


def test_a_bad_file_changes_nothing(configured):
    before = config.export_config()
    data = json.loads(before)
    data["profile"]["company"] = "Changed"
    data["profile"]["openings"][0]["is_open"] = "yes"

    assert problems_of(data) == [
        "profile.openings[0].is_open: expected true or false, got a string"
    ]
    assert config.export_config() == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not valid JSON: Expecting property name enclosed in double quotes"),
        ("[]", "expected a JSON object at the top, got a list"),
        ('{"format": 2, "profile": null}', "format: expected 1, got 2"),
        ('{"format": 1}', "profile: missing"),
        ('{"format": 1, "profile": null}', "profile: empty: the file was exported before"),
        ('{"format": 1, "profile": [], "rules": []}', "profile: expected an object, got a list"),
        ('{"format": 1, "rulez": []}', "rulez: unknown section (expected: profile, rules)"),
        ('{"format": 1, "rules": {}}', "rules: expected a list, got an object"),
        ('{"format": 1, "rules": [{"name": "x"}]}', "rules[0].name: unknown key"),
    ],
)
def test_it_refuses_a_malformed_file(db, text, problem):
    assert any(p.startswith(problem) for p in problems_of(text)), problems_of(text)


def test_a_dry_run_checks_and_writes_nothing(configured, tmp_path):
    data = json.loads(config.export_config())
    data["profile"]["company"] = "Elsewhere"
    (tmp_path / "c.json").write_text(json.dumps(data))

    call_command("import_config", str(tmp_path / "c.json"), "--dry-run")

    assert TriageProfile.load().company == "Acme Orbital"


def test_the_command_lists_the_problems(db, tmp_path):
    (tmp_path / "bad.json").write_text('{"format": 1, "profile": {"company": 3}}')

    with pytest.raises(CommandError) as raised:
        call_command("import_config", str(tmp_path / "bad.json"))

    message = str(raised.value)
    assert "nothing imported" in message
    assert "  profile.company: expected a string, got a number" in message
    assert "  profile.careers_url: missing" in message


# --- One profile importer ----------------------------------------------------------------


def test_import_profile_keeps_an_opening_s_page(configured, tmp_path):
    """`manage.py import_profile` writes like the configuration import: an opening with the
    same key (its URL) keeps its page; the team and hiring manager a profile.json does not
    name stay as recruiters set them, and the file lists it, so it is open."""
    analyst = Opening.objects.get(title="Data Analyst")
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(PROFILE))

    call_command("import_profile", str(path))

    again = Opening.objects.get(title="Data Analyst")
    assert again.pk == analyst.pk
    assert (again.team, again.hiring_manager, again.is_open) == ("Insights", configured, True)


def test_import_profile_lists_every_problem_and_writes_nothing(profile, tmp_path):
    bad = {**PROFILE, "company": 7, "contacts": [{"name": "No address"}], "colour": "red"}
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(bad))

    with pytest.raises(CommandError) as raised:
        call_command("import_profile", str(path))

    message = str(raised.value)
    assert "profile.company: expected a string" in message
    assert "profile.contacts[0].email: missing" in message
    assert "profile.colour: unknown key" in message
    assert TriageProfile.load().company == PROFILE["company"]


def test_both_ways_in_give_the_same_profile(db):
    profiles.import_profile(PROFILE)
    by_command = config.export_config()
    empty_the_configuration()

    config.import_config(json.dumps({"format": 1, "profile": PROFILE, "rules": []}))

    assert json.loads(config.export_config())["profile"] == json.loads(by_command)["profile"]


# --- Hostile files: limits checked before parsing -----------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", '{"format": 1, "profile": ' + "[" * 50_000 + "]" * 50_000 + "}"),
        ("deep.yaml", "format: 1\nprofile: " + "[" * 20_000 + "]" * 20_000 + "\n"),
        (
            "deep-blocks.yaml",
            "".join("  " * i + "a:\n" for i in range(2_000)) + "  " * 2_000 + "1\n",
        ),
        ("deep-list.yml", "- " * 5_000 + "x\n"),
    ],
)
def test_a_deeply_nested_file_is_refused_before_it_is_parsed(configured, tmp_path, name, text):
    (tmp_path / name).write_text(text)
    before = config.export_config()
    started = time.monotonic()

    with pytest.raises(CommandError) as raised:
        call_command("import_config", str(tmp_path / name))

    assert time.monotonic() - started < 3
    assert "  nested more than 32 levels deep" in str(raised.value)
    assert config.export_config() == before


def test_a_file_may_nest_up_to_the_limit(db):
    nested = "[" * config.MAX_DEPTH + "]" * config.MAX_DEPTH
    assert config.json_depth('{"a": "[[[[", "b": "\\"{{"}') == 1
    assert config.json_depth(nested) == config.MAX_DEPTH
    with pytest.raises(config.ConfigError) as raised:
        config.parse_config('{"a": ' + nested + "}")
    assert raised.value.problems == ["nested more than 32 levels deep"]


def test_a_file_over_the_size_limit_is_refused_unread(db):
    text = '{"format": 1, "x": "' + "a" * config.MAX_CONFIG_BYTES + '"}'

    with pytest.raises(config.ConfigError) as raised:
        config.import_config(text.encode())

    assert raised.value.problems == ["the file is larger than 5 MB"]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_number_too_long_for_python_is_a_problem_not_a_crash(db, fmt):
    text = '{"format": ' + "1" * 5_000 + "}"

    with pytest.raises(config.ConfigError) as raised:
        config.parse_config(text, fmt=fmt)

    assert raised.value.problems[0].startswith(f"not valid {fmt.upper()}: ")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "JavaScript://x.example/%0aalert(1)", "ftp://x.example/"],
)
def test_an_opening_url_must_be_http_or_https(configured, tmp_path, url):
    data = json.loads(config.export_config())
    data["profile"]["openings"][0]["url"] = url
    (tmp_path / "profile.json").write_text(json.dumps(data["profile"]))
    before = config.export_config()

    with pytest.raises(CommandError) as raised:
        call_command("import_profile", str(tmp_path / "profile.json"))

    assert "profile.openings[0].url: Enter a valid URL." in str(raised.value)
    assert config.export_config() == before
