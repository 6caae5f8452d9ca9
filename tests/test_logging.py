"""Logs in production: one JSON object per line with the request's id, and each line once
(the worker's django.tasks lines used to print twice with DEBUG on: Django's own console
handler on the "django" logger, and the root's)."""

import copy
import io
import json
import logging
import os
import sys

import pytest
from django.core.management import call_command
from django.utils.log import configure_logging

from triage import tasks


@pytest.fixture
def log_lines(settings):
    """The project's logging config, as Django applies it at start (Django's defaults, then
    settings.LOGGING), in JSON and writing to a buffer the test reads."""
    buffer = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    # Every handler made now writes to the buffer: ours, and any Django's defaults add.
    real_stderr, sys.stderr = sys.stderr, buffer
    try:
        configure_logging(settings.LOGGING_CONFIG, config)
    finally:
        sys.stderr = real_stderr
    yield lambda: [line for line in buffer.getvalue().splitlines() if line]
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.mark.django_db
def test_a_request_logs_one_json_line_with_its_request_id(client, log_lines):
    response = client.get("/healthz?q=zoe@mail.example")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    entries = [json.loads(line) for line in log_lines()]
    request_entries = [entry for entry in entries if entry["logger"] == "triage.request"]
    assert len(request_entries) == 1
    entry = request_entries[0]
    assert entry["request_id"] == request_id
    assert entry["method"] == "GET"
    assert entry["path"] == "/healthz"
    assert entry["status"] == response.status_code
    assert entry["level"] == "INFO"
    assert isinstance(entry["duration_ms"], float)
    # The query string (what someone searched for) is not logged.
    assert "zoe@mail.example" not in "\n".join(log_lines())


@pytest.mark.django_db
def test_a_proxy_request_id_is_kept_and_a_strange_one_replaced(client, log_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-1234-abcd"})
    assert response["X-Request-ID"] == "lb-1234-abcd"
    response = client.get("/healthz", headers={"X-Request-ID": 'x"\n{evil}'})
    assert response["X-Request-ID"] != 'x"\n{evil}' and len(response["X-Request-ID"]) == 32
    ids = [json.loads(line)["request_id"] for line in log_lines()]
    assert "lb-1234-abcd" in ids and response["X-Request-ID"] in ids


def test_a_line_outside_a_request_has_an_empty_request_id_and_keeps_extras(log_lines):
    logging.getLogger("triage.test").warning("sweep found %d", 3, extra={"replies": 3})
    (entry,) = [json.loads(line) for line in log_lines()]
    assert entry["message"] == "sweep found 3"
    assert entry["request_id"] == "" and entry["replies"] == 3
    assert entry["pid"] == os.getpid()


@pytest.mark.django_db(transaction=True)
def test_a_worker_line_is_printed_once_even_with_debug_on(settings, profile, log_lines):
    settings.DEBUG = True  # Django's "django" console handler only printed with DEBUG on
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = tasks.sweep_stuck_replies.enqueue()
    call_command("db_worker", "--batch", verbosity=1)
    lines = log_lines()
    started = [line for line in lines if f"Task id={result.id}" in line and "RUNNING" in line]
    assert len(started) == 1, lines
    assert json.loads(started[0])["logger"] == "django.tasks"
    # Every line the worker printed is JSON, and no line is printed twice.
    assert all(json.loads(line) for line in lines)
    assert len(lines) == len(set(lines))
