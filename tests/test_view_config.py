"""The configuration page: download the file, load one (staff), errors beside the field."""

import json
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from triage.models import RuleSetVersion, TriageProfile
from triage.services import config

PAGE = reverse("triage:config")
EXPORT = reverse("triage:config-export")


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("triage-config.json", text.encode(), "application/json")


def test_it_requires_login(client, db):
    for url in (PAGE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_it_refuses_other_methods(recruiter_client):
    assert recruiter_client.put(PAGE).status_code == 405
    assert recruiter_client.post(EXPORT).status_code == 405


def test_the_download_is_the_exported_file(recruiter_client, profile):
    response = recruiter_client.get(EXPORT)

    assert response["Content-Disposition"] == 'attachment; filename="triage-config.json"'
    assert response.content.decode() == config.export_config()
    assert json.loads(response.content)["profile"]["company"] == "Acme Orbital"


def test_only_staff_may_load_a_file(recruiter_client, profile):
    text = config.export_config().replace("Acme Orbital", "Someone Else")

    response = recruiter_client.post(PAGE, {"file": upload(text)})

    assert response.status_code == 403
    assert "Only staff may load a configuration." in response.content.decode()
    assert TriageProfile.load().company == "Acme Orbital"


def test_staff_load_a_file(recruiter_client, recruiter, profile):
    recruiter.is_staff = True
    recruiter.save()
    text = config.export_config().replace('"Acme Orbital"', '"Acme Orbital GmbH"')

    response = recruiter_client.post(PAGE, {"file": upload(text)}, follow=True)

    assert TriageProfile.load().company == "Acme Orbital GmbH"
    assert "The file is loaded (profile: replaced; rules: unchanged)." in response.content.decode()


def test_a_bad_file_shows_every_problem_beside_the_field_and_changes_nothing(
    recruiter_client, recruiter, profile
):
    recruiter.is_staff = True
    recruiter.save()
    data = json.loads(config.export_config())
    data["profile"]["company"] = "Changed"
    data["profile"]["openings"][0]["url"] = "nope"
    data["profile"]["contacts"][0]["email"] = 7

    response = recruiter_client.post(PAGE, {"file": upload(json.dumps(data))})

    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert errors == [
        "profile.openings[0].url: Enter a valid URL.",
        "profile.contacts[0].email: expected a string, got a number",
    ]
    assert "profile.openings[0].url: Enter a valid URL." in response.content.decode()
    assert TriageProfile.load().company == "Acme Orbital"


def test_a_dry_run_from_the_page_changes_nothing(recruiter_client, recruiter, profile):
    recruiter.is_staff = True
    recruiter.save()
    text = config.export_config().replace('"Acme Orbital"', '"Elsewhere"')

    response = recruiter_client.post(PAGE, {"file": upload(text), "dry_run": "on"}, follow=True)

    assert "The file is valid; nothing was changed" in response.content.decode()
    assert TriageProfile.load().company == "Acme Orbital"


def test_a_rule_list_loaded_from_the_page_is_one_version_by_the_staff_member(
    recruiter_client, recruiter, profile
):
    recruiter.is_staff = True
    recruiter.save()
    data = json.loads(config.export_config())
    data["rules"][0]["enabled"] = False
    data["rules"].append(
        {
            "key": "rust",
            "title": "Rust people",
            "bucket": "exceptional",
            "conditions": [{"on": "body", "test": "any", "words": ["rust"]}],
        }
    )

    response = recruiter_client.post(PAGE, {"file": upload(json.dumps(data))}, follow=True)

    assert "rules: 1 added, 1 changed" in response.content.decode()
    version = RuleSetVersion.objects.latest("pk")
    assert (version.change, version.created_by) == ("Imported from file", recruiter)
    assert set(version.after["rules"]) == {"rust", data["rules"][0]["key"]}
    # Exported again, the new rule is written out whole, its defaults filled in.
    assert json.loads(config.export_config())["rules"][-1] == {
        "key": "rust",
        "builtin": False,
        "title": "Rust people",
        "enabled": True,
        "match": "all",
        "bucket": "exceptional",
        "conditions": [{"on": "body", "test": "any", "words": ["rust"]}],
        "template": None,
        "assignee": None,
    }


def test_the_page_downloads_and_loads_yaml(recruiter_client, recruiter, profile):
    recruiter.is_staff = True
    recruiter.save()
    download = recruiter_client.get(EXPORT, {"format": "yaml"})
    assert download["Content-Disposition"] == 'attachment; filename="triage-config.yaml"'
    text = download.content.decode()
    assert text == config.export_config(fmt="yaml")
    assert "company: Acme Orbital\n" in text

    yaml_file = SimpleUploadedFile(
        "team.yml", text.replace("company: Acme Orbital\n", "company: Acme Yaml\n").encode()
    )
    response = recruiter_client.post(PAGE, {"file": yaml_file}, follow=True)

    assert "The file is loaded (profile: replaced; rules: unchanged)." in response.content.decode()
    assert TriageProfile.load().company == "Acme Yaml"


def test_a_deeply_nested_file_gets_a_quick_form_error(recruiter_client, recruiter, profile):
    recruiter.is_staff = True
    recruiter.save()
    before = config.export_config()
    hostile = SimpleUploadedFile("team.yaml", b"format: 1\nprofile: " + b"[" * 40_000)
    started = time.monotonic()

    response = recruiter_client.post(PAGE, {"file": hostile})

    assert time.monotonic() - started < 3
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["nested more than 32 levels deep"]
    assert "nested more than 32 levels deep" in response.content.decode()
    assert config.export_config() == before
