"""The settings as a fresh process reads them from the environment (each test starts Python
with an environment of its own, so nothing here leans on how pytest configured Django)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DEBUG", "VAR_DIR", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "t" * 50, **env},
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_SWITCH", value)
    assert env_bool("SOME_SWITCH") is expected


def test_env_bool_keeps_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("SOME_SWITCH", raising=False)
    assert env_bool("SOME_SWITCH", True) is True
    monkeypatch.setenv("SOME_SWITCH", " ")
    assert env_bool("SOME_SWITCH", True) is True
    assert env_bool("SOME_SWITCH") is False


def test_env_bool_refuses_a_typo_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_SWITCH", "ture")
    with pytest.raises(ImproperlyConfigured, match=r"SOME_SWITCH='ture' is not a yes/no value"):
        env_bool("SOME_SWITCH")


def test_a_typo_in_debug_stops_the_start_instead_of_meaning_off(tmp_path):
    result = run_python("import config.settings", tmp_path, DEBUG="ture")

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG='ture' is not a yes/no value" in result.stderr


def test_reading_the_settings_creates_no_folder_and_manage_py_makes_the_sqlite_one(tmp_path):
    var = tmp_path / "fresh" / "var"

    read = run_python(
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        tmp_path,
        VAR_DIR=str(var),
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == str(var / "db.sqlite3")
    assert not (tmp_path / "fresh").exists()

    # What `make run` does first on a fresh clone: a command through manage.py.
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.db import connection; connection.ensure_connection()"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
        env={**environment, "DEBUG": "1", "VAR_DIR": str(var)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (var / "db.sqlite3").is_file()
    assert sorted(path.name for path in var.iterdir()) == ["db.sqlite3"]  # nothing else


def test_the_wsgi_entry_makes_the_sqlite_folder_too(tmp_path):
    var = tmp_path / "served" / "var"

    result = run_python(
        "import config.wsgi; from django.db import connection; connection.ensure_connection()",
        tmp_path,
        VAR_DIR=str(var),
    )

    assert result.returncode == 0, result.stderr
    assert (var / "db.sqlite3").is_file()


SECOND_WRITER = """
import sqlite3
import django
django.setup()
from config.folders import make_database_folders
from django.db import connection, transaction

make_database_folders()
connection.ensure_connection()
print(connection.settings_dict["OPTIONS"]["transaction_mode"], connection.transaction_mode)
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.2)
with transaction.atomic():
    connection.ensure_connection()  # the web server, inside a transaction, has not written yet
    try:
        other.execute("CREATE TABLE worker_write (x)")  # the worker wants to write meanwhile
        print("the second writer got in")
    except sqlite3.OperationalError as error:
        print("the second writer waited:", error)
"""


def test_sqlite_takes_the_write_lock_when_a_transaction_begins(tmp_path):
    result = run_python(SECOND_WRITER, tmp_path, VAR_DIR=str(tmp_path / "var"))

    assert result.returncode == 0, result.stderr
    # IMMEDIATE: BEGIN takes the lock, so a second writer waits at its start (here for the
    # 0.2 s it allows) rather than both reading and one failing halfway through.
    assert result.stdout.splitlines() == [
        "IMMEDIATE IMMEDIATE",
        "the second writer waited: database is locked",
    ]


def test_the_database_under_test_runs_in_immediate_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("transaction_mode is SQLite's")
    assert connection.transaction_mode == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] == 20


def test_anymail_is_built_once_from_the_environment_without_empty_values(tmp_path):
    code = "from django.conf import settings; print(sorted(settings.ANYMAIL.items()))"

    result = run_python(
        code,
        tmp_path,
        ANYMAIL_POSTMARK_SERVER_TOKEN="tok",
        ANYMAIL_WEBHOOK_SECRET="",
        MAILGUN_WEBHOOK_SIGNING_KEY="sig",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "[('MAILGUN_WEBHOOK_SIGNING_KEY', 'sig'), ('POSTMARK_SERVER_TOKEN', 'tok')]"
    )


@pytest.mark.parametrize(
    ("env", "kept"),
    [
        ({}, 0),  # SQLite opens a file: nothing worth keeping
        ({"DATABASE_URL": "postgres://u@db.example:5432/triage"}, 60),
        ({"DATABASE_URL": "postgres://u@db.example:5432/triage", "CONN_MAX_AGE": "0"}, 0),
        ({"CONN_MAX_AGE": "30"}, 30),
    ],
)
def test_a_web_process_keeps_its_postgresql_connection_between_requests(tmp_path, env, kept):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = run_python(code, tmp_path, VAR_DIR=str(tmp_path / "var"), **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(kept), "True"]
