"""The production profile end to end: `make serve` on PostgreSQL (gunicorn with two web
workers, two task workers, the scheduler, run by honcho), driven over HTTP on loopback: log
in, send a reply to a real SMTP sink, read /healthz, then stop it as Ctrl-C would."""

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from .conftest import ScriptedSink, free_port
from .factories import CandidateFactory, CandidateRequestFactory, UserFactory

pytestmark = [pytest.mark.prod, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long production password"


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{user}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, *, seconds: float, what: str, server=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            pytest.fail(f"make serve exited ({server.returncode}) while waiting for {what}")
        try:
            value = condition()
        # Not up yet: nothing listens, or gunicorn's socket is open while its workers still
        # read the assistant's model (config/gunicorn.py), seconds on a busy machine.
        except (requests.ConnectionError, requests.Timeout):
            value = None
        if value:
            return value
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def sink():
    sink = ScriptedSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


def test_make_serve_runs_web_workers_and_scheduler_on_postgresql(profile, sink, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the production profile runs on PostgreSQL (make serve refuses SQLite)")
    user = UserFactory(username="ops-recruiter")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "prodtestsalt")
    user.save(update_fields=["password"])
    candidate_request = CandidateRequestFactory(
        subject="Platform role?",
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "DEBUG", "EMAIL_", "IMAP_"))
    }
    env.update(
        SECRET_KEY="production-profile-test-" + "k" * 40,
        DATABASE_URL=database_url(),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=base,
        HOST="127.0.0.1",
        PORT=str(port),
        VAR_DIR=str(tmp_path / "var"),
        # Plain HTTP on loopback; behind TLS in real life (README, "Running it in production").
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        WEB_CONCURRENCY="2",
        TASK_WORKERS="2",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_USE_TLS="0",
        REPLY_UNDO_SECONDS="0",
        LOG_LEVEL="INFO",
    )
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        session = requests.Session()
        wait_for(
            lambda: session.get(f"{base}/login/", timeout=5).ok,
            seconds=120,
            what="the login page",
            server=server,
        )
        # Log in over HTTP.
        page = session.get(f"{base}/login/", timeout=5)
        response = session.post(
            f"{base}/login/",
            data={
                "username": "ops-recruiter",
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            timeout=10,
        )
        assert response.ok and response.url == f"{base}/", response.url
        assert "ops-recruiter" in response.text
        # Send a reply: the web process queues it, a task worker hands it to the SMTP sink.
        page = session.get(f"{base}/requests/{candidate_request.pk}/", timeout=10)
        assert page.ok and "Platform role?" in page.text
        response = session.post(
            f"{base}/requests/{candidate_request.pk}/reply/",
            data={
                "subject": "Re: Platform role?",
                "body": "Hello Ada,\nthank you for writing.",
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            timeout=10,
        )
        assert response.ok, response.status_code
        wait_for(lambda: sink.messages, seconds=60, what="the reply at the SMTP sink")
        recipients, message = sink.messages[0]
        assert recipients == ["ada@mail.example"]
        assert message["Subject"] == "Re: Platform role?"
        # /healthz, no login: healthy once the scheduler enqueued and a worker finished a task.
        anonymous = requests.Session()
        health = wait_for(
            lambda: (r := anonymous.get(f"{base}/healthz", timeout=5)).status_code == 200 and r,
            seconds=60,
            what="a healthy /healthz",
            server=server,
        )
        body = health.json()
        assert body["status"] == "ok"
        assert body["checks"]["worker"]["ok"] and body["checks"]["scheduler"]["ok"]
        assert body["checks"]["outbox"]["detail"] == "no reply queued"
        assert "ada@" not in health.text
        request_id = health.headers["X-Request-ID"]
    finally:
        # Ctrl-C: honcho passes it on and waits for every process to stop.
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=45)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            pytest.fail("make serve did not stop within 45 s of Ctrl-C:\n" + log_path.read_text())
    output = log_path.read_text()
    assert "Traceback" not in output, output
    # Two gunicorn workers, two task workers, one scheduler, each started.
    assert len(set(re.findall(r"Booting worker with pid: (\d+)", output))) == 2, output
    assert "worker.1" in output and "worker.2" in output and "scheduler.1" in output
    # Every line the web and task worker processes print is JSON (gunicorn's own too:
    # config/gunicorn.py), and no line is printed twice.
    # (Two workers may print the same line in the same millisecond: the process's name,
    # honcho's prefix, tells the task workers apart, and the pid in the line gunicorn's.)
    process_lines = [
        line.split(" ", 1)[1]  # without honcho's clock, which has only whole seconds
        for line in output.splitlines()
        if re.match(r"\d\d:\d\d:\d\d (web|worker)\.\d", line)
    ]
    assert process_lines
    for line in process_lines:
        try:
            json.loads(line.split("| ", 1)[1])
        except ValueError:
            pytest.fail(f"not one JSON object: {line!r}")
    assert len(process_lines) == len(set(process_lines)), output
    # The request's log line, JSON, once, with the id the response carried.
    lines = [line.split("| ", 1)[1] for line in output.splitlines() if request_id in line]
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    assert [entry["path"] for entry in entries if entry["logger"] == "triage.request"] == [
        "/healthz"
    ]
