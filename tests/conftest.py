import email
import email.policy
import json
import os
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tests.factories import UserFactory
from triage.services import profiles

SHARED_CASES = Path(__file__).resolve().parents[2] / "shared" / "triage-cases" / "dev"

# A company of the tests' own, so no test leans on the demo or the shared dev set.
PROFILE = {
    "company": "Acme Orbital",
    "careers_url": "https://careers.acme-orbital.example",
    "recruiter": {"name": "Rita Recruiter", "email": "rita@acme-orbital.example"},
    "employee_domains": ["acme-orbital.example"],
    "openings": [
        {
            "title": "Flight Software Engineer",
            "url": "https://careers.acme-orbital.example/jobs/7-flight-software",
            "skills": ["Rust", "embedded C", "RTOS"],
            "location": "Denver, CO",
        },
        {
            "title": "Data Analyst",
            "url": "https://careers.acme-orbital.example/jobs/9-data-analyst",
            "skills": ["SQL", "dashboards"],
            "location": "Remote",
        },
    ],
    "hard_to_fill_skills": ["orbit determination", "radiation-hardened design"],
    "notable_people": [{"name": "Vera Stellar", "email": "vera@stellar.example"}],
    "contacts": [{"name": "Omar Known", "email": "omar@known.example", "note": "Ex-colleague"}],
}


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Django's default hasher is slow on purpose (about a second per password on a busy
    machine), and nearly every test makes a user. Logins still check the password."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def static_root(tmp_path_factory):
    """WhiteNoise warns at every request when STATIC_ROOT does not exist, and a fresh checkout
    has no var/static (collectstatic makes it): the tests get an empty one of their own."""
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        yield


@pytest.fixture
def profile(db):
    profiles.import_profile(PROFILE)
    return profiles.load_profile()


@pytest.fixture
def recruiter(db):
    return UserFactory(username="rita", first_name="Rita", last_name="Recruiter")


@pytest.fixture
def recruiter_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture(autouse=True)
def outbox_dir(settings, tmp_path):
    """Each test writes its outgoing .eml files to its own folder."""
    folder = tmp_path / "outbox"
    settings.MAILERS = {
        "default": {
            "BACKEND": "triage.mail_backends.EmlFileBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test keeps stored files (attachments) in its own folder, never in var/media."""
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    return folder


@pytest.fixture(autouse=True)
def fresh_config_cache():
    """Each test starts like a new process: no configuration kept in memory (a test that
    writes config with .update() or raw SQL, which bump no version, sees it then)."""
    from triage.services import config_cache

    config_cache.clear()
    yield
    config_cache.clear()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run as they are enqueued, so a test sees the worker's effect at once."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def no_undo_delay(settings):
    """Replies may be sent at once; the undo tests set REPLY_UNDO_SECONDS themselves."""
    settings.REPLY_UNDO_SECONDS = 0


# The server has the whole message (after DATA) and drops the connection instead of "250".
DROP = "drop the connection"
DROP_AFTER_DATA = DROP
# The server drops the connection at RCPT TO, before any DATA: nothing was handed over.
DROP_BEFORE_DATA = "drop the connection before DATA"


class ScriptedSink:
    """Answers DATA with the next scripted reply line (or DROP), then accepts; a
    DROP_BEFORE_DATA step drops the connection at RCPT instead."""

    def __init__(self):
        self.messages = []
        self.raw = []  # the bytes as they arrived, to check how headers were encoded
        self.script = []
        self.dropped_after_data = []  # the messages the server had when it dropped
        self.peers = []  # the client's (address, port) per delivered message: its connection

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.script and self.script[0] == DROP_BEFORE_DATA:
            self.script.pop(0)
            server.transport.close()
            return "421 closing"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.script and self.script[0] != DROP_BEFORE_DATA:
            step = self.script.pop(0)
            if step == DROP:
                self.dropped_after_data.append(envelope.content)
                server.transport.close()
                return "421 closing"
            return step
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        self.raw.append(envelope.original_content or envelope.content)
        self.peers.append(session.peer)
        return "250 OK"


def free_port() -> int:
    # aiosmtpd's start() connects to its own port to check it is up, so it needs a real one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; set `smtp.script` to inject failures."""
    sink = ScriptedSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "triage.mail_backends.SMTPBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    settings.MESSAGE_ID_DOMAIN = "replies.acme-orbital.example"
    yield sink
    controller.stop()


# A provider_api script step (HANG, seconds): take the request, answer only after a while.
HANG = "hang"


class ScriptedProviderAPI(BaseHTTPRequestHandler):
    """Postmark's send API as a real HTTP server: records each request, answers with the next
    scripted (status, JSON) or, when the script is empty, Postmark's success answer."""

    def do_POST(self):
        api = self.server.api
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        api.requests.append({"path": self.path, "headers": dict(self.headers), "json": body})
        status, answer = api.script.pop(0) if api.script else (200, None)
        if status == HANG:  # the request arrived; the answer comes too late for the client
            time.sleep(answer)
            status, answer = 200, None
        if answer is None:
            api.sent += 1
            answer = {
                "To": body["To"],
                "SubmittedAt": "2026-11-23T10:00:00Z",
                "MessageID": f"pm-{api.sent:04d}-0000-4000-8000-000000000000",
                "ErrorCode": 0,
                "Message": "OK",
            }
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass  # the tests assert on api.requests instead


@pytest.fixture
def provider_api(settings):
    """A real HTTP server on loopback posing as Postmark's API, the default mailer sending to it
    through django-anymail. Set `provider_api.script` to [(status, json), ...] for failures."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedProviderAPI)
    server.api = SimpleNamespace(requests=[], script=[], sent=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MAILERS = {"default": {"BACKEND": "anymail.backends.postmark.EmailBackend"}}
    settings.ANYMAIL = {
        "POSTMARK_SERVER_TOKEN": "test-server-token",
        "POSTMARK_API_URL": f"http://127.0.0.1:{server.server_port}/",
    }
    settings.MESSAGE_ID_DOMAIN = "replies.acme-orbital.example"
    yield server.api
    server.shutdown()
    server.server_close()


def find_chromium() -> str | None:
    """$CHROMIUM_PATH, else Debian's /usr/bin/chromium, else None (Playwright's own browser)."""
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous, so tell Django that this is deliberate.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=find_chromium(), args=CHROMIUM_ARGS, headless=True
            )
        except playwright_api.Error as error:
            pytest.skip(
                "BROWSER TESTS SKIPPED: no Chromium found. Set CHROMIUM_PATH, install Debian's "
                f"chromium (/usr/bin/chromium), or run .ci/run which installs it. ({error})"
            )
        yield launched
        launched.close()


class OneRequestAtATime:
    """A WSGI wrapper that lets one request in at a time. The test database is SQLite in
    memory, so every thread of the live server uses the test's own connection (Django's
    LiveServerThread shares it: a new connection would open an empty database). One sqlite3
    connection is not safe for two requests at once: a page that sends two requests together
    (the request page's heartbeat on load and its "writing" beat when the editor takes the
    focus) had one request's SELECT of the session come back empty while the other wrote and
    committed, so it was served as signed out (a 302 to /login/), or fail with "bad parameter
    or other API misuse". Production opens a connection per thread: the app needs no lock."""

    def __init__(self, application):
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        # The whole request, middleware and session save included. Responses here are built
        # whole (a FileResponse streams a file afterwards, not the database).
        with self.lock:
            return self.application(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, made after the test database (its own fixture is often
    made first, and then misses that the database is SQLite in memory: each thread opened
    its own shared-cache connection, whose table locks fail at once with "database table is
    locked"), and taking one request at a time when it shares the test's in-memory SQLite
    connection (OneRequestAtATime). On PostgreSQL each thread has its own connection."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = lambda app: OneRequestAtATime(StaticFilesHandler(app))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def context_for(browser, live_server):
    """Browser contexts with options (viewport, color_scheme) that bypass the CSP, so a test
    can inject axe-core (tests/test_browser_accessibility.py); the app's own scripts are
    tested under the CSP by the `page` fixture."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, bypass_csp=True, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
