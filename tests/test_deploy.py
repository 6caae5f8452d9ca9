"""Production settings: `check --deploy` is clean, https is the default, the proxy header is
trusted only when said, and no page with candidates' data may be cached."""

import os
import subprocess
import sys

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateRequestFactory
from tests.test_settings import ROOT, run_python
from triage.models import Attachment, Message

PRODUCTION = {
    "SECRET_KEY": "p9Kq-3vX_t7LmZ2wR8sYcJ4nB6hD1fG5aE0uI-oPqWxVzTyUkMjNb",
    "ALLOWED_HOSTS": "triage.acme.example",
    "DATABASE_URL": "postgres://triage@db.invalid:5432/triage",  # settings alone never connect
    "SITE_URL": "https://triage.acme.example",
}
SETTINGS = (
    "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
    "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
)


# The accounts settings (README, "Accounts and security") as a deployment would set them.
ACCOUNTS = {
    "REQUIRE_2FA_FOR_STAFF": "1",
    "AXES_FAILURE_LIMIT": "5",
    "AXES_COOLOFF_MINUTES": "30",
    "AUDIT_RETENTION_DAYS": "400",
    "PROXY_SETS_X_FORWARDED_PROTO": "1",
}


def answering_postgresql() -> str:
    """A PostgreSQL server that answers: `check` asks it its version, which decides whether
    it can compute Reply.outbox_tab (a GeneratedField), as in production, where the database
    answers. The suite's own on its PostgreSQL run, else the local one; skipped without."""
    own = os.environ.get("DATABASE_URL", "")
    candidates = [own] if own.startswith(("postgres://", "postgresql://")) else []
    for url in [*candidates, "postgres://postgres@127.0.0.1:5432/postgres"]:
        try:
            psycopg.connect(url, connect_timeout=3).close()
        except psycopg.OperationalError:
            continue
        return url
    pytest.skip("check --deploy needs a PostgreSQL server that answers")


@pytest.mark.parametrize("extra", [{}, ACCOUNTS], ids=["defaults", "accounts-settings"])
def test_check_deploy_with_the_production_environment_exits_0_without_warnings(tmp_path, extra):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "VAR_DIR": str(tmp_path),
            **PRODUCTION,
            "DATABASE_URL": answering_postgresql(),
            **extra,
        },
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_is_https_only_by_default(tmp_path):
    result = run_python(SETTINGS, tmp_path, VAR_DIR=str(tmp_path), **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "None"]


def test_each_https_default_is_turned_off_by_an_explicit_setting(tmp_path):
    result = run_python(
        SETTINGS,
        tmp_path,
        VAR_DIR=str(tmp_path),
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_COOKIES="0",
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "0", "False", "False", "None"]


def test_the_proxy_header_is_trusted_only_when_a_setting_says_a_proxy_sets_it(tmp_path):
    result = run_python(
        SETTINGS, tmp_path, VAR_DIR=str(tmp_path), PROXY_SETS_X_FORWARDED_PROTO="1", **PRODUCTION
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["('HTTP_X_FORWARDED_PROTO',", "'https')"]


@pytest.mark.django_db
def test_a_spoofed_forwarded_proto_does_not_make_http_look_like_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None  # what production has without the setting

    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


# --- Cache-Control: no-store on pages with candidates' data ---------------------------------


def is_no_store(response) -> bool:
    return (
        "no-store" in response.get("Cache-Control", "") and "private" in response["Cache-Control"]
    )


def test_pages_with_candidate_data_are_not_stored(recruiter_client, profile):
    request = CandidateRequestFactory(subject="Rust?")
    message = Message.objects.create(
        request=request, sender="a@mail.example", received_at=timezone.now(), message_id="<m>"
    )
    attachment = Attachment(message=message, filename="cv.txt", content_type="text/plain", size=4)
    attachment.file.save("cv.txt", ContentFile(b"Rust"), save=True)

    for url in [
        reverse("triage:inbox"),
        reverse("triage:request", args=[request.pk]),
        reverse("triage:candidate", args=[request.candidate.pk]),
        reverse("triage:attachment", args=[attachment.pk]),
        reverse("triage:pool"),
    ]:
        response = recruiter_client.get(url)
        assert response.status_code == 200, url
        assert is_no_store(response), (url, response.get("Cache-Control"))


def test_static_files_stay_cacheable(settings, db):
    settings.WHITENOISE_USE_FINDERS = True

    response = Client().get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
