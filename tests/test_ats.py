"""The hand-off to the ATS, against a loopback HTTP server that speaks Greenhouse Harvest's
documented shape: Basic auth with the key, On-Behalf-Of, 201 with the new person, 422 with
validation errors, 401 for a bad key, 429 with Retry-After, 5xx."""

import base64
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, hiring_manager
from triage.models import AtsExport, AuditEntry, Message
from triage.services import ats

pytestmark = pytest.mark.django_db

API_KEY = "gh-harvest-key"
USER_ID = "4080"


class FakeHarvest(BaseHTTPRequestHandler):
    """POST /v1/candidates, /v1/prospects and /v1/candidates/{id}/activity_feed/notes."""

    def do_POST(self):
        api = self.server.api
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        api.requests.append({"path": self.path, "headers": dict(self.headers), "json": body})
        expected = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
        headers = {}
        if self.headers.get("Authorization") != expected:
            status, answer = 401, {"message": "Invalid Basic Auth credentials"}
        elif self.headers.get("On-Behalf-Of") != USER_ID:
            status, answer = 403, {"message": "Invalid On-Behalf-Of user"}
        elif api.script:
            status, answer = api.script.pop(0)
            if status == 429:
                headers["Retry-After"] = "30"
        elif self.path.endswith("/activity_feed/notes"):
            status, answer = 201, {"id": 9001, "body": body["body"], "visibility": "admin_only"}
        elif self.path in ("/v1/candidates", "/v1/prospects"):
            api.people += 1
            status = 201
            answer = {
                "id": 53880000 + api.people,
                "first_name": body["first_name"],
                "last_name": body["last_name"],
                "email_addresses": body["email_addresses"],
                "is_prospect": self.path == "/v1/prospects",
            }
        else:
            status, answer = 404, {"message": "Resource not found"}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def harvest(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeHarvest)
    server.api = SimpleNamespace(requests=[], script=[], people=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ATS_PROVIDER = "greenhouse"
    settings.ATS_API_KEY = API_KEY
    settings.ATS_ON_BEHALF_OF = USER_ID
    settings.ATS_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1/"
    settings.ATS_WEB_URL = "https://app.greenhouse.io"
    yield server.api
    server.shutdown()
    server.server_close()


@pytest.fixture
def ada():
    person = CandidateFactory(name="Ada King Lovelace", email="ada@engines.example")
    request = CandidateRequestFactory(
        candidate=person,
        subject="Analytical engines",
        suggested_bucket="exceptional",
        reasons=[{"text": "A distinguished record in orbit determination", "evidence": []}],
    )
    Message.objects.create(
        request=request,
        sender=person.email,
        text="I wrote the first program for an engine.",
        received_at=request.received_at,
        message_id="<ada-1@engines.example>",
    )
    return person


def send(client, person, **data):
    return client.post(f"/candidates/{person.pk}/ats/", data)


def test_a_person_goes_to_greenhouse_as_an_applicant_with_the_note(
    recruiter_client, harvest, ada, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(recruiter_client, ada, job_id="4017")
    assert answer.status_code == 302

    create, note = harvest.requests
    assert create["path"] == "/v1/candidates"
    assert create["headers"]["On-Behalf-Of"] == USER_ID
    assert create["json"] == {
        "first_name": "Ada",
        "last_name": "King Lovelace",
        "email_addresses": [{"value": "ada@engines.example", "type": "personal"}],
        "applications": [{"job_id": "4017"}],
    }
    assert note["path"] == "/v1/candidates/53880001/activity_feed/notes"
    assert note["json"]["user_id"] == USER_ID
    assert "Bucket: Exceptional skill" in note["json"]["body"]
    assert "A distinguished record in orbit determination" in note["json"]["body"]
    assert "I wrote the first program for an engine." in note["json"]["body"]

    export = AtsExport.objects.get()
    assert (export.status, export.kind, export.ats_id) == ("sent", "applicant", "53880001")
    sent = AuditEntry.objects.get(action="sent_to_ats")
    assert (sent.user.username, sent.target_id) == ("rita", str(export.pk))
    assert sent.description == f"Sent candidate #{ada.pk} to greenhouse for job 4017"
    assert export.ats_url == "https://app.greenhouse.io/people/53880001"
    page = recruiter_client.get(f"/candidates/{ada.pk}/").content.decode()
    assert "https://app.greenhouse.io/people/53880001" in page and "Sent" in page

    # Once: a second click creates nobody.
    send(recruiter_client, ada)
    assert len(harvest.requests) == 2
    assert AtsExport.objects.count() == 1


def test_without_a_job_it_is_a_prospect(
    harvest, ada, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ats.send_to_ats(candidate=ada, request=None, job_id="", by=recruiter)
    assert harvest.requests[0]["path"] == "/v1/prospects"
    assert "applications" not in harvest.requests[0]["json"]
    assert AtsExport.objects.get().kind == "prospect"


def test_a_validation_error_fails_with_greenhouses_words_and_retry_sends_it(
    recruiter_client, harvest, ada, django_capture_on_commit_callbacks
):
    harvest.script = [
        (
            422,
            {
                "message": "Validation error",
                "errors": [{"message": "Job 4017 is not open", "field": "applications.job_id"}],
            },
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        send(recruiter_client, ada, job_id="4017")
    export = AtsExport.objects.get()
    assert export.status == "failed"
    assert export.error == (
        "Greenhouse refused it (HTTP 422): Validation error; "
        "applications.job_id: Job 4017 is not open"
    )
    page = recruiter_client.get(f"/candidates/{ada.pk}/").content.decode()
    assert "Job 4017 is not open" in page and "Retry" in page

    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(f"/ats/{export.pk}/retry/")
    export.refresh_from_db()
    assert (export.status, export.ats_id, export.error) == ("sent", "53880001", "")


def test_a_bad_key_fails_at_once(harvest, ada, recruiter, settings):
    settings.ATS_API_KEY = "wrong"
    export = ats.send_to_ats(candidate=ada, request=None, job_id="", by=recruiter)
    ats.push_export(export.pk)
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error == "Greenhouse refused it (HTTP 401): Invalid Basic Auth credentials"
    assert export.attempts == 1


def test_a_rate_limit_waits_for_retry_after_then_sends(harvest, ada, recruiter):
    harvest.script = [(429, {"message": "Rate limit exceeded"})]
    export = ats.send_to_ats(candidate=ada, request=None, job_id="", by=recruiter)
    now = timezone.now()
    ats.push_export(export.pk, now=now)
    export.refresh_from_db()
    assert export.status == "pending"
    assert export.next_attempt_at == now + timedelta(seconds=30)
    assert "Greenhouse's rate limit: Rate limit exceeded" in export.error
    assert ats.push_export(export.pk, now=now + timedelta(seconds=29)) is None  # not yet
    ats.push_export(export.pk, now=now + timedelta(seconds=30))
    export.refresh_from_db()
    assert (export.status, export.attempts, export.ats_id) == ("sent", 2, "53880001")


def test_a_note_that_failed_is_attached_on_retry_without_creating_the_person_twice(
    harvest, ada, recruiter, settings
):
    settings.ATS_MAX_ATTEMPTS = 1
    harvest.script = [(201, {"id": 777}), (500, {"message": "Internal error"})]
    export = ats.send_to_ats(candidate=ada, request=None, job_id="", by=recruiter)
    ats.push_export(export.pk)
    export.refresh_from_db()
    assert (export.status, export.ats_id, export.note_attached) == ("failed", "777", False)
    assert export.error == "Greenhouse failed (HTTP 500): Internal error"

    ats.retry_export(export=export, by=recruiter)
    ats.push_export(export.pk)
    export.refresh_from_db()
    assert (export.status, export.note_attached) == ("sent", True)
    paths = [r["path"] for r in harvest.requests]
    assert paths == [
        "/v1/prospects",
        "/v1/candidates/777/activity_feed/notes",
        "/v1/candidates/777/activity_feed/notes",
    ]


def test_an_unreachable_ats_is_retried_then_fails(ada, recruiter, settings):
    settings.ATS_PROVIDER = "greenhouse"
    settings.ATS_API_KEY, settings.ATS_ON_BEHALF_OF = API_KEY, USER_ID
    settings.ATS_BASE_URL = "http://127.0.0.1:9/v1/"  # discard port: nobody listens
    settings.ATS_MAX_ATTEMPTS = 2
    export = ats.send_to_ats(candidate=ada, request=None, job_id="", by=recruiter)
    now = timezone.now()
    ats.push_export(export.pk, now=now)
    export.refresh_from_db()
    assert export.status == "pending"
    assert export.next_attempt_at == now + timedelta(minutes=1)
    ats.push_export(export.pk, now=export.next_attempt_at)
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error.startswith("Could not reach Greenhouse")


def test_without_an_ats_the_page_says_so_and_nothing_is_queued(recruiter_client, ada, settings):
    settings.ATS_PROVIDER = ""
    page = recruiter_client.get(f"/candidates/{ada.pk}/").content.decode()
    assert "No ATS is set up" in page
    answer = send(recruiter_client, ada)
    assert answer.status_code == 302
    assert not AtsExport.objects.exists()


def test_the_request_page_offers_it_to_recruiters_only(client, recruiter, harvest, ada):
    request = ada.requests.get()
    hank = hiring_manager("hank")
    request.assigned_to = hank
    request.save()
    client.force_login(recruiter)
    assert 'id="ats-form"' in client.get(f"/requests/{request.pk}/").content.decode()
    client.force_login(hank)
    assert 'id="ats-form"' not in client.get(f"/requests/{request.pk}/").content.decode()
    assert send(client, ada).status_code == 403
