"""`make serve` refuses to start without its environment, naming what is missing, before it
touches the database."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL")
GOOD = {
    "SECRET_KEY": "k" * 50,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/triage",
    "ALLOWED_HOSTS": "jobs.example.com",
    "SITE_URL": "https://jobs.example.com",
}


def serve_check(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in REQUIRED and k != "DEBUG"}
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "serve-check"],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_every_missing_variable_is_named():
    result = serve_check()
    assert result.returncode != 0
    assert "make serve needs these environment variables: " + " ".join(REQUIRED) in result.stderr


@pytest.mark.parametrize("missing", REQUIRED)
def test_one_missing_variable_is_named_alone(missing):
    result = serve_check(**{k: v for k, v in GOOD.items() if k != missing})
    assert result.returncode != 0
    assert f"environment variables: {missing}\n" in result.stderr


def test_sqlite_and_debug_are_refused_and_a_full_environment_passes():
    sqlite = serve_check(**(GOOD | {"DATABASE_URL": "sqlite:///var/db.sqlite3"}))
    assert sqlite.returncode != 0 and "must point at PostgreSQL" in sqlite.stderr
    debug = serve_check(**(GOOD | {"DEBUG": "1"}))
    assert debug.returncode != 0 and "DEBUG is on" in debug.stderr
    ok = serve_check(**GOOD)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == ""
