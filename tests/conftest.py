import email
import email.policy
import os
import shutil
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

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
def immediate_tasks(settings):
    """Tasks run as they are enqueued, so a test sees the worker's effect at once."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


DROP = "drop the connection"


class ScriptedSink:
    """Answers DATA with the next scripted reply line (or DROP), then accepts."""

    def __init__(self):
        self.messages = []
        self.script = []

    async def handle_DATA(self, server, session, envelope):
        if self.script:
            step = self.script.pop(0)
            if step == DROP:
                server.transport.close()
                return "421 closing"
            return step
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
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
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }
    settings.MESSAGE_ID_DOMAIN = "replies.acme-orbital.example"
    yield sink
    controller.stop()


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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    yield page
    context.close()
