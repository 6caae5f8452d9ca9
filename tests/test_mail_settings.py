"""Configuration honesty: a wrong mail setting is one clear banner on the Outbox page (the
replies wait, none fails), the defaults are the README's, and links point where `make run`
serves."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateRequestFactory, UserFactory
from triage.models import Reply
from triage.services import outbox

ROOT = Path(__file__).resolve().parents[1]


def settings_value(expression: str, **env) -> str:
    code = f"from django.conf import settings; print({expression})"
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EMAIL_", "ANYMAIL_")) and k not in ("HOST", "PORT", "SITE_URL")
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        env={**clean, "DEBUG": "1", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.django_db
def test_a_server_without_starttls_is_one_banner_and_the_replies_wait(
    smtp, settings, profile, recruiter_client
):
    # aiosmtpd without a TLS context offers no STARTTLS, like a local relay.
    settings.MAILERS["default"]["OPTIONS"]["use_tls"] = True
    replies = [
        outbox.queue_reply(
            request=CandidateRequestFactory(subject=f"Hello {n}"),
            template=None,
            subject="Re: Hello",
            body="Hi",
            by=UserFactory(),
        )
        for n in range(3)
    ]
    for reply in replies:
        outbox.send_reply(reply.pk)

    rows = Reply.objects.filter(pk__in=[r.pk for r in replies])
    assert set(rows.values_list("status", "attempts")) == {(Reply.Status.QUEUED, 0)}
    page = recruiter_client.get(reverse("triage:outbox")).content.decode()
    assert page.count('id="mail-config-error"') == 1
    assert "does not offer STARTTLS" in page and "EMAIL_USE_TLS=0" in page
    assert "3 replies wait in the queue, not failed" in page
    assert 'data-count="failed">0<' in page

    settings.MAILERS["default"]["OPTIONS"]["use_tls"] = False  # the fix
    rows.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert outbox.send_due_replies() == 3

    assert set(rows.values_list("status", flat=True)) == {Reply.Status.SENT}
    assert len(smtp.messages) == 3
    page = recruiter_client.get(reverse("triage:outbox")).content.decode()
    assert 'id="mail-config-error"' not in page


def test_smtp_uses_starttls_by_default_as_the_readme_says():
    options = "settings.MAILERS['default']['OPTIONS']"
    assert settings_value(
        f"{options}['use_tls'], {options}['port']", EMAIL_HOST="smtp.example"
    ) == ("True 587")
    assert settings_value(f"{options}['use_tls']", EMAIL_HOST="x", EMAIL_USE_TLS="0") == "False"
    readme = (ROOT / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith("| `EMAIL_USE_TLS`"))
    assert "| on (STARTTLS) |" in row and "EMAIL_USE_TLS=0" in row
    port_row = next(line for line in readme.splitlines() if line.startswith("| `EMAIL_PORT`"))
    assert "| `587` |" in port_row


def test_site_url_follows_the_host_and_port_make_run_serves_on():
    assert settings_value("settings.SITE_URL", HOST="127.0.0.1", PORT="8123") == (
        "http://127.0.0.1:8123"
    )
    assert settings_value("settings.SITE_URL") == "http://127.0.0.1:8000"
    assert settings_value("settings.SITE_URL", PORT="9000", SITE_URL="https://jobs.example") == (
        "https://jobs.example"
    )
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^export HOST PORT$", makefile, re.M)
