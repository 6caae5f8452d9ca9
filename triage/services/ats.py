"""The hand-off to the applicant tracking system: "Send to ATS" on a request or a person.

`send_to_ats` writes an AtsExport row (pending) and enqueues `push_to_ats`; the worker's
`push_export` creates the person in the ATS (a prospect, or an applicant for a job), then
attaches a note with their messages and the reasons of each decision, and records the ATS's
id and link. A rate limit or a server error waits and retries (the ATS's Retry-After, else
1, 2, 4, 8 minutes; ATS_MAX_ATTEMPTS in all); a refusal (bad key, invalid data) fails at once
with the ATS's own words, and the candidate page offers Retry. The person is created once:
a retry after the creation only attaches the note.

One provider is implemented: Greenhouse (Harvest API). Another ATS is one class with the
two methods of `Adapter`, registered in ADAPTERS and named by ATS_PROVIDER:

- **Lever** (`POST /v1/opportunities?perform_as=<user id>`, Basic auth with the key as
  the user name, then `POST /v1/opportunities/{id}/notes`; 429 with Retry-After).
- **Ashby** (`candidate.create`, then `candidate.addNote`, and `application.create` for a
  job; Basic auth with the key; errors come as 200 with `success: false` and `errors`).
- **Workable** (`POST /spi/v3/jobs/{shortcode}/candidates` with `sourced: true` for a
  prospect; Bearer token; 429 with Retry-After; comments through `/candidates/{id}/comments`).

An adapter raises `AtsRetryLater` for what may pass (429, 5xx, no connection, a timeout)
and `AtsRejected` for what will not (4xx), each with a message a recruiter can act on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from triage import tasks
from triage.models import AtsExport, Candidate, CandidateRequest, Message
from triage.services import audit

log = logging.getLogger(__name__)

NOTE_MAX_CHARS = 20_000
BACKOFF_BASE = timedelta(minutes=1)


# --- The adapter interface ----------------------------------------------------------------------


@dataclass(frozen=True)
class AtsPerson:
    first_name: str
    last_name: str
    email: str
    job_id: str  # blank: a prospect, in no job's pipeline


@dataclass(frozen=True)
class AtsRecord:
    id: str
    url: str


class AtsError(Exception):
    """The ATS did not take it; the message says why, in words a recruiter can act on."""


class AtsRetryLater(AtsError):
    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class AtsRejected(AtsError):
    pass


class Adapter(Protocol):
    name: str  # shown to recruiters: "Greenhouse"

    def create_person(self, person: AtsPerson) -> AtsRecord: ...

    def attach_note(self, record_id: str, note: str) -> None: ...


# --- Greenhouse Harvest -------------------------------------------------------------------------


class Greenhouse:
    """Greenhouse's Harvest API (v1): `POST /candidates` (an applicant: `applications` with the
    job) or `POST /prospects`, then `POST /candidates/{id}/activity_feed/notes`. Basic auth
    with the API key as the user name, and `On-Behalf-Of` (a Greenhouse user's id) on writes,
    which Greenhouse requires and records in its audit log."""

    name = "Greenhouse"

    def __init__(self, *, api_key: str, base_url: str, on_behalf_of: str, web_url: str):
        if not api_key or not on_behalf_of:
            raise AtsRejected(
                "Greenhouse needs ATS_API_KEY and ATS_ON_BEHALF_OF (a Greenhouse user's id)."
            )
        self.base_url = base_url.rstrip("/") + "/"
        self.web_url = web_url.rstrip("/")
        self.session = requests.Session()
        self.session.auth = (api_key, "")
        self.session.headers.update(
            {"On-Behalf-Of": str(on_behalf_of), "Content-Type": "application/json"}
        )
        self.on_behalf_of = on_behalf_of

    def _post(self, path: str, body: dict) -> dict:
        try:
            response = self.session.post(
                self.base_url + path, json=body, timeout=settings.ATS_TIMEOUT_SECONDS
            )
        except requests.Timeout as error:
            raise AtsRetryLater("Greenhouse did not answer in time.") from error
        except requests.RequestException as error:
            raise AtsRetryLater(f"Could not reach Greenhouse ({type(error).__name__}).") from error
        if response.status_code in (200, 201):
            return response.json()
        message = _greenhouse_message(response)
        if response.status_code == 429:
            retry_after = _seconds(response.headers.get("Retry-After"))
            raise AtsRetryLater(f"Greenhouse's rate limit: {message}", retry_after=retry_after)
        if response.status_code >= 500:
            raise AtsRetryLater(f"Greenhouse failed (HTTP {response.status_code}): {message}")
        raise AtsRejected(f"Greenhouse refused it (HTTP {response.status_code}): {message}")

    def create_person(self, person: AtsPerson) -> AtsRecord:
        body = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email_addresses": [{"value": person.email, "type": "personal"}],
        }
        if person.job_id:
            answer = self._post("candidates", body | {"applications": [{"job_id": person.job_id}]})
        else:
            answer = self._post("prospects", body)
        record_id = str(answer["id"])
        return AtsRecord(id=record_id, url=f"{self.web_url}/people/{record_id}")

    def attach_note(self, record_id: str, note: str) -> None:
        self._post(
            f"candidates/{record_id}/activity_feed/notes",
            {"user_id": self.on_behalf_of, "body": note, "visibility": "admin_only"},
        )


def _greenhouse_message(response: requests.Response) -> str:
    """Greenhouse answers errors as {"message": ..., "errors": [{"message", "field"}]}."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300] or response.reason
    if not isinstance(data, dict):
        return str(data)[:300]
    parts = [str(data.get("message") or response.reason)]
    for item in data.get("errors") or []:
        if isinstance(item, dict):
            field = f"{item['field']}: " if item.get("field") else ""
            parts.append(f"{field}{item.get('message', '')}")
    return "; ".join(p for p in parts if p)


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 0.0) if value else None
    except ValueError:
        return None


ADAPTERS = {"greenhouse": Greenhouse}


def provider_name() -> str:
    """The configured ATS for pages ("" when ATS_PROVIDER is unset)."""
    cls = ADAPTERS.get(settings.ATS_PROVIDER)
    return cls.name if cls else ""


def adapter() -> Adapter:
    cls = ADAPTERS.get(settings.ATS_PROVIDER)
    if cls is None:
        raise AtsRejected("No ATS is set up (ATS_PROVIDER).")
    return cls(
        api_key=settings.ATS_API_KEY,
        base_url=settings.ATS_BASE_URL,
        on_behalf_of=settings.ATS_ON_BEHALF_OF,
        web_url=settings.ATS_WEB_URL,
    )


# --- What a recruiter does ----------------------------------------------------------------------


class AlreadyInAts(Exception):
    """This person is in the ATS already (or on their way there)."""


class NotSetUp(Exception):
    """No ATS is set up: set ATS_PROVIDER, ATS_API_KEY and ATS_ON_BEHALF_OF."""


def send_to_ats(
    *, candidate: Candidate, request: CandidateRequest | None, job_id: str, by
) -> AtsExport:
    """Queue the hand-off: a prospect, or an applicant for `job_id` (the ATS's job id)."""
    if not settings.ATS_PROVIDER:
        raise NotSetUp(NotSetUp.__doc__)
    job_id = job_id.strip()
    try:
        with transaction.atomic():
            export = AtsExport.objects.create(
                candidate=candidate,
                request=request,
                provider=settings.ATS_PROVIDER,
                kind=AtsExport.Kind.APPLICANT if job_id else AtsExport.Kind.PROSPECT,
                job_id=job_id,
                created_by=by,
            )
    except IntegrityError as error:
        raise AlreadyInAts(AlreadyInAts.__doc__) from error
    audit.record(
        action=audit.Action.SENT_TO_ATS,
        by=by,
        target=export,
        description=f"Sent candidate #{candidate.pk} to {export.provider} "
        + (f"for job {job_id}" if job_id else "as a prospect"),
    )
    transaction.on_commit(lambda: tasks.push_to_ats.enqueue(export.pk))
    return export


def retry_export(*, export: AtsExport, by) -> AtsExport:
    """Try a failed hand-off again (the same person, job and note)."""
    try:
        with transaction.atomic():
            retried = AtsExport.objects.filter(pk=export.pk, status=AtsExport.Status.FAILED).update(
                status=AtsExport.Status.PENDING, attempts=0, next_attempt_at=None, error=""
            )
    except IntegrityError as error:
        raise AlreadyInAts(AlreadyInAts.__doc__) from error
    if retried:
        transaction.on_commit(lambda: tasks.push_to_ats.enqueue(export.pk))
    export.refresh_from_db()
    return export


def note_for(export: AtsExport) -> str:
    """The candidate's messages and the reasons behind each decision, newest request first."""
    candidate = export.candidate
    requests_ = CandidateRequest.objects.filter(candidate=candidate)
    if export.request_id:
        requests_ = requests_.filter(pk=export.request_id)
    site = settings.SITE_URL.rstrip("/")
    lines = [f"Sent from Recruiter Inbox Triage: {site}/candidates/{candidate.pk}/", ""]
    for req in requests_.prefetch_related("messages"):
        lines.append(f"Request: {req.subject or '(no subject)'} ({req.received_at:%Y-%m-%d})")
        lines.append(f"Bucket: {req.get_final_bucket_display()}")
        lines += [f"- {reason.get('text', '')}" for reason in req.reasons]
        if req.override_reason:
            lines.append(f"Moved by a recruiter: {req.override_reason}")
        for message in req.messages.all():
            if message.direction == Message.Direction.IN:
                lines += ["", f"{message.received_at:%Y-%m-%d %H:%M} {message.sender}:"]
                lines.append(message.text.strip())
        lines.append("")
    return "\n".join(lines)[:NOTE_MAX_CHARS]


def _person(candidate: Candidate, job_id: str) -> AtsPerson:
    parts = candidate.name.split()
    first = parts[0] if parts else candidate.email.split("@")[0]
    return AtsPerson(
        first_name=first, last_name=" ".join(parts[1:]) or "-", email=candidate.email, job_id=job_id
    )


# --- The worker's side --------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    return BACKOFF_BASE * 2 ** max(attempts - 1, 0)


def push_export(export_id: int, *, now: datetime | None = None) -> AtsExport | None:
    """Create the person (once) and attach the note. Claimed with a conditional UPDATE, so
    two workers never make the same call."""
    now = now or timezone.now()
    claimed = AtsExport.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=export_id,
        status=AtsExport.Status.PENDING,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + timedelta(minutes=10))
    if not claimed:
        return None
    export = AtsExport.objects.select_related("candidate").get(pk=export_id)
    try:
        ats = adapter()
        if not export.ats_id:
            record = ats.create_person(_person(export.candidate, export.job_id))
            export.ats_id, export.ats_url = record.id, record.url
            export.save(update_fields=["ats_id", "ats_url"])  # never created twice
        if not export.note_attached:
            ats.attach_note(export.ats_id, note_for(export))
            export.note_attached = True
    except AtsRetryLater as later:
        if export.attempts < settings.ATS_MAX_ATTEMPTS:
            wait = timedelta(seconds=later.retry_after) if later.retry_after else None
            export.next_attempt_at = now + (wait or backoff(export.attempts))
            export.error = f"{later} Trying again at {export.next_attempt_at:%H:%M:%S} UTC."
            export.save(update_fields=["next_attempt_at", "error"])
            _enqueue_later(export)
            return export
        export.status, export.error = AtsExport.Status.FAILED, str(later)
    except AtsError as refused:
        export.status, export.error = AtsExport.Status.FAILED, str(refused)
    else:
        export.status, export.error, export.sent_at = AtsExport.Status.SENT, "", now
    export.next_attempt_at = None
    export.save(update_fields=["status", "error", "sent_at", "note_attached", "next_attempt_at"])
    if export.status == AtsExport.Status.FAILED:
        log.warning("ATS hand-off %s failed: %s", export.pk, export.error)
    return export


def _enqueue_later(export: AtsExport) -> None:
    task = tasks.push_to_ats
    if task.get_backend().supports_defer:
        task.using(run_after=export.next_attempt_at).enqueue(export.pk)
    # else: send_due_exports (the periodic sweep) enqueues it when its time comes


def send_due_exports(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    ids = list(
        AtsExport.objects.filter(
            status=AtsExport.Status.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for export_id in ids:
        tasks.push_to_ats.enqueue(export_id)
    return len(ids)
