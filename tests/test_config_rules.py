"""The rules in the configuration file: the ordered list round-trips exactly, every bad
entry is named by its place, and an import is one rule-set version (or none)."""

import json

import pytest
from django.core.management import call_command

from tests.factories import ReplyTemplateFactory, UserFactory
from triage.models import RuleSetVersion, TriageProfile, TriageRule
from triage.services import config, rulebook

BUILTINS = ["notable_person", "distinguished_record", "employee_introduction", "known_contact"]
BUILTINS += ["relevant_skills_no_job_ask"]


@pytest.fixture
def team(profile, recruiter):
    """A rule list with every kind of setting: built-ins switched off, given a template or
    an assignee, custom rules of each match mode and condition kind, and a new order."""
    intro = ReplyTemplateFactory(name="Warm intro", bucket="network")
    manager = UserFactory(username="hm", email="hm@acme-orbital.example")
    TriageRule.objects.filter(key="known_contact").update(enabled=False)
    TriageRule.objects.filter(key="notable_person").update(template=intro)
    TriageRule.objects.filter(key="employee_introduction").update(assignee=manager)
    rulebook.save_rule(
        row=TriageRule(
            title="Academics",
            bucket="network",
            match="any",
            conditions=[
                {"on": "body", "test": "all", "words": ["phd", "postdoc"]},
                {"on": "subject", "test": "regex", "pattern": r"\bprof(essor)?\b"},
            ],
            template=intro,
            assignee=manager,
        ),
        by=recruiter,
    )
    academics = TriageRule.objects.get(key="academics")
    rulebook.move_rule(row=academics, up=True, by=recruiter)
    rulebook.save_rule(
        row=TriageRule(
            title="Résumé attached",
            bucket="funnel",
            enabled=False,
            conditions=[{"on": "has_attachments"}],
        ),
        by=recruiter,
    )
    return {"template": intro, "manager": manager}


def empty_the_database():
    """As a new install is: no configuration, and the built-in rules the migration lists
    (as version 1). Accounts and reply templates are not configuration: they stay."""
    TriageProfile.objects.all().delete()
    RuleSetVersion.objects.all().delete()
    TriageRule.objects.all().delete()
    rulebook.sync_builtin_rules()


def test_the_rules_round_trip_exactly_into_an_empty_database(team, tmp_path):
    call_command("export_config", str(tmp_path / "a.json"))
    empty_the_database()
    versions = RuleSetVersion.objects.count()

    call_command("import_config", str(tmp_path / "a.json"))
    call_command("export_config", str(tmp_path / "b.json"))

    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert RuleSetVersion.objects.count() == versions + 1
    academics = TriageRule.objects.get(key="academics")
    assert (academics.template, academics.assignee) == (team["template"], team["manager"])
    # What triage runs is the imported list: the rule set in force has the custom rule.
    book = rulebook.current_rulebook()
    names = [rule.name for rule in book.rule_set.rules]
    assert names[:2] == ["notable_person", "distinguished_record"]
    assert "academics" in names and "known_contact" not in names
    assert book.actions["academics"].assignee_id == team["manager"].pk


def test_the_file_lists_the_rules_in_order_readably(team):
    listed = json.loads(config.export_config())["rules"]

    assert [r["key"] for r in listed] == [
        *BUILTINS[:4],
        "academics",
        "relevant_skills_no_job_ask",
        "resume_attached",
    ]
    assert listed[0] == {
        "key": "notable_person",
        "builtin": True,
        "enabled": True,
        "template": "Warm intro",
        "assignee": None,
    }
    assert listed[3]["enabled"] is False
    assert listed[4] == {
        "key": "academics",
        "builtin": False,
        "title": "Academics",
        "enabled": True,
        "match": "any",
        "bucket": "network",
        "conditions": [
            {"on": "body", "test": "all", "words": ["phd", "postdoc"]},
            {"on": "subject", "test": "regex", "pattern": r"\bprof(essor)?\b"},
        ],
        "template": "Warm intro",
        "assignee": "hm",
    }
    assert listed[6]["conditions"] == [{"on": "has_attachments"}]


def edited_file(team) -> dict:
    """The team's file with 2 rules added, 1 changed, 1 removed and one moved to the top."""
    data = json.loads(config.export_config())
    listed = data["rules"]
    listed[4]["title"] = "Researchers"  # academics
    listed.pop()  # resume_attached
    listed.insert(0, listed.pop(5))  # relevant_skills_no_job_ask to the top
    listed.append(
        {
            "key": "rust",
            "title": "Rust people",
            "bucket": "exceptional",
            "conditions": [{"on": "body", "words": ["rust"]}],
        }
    )
    listed.append(
        {
            "key": "referrals",
            "title": "Referrals",
            "bucket": "network",
            "conditions": [{"on": "employee_domain"}],
            "assignee": "hm@acme-orbital.example",  # an email address names a user too
        }
    )
    return data


def test_an_import_is_one_version_by_the_importer_in_each_changed_rules_history(team, recruiter):
    before = RuleSetVersion.objects.latest("pk").pk

    changed = config.import_config(json.dumps(edited_file(team)), by=recruiter)

    assert changed["rules"] == "2 added, 1 changed, 1 removed, order changed"
    version = RuleSetVersion.objects.get(pk__gt=before)
    assert (version.change, version.created_by) == ("Imported from file", recruiter)
    assert [item["key"] for item in version.snapshot] == [
        "relevant_skills_no_job_ask",
        *BUILTINS[:4],
        "academics",
        "rust",
        "referrals",
    ]
    assert not TriageRule.objects.filter(key="resume_attached").exists()
    referrals = TriageRule.objects.get(key="referrals")
    assert referrals.assignee == team["manager"] and referrals.position == 7

    academics = TriageRule.objects.get(key="academics")
    history = list(rulebook.rule_history(academics))
    assert history[0] == version
    assert rulebook.changes(version, academics) == [("Title", "Academics", "Researchers")]
    moved = TriageRule.objects.get(key="relevant_skills_no_job_ask")
    assert rulebook.changes(version, moved) == [("Position", 6, 1)]
    assert ("Title", None, "Referrals") in rulebook.changes(version, referrals)
    untouched = TriageRule.objects.get(key="notable_person")
    assert version not in rulebook.rule_history(untouched)


def test_an_import_that_changes_nothing_records_no_version(team):
    text = config.export_config()
    versions = list(RuleSetVersion.objects.values_list("pk", flat=True))

    assert config.import_config(text) == {"profile": "unchanged", "rules": "unchanged"}
    assert list(RuleSetVersion.objects.values_list("pk", flat=True)) == versions


def test_the_history_page_shows_the_import(team, recruiter, recruiter_client):
    config.import_config(json.dumps(edited_file(team)), by=recruiter)
    academics = TriageRule.objects.get(key="academics")

    page = recruiter_client.get(f"/rules/{academics.pk}/history/").content.decode()

    assert "Imported from file" in page
    assert "<td>Title</td><td><code>Academics</code></td><td><code>Researchers</code></td>" in page


def test_a_dry_run_says_what_would_change_and_writes_nothing(team, tmp_path, capsys):
    (tmp_path / "c.json").write_text(json.dumps(edited_file(team)))
    before = config.export_config()
    versions = RuleSetVersion.objects.count()

    call_command("import_config", str(tmp_path / "c.json"), "--dry-run")

    out = capsys.readouterr().out
    assert "is valid (dry run: nothing written)" in out
    assert "  rules: 2 added, 1 changed, 1 removed, order changed" in out
    assert "  profile: unchanged" in out
    assert config.export_config() == before
    assert RuleSetVersion.objects.count() == versions


def test_a_built_in_rule_the_file_leaves_out_stays_after_the_listed_ones(team):
    data = json.loads(config.export_config())
    data["rules"] = [r for r in data["rules"] if r["key"] != "notable_person"]

    config.import_config(json.dumps(data))

    keys = list(TriageRule.objects.values_list("key", flat=True))
    assert keys[-1] == "notable_person"
    assert TriageRule.objects.get(key="notable_person").template == team["template"]


def problems_of(data) -> list[str]:
    with pytest.raises(config.ConfigError) as raised:
        config.import_config(json.dumps(data))
    return raised.value.problems


def test_every_bad_rule_is_named_by_its_place_and_nothing_changes(team):
    before = config.export_config()
    data = json.loads(before)
    listed = data["rules"]
    listed[0]["key"] = "notable_persons"
    listed[1]["template"] = "No such template"
    listed[2]["assignee"] = "nobody"
    listed[3]["enabled"] = "no"
    listed[4]["conditions"][1]["pattern"] = r"(\w+)\s\1"  # a back-reference: not RE2
    listed[4]["conditions"][0]["words"] = [" ", "-"]
    listed[5]["title"] = "A built-in rule's title is code"
    listed[6]["title"] = "x" * 201
    listed[6]["bucket"] = "maybe"
    listed[6]["conditions"].append({"on": "mood"})
    listed.append({"key": "academics", "title": "Twin", "bucket": "network", "conditions": []})
    listed.append({"key": "known_contact", "title": "Mine", "bucket": "network",
                   "conditions": [{"on": "body", "test": "near", "words": ["a"]}]})  # fmt: skip
    listed.append({"key": "Bad Key", "title": "Mine", "bucket": "network", "match": "most",
                   "conditions": [{"on": "body", "words": "rust", "pattren": "x"}]})  # fmt: skip

    problems = problems_of(data)

    assert problems[0].startswith(
        "rules[0].key: no built-in rule 'notable_persons' (expected one of: distinguished_record,"
    )
    assert problems[1:] == [
        "rules[1].template: no reply template named 'No such template'",
        "rules[2].assignee: no single user with username or email 'nobody'",
        "rules[3].enabled: expected true or false, got a string",
        "rules[4].conditions[0].words: Enter at least one word or phrase.",
        "rules[4].conditions[1].pattern: Not a pattern this app can run: invalid escape "
        "sequence: \\1. Back-references and look-arounds are not supported, so that every "
        "pattern runs in linear time.",
        "rules[5].title: unknown key (expected one of: assignee, builtin, enabled, key, template)",
        "rules[6].conditions[1].on: Unknown thing to check: 'mood'.",
        "rules[6].title: Ensure this value has at most 200 characters (it has 201).",
        "rules[6].bucket: Value 'maybe' is not a valid choice.",
        "rules[7].conditions: Add at least one condition.",
        "rules[7].key: the same key as rules[4]",
        "rules[8].key: 'known_contact' is a built-in rule's key: add \"builtin\": true",
        "rules[8].conditions[0].test: Unknown test: 'near'.",
        "rules[8].key: the same key as rules[3]",
        "rules[9].key: use lowercase letters, digits and underscores only",
        "rules[9].conditions[0].pattren: unknown key (expected one of: on, pattern, test, words)",
        "rules[9].conditions[0].words: expected a list of strings, got a string",
        "rules[9].match: Value 'most' is not a valid choice.",
    ]
    assert config.export_config() == before


def test_a_profile_problem_stops_the_rules_too(team):
    """All or nothing across sections: a valid rule list is not loaded beside a bad profile."""
    data = edited_file(team)
    data["profile"]["careers_url"] = "not a url"
    versions = RuleSetVersion.objects.count()

    assert problems_of(data) == ["profile.careers_url: Enter a valid URL."]
    assert RuleSetVersion.objects.count() == versions
    assert not TriageRule.objects.filter(key="rust").exists()


def test_a_built_in_rule_missing_from_the_table_is_listed_as_sync_would(team):
    text = config.export_config()
    TriageRule.objects.all().delete()

    changed = config.import_config(text)

    assert changed["rules"] == "7 added"
    row = TriageRule.objects.get(key="known_contact")
    assert (row.title, row.bucket, row.builtin, row.enabled) == (
        "Known contact",
        "network",
        True,
        False,
    )
    assert config.export_config() == text


# --- YAML ------------------------------------------------------------------------------------


def test_yaml_round_trips_exactly_and_says_the_same_as_json(team, tmp_path):
    # Values YAML would read as something else if written bare: they come back as strings.
    rulebook.save_rule(
        row=TriageRule(
            title="no",
            bucket="network",
            conditions=[
                {"on": "body", "test": "any", "words": ["yes", "null", "1.0", "#tag", "é: x"]},
                {"on": "sender", "test": "regex", "pattern": "^'?[a-z]+\": @x.example$"},
            ],
        ),
        by=None,
    )
    json_before = config.export_config()
    call_command("export_config", str(tmp_path / "a.yaml"))
    empty_the_database()

    call_command("import_config", str(tmp_path / "a.yaml"))
    call_command("export_config", str(tmp_path / "b.yml"))

    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yml").read_bytes()
    assert config.export_config() == json_before
    text = (tmp_path / "a.yaml").read_text("utf-8")
    assert text.startswith("format: 1\nprofile:\n")
    assert (
        "- key: notable_person\n  builtin: true\n  enabled: true\n  template: Warm intro\n" in text
    )
    assert "  words:\n    - 'yes'\n    - 'null'\n    - '1.0'\n    - '#tag'\n    - 'é: x'\n" in text


def yaml_problems(text: str) -> list[str]:
    with pytest.raises(config.ConfigError) as raised:
        config.import_config(text, fmt="yaml")
    return raised.value.problems


def test_a_yaml_file_is_checked_like_a_json_one(team):
    text = config.export_config(fmt="yaml").replace(
        r"pattern: \bprof(essor)?\b", r"pattern: (?<=dr )\w+"
    )
    before = config.export_config()

    assert yaml_problems(text) == [
        "rules[4].conditions[1].pattern: Not a pattern this app can run: invalid perl "
        "operator: (?<=. Back-references and look-arounds are not supported, so that every "
        "pattern runs in linear time."
    ]
    assert config.export_config() == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("format: [1\n", "not valid YAML: while parsing a flow sequence"),
        ("- 1\n", "expected a YAML mapping at the top, got a list"),
        ("format: 1\nprofile: &p {}\nrules: *p\n", "not accepted: YAML aliases (*name)"),
        ("format: 1\nprofile: !!python/object:os.system {}\n", "not valid YAML: could not"),
    ],
)
def test_a_malformed_yaml_file_is_refused(db, text, problem):
    problems = yaml_problems(text)
    assert problems[0].startswith(problem), problems
