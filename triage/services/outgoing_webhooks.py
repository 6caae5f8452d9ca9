"""Outgoing webhooks: tell the team's other tools what happened (triage.events).

A team registers an endpoint (a URL, the events it wants, JSON or Slack's text format). When
an event is published, `record_deliveries` (connected in triage.receivers) writes one
delivery row per matching endpoint and enqueues its task, in the transaction that made the
change: the change and its deliveries commit together or not at all. The worker then posts
each delivery (`deliver`), outside any transaction, with a timeout.

Each post is signed: `X-Triage-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`
with the endpoint's secret, so a receiver can check it came from us and is fresh (README,
"Outgoing webhooks", has a receiver in a few lines). A failed post (no answer, a timeout, a
status other than 2xx) is retried after 1, 2, 4, 8, 16 minutes (WEBHOOK_MAX_ATTEMPTS in all);
an endpoint that fails WEBHOOK_DISABLE_AFTER times in a row is switched off, with a note on
its page, until a recruiter switches it on again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from triage import events, tasks
from triage.models import WebhookDelivery, WebhookEndpoint
from triage.services import audit

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Triage-Signature"
BACKOFF_BASE = timedelta(minutes=1)
SNIPPET_CHARS = 300
TEST_EVENT = "webhook.test"


class BadEndpoint(ValueError):
    """The URL or the events cannot be used; the message says which and why."""


def check_url(url: str) -> str:
    """Only http(s) URLs with a host: no file:, ftp:, gopher: or javascript: tricks."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BadEndpoint("Give an http:// or https:// URL with a host name.")
    return url.strip()


def private_address(url: str) -> str:
    """The address `url`'s host resolves to when it is not on the public internet (loopback,
    a private network, link-local such as a cloud's metadata service), else "". Checked just
    before each post, so a recruiter cannot point a webhook at the app's own network and read
    the answers in the delivery log. WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 lifts it (a receiver
    on the same network, the tests' receiver on loopback)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return ""
    parts = urlsplit(url)
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ""  # the post itself will say it cannot connect
    for *_, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global:
            return str(address)
    return ""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


@transaction.atomic
def register_endpoint(
    *, name: str, url: str, event_names: list[str], format: str, by
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (the page shows it once)."""
    unknown = sorted(set(event_names) - set(events.CATALOGUE))
    if unknown:
        raise BadEndpoint(f"Unknown events: {', '.join(unknown)}.")
    if not event_names:
        raise BadEndpoint("Choose at least one event.")
    if format not in WebhookEndpoint.Format.values:
        raise BadEndpoint("Choose JSON or Slack.")
    endpoint = WebhookEndpoint.objects.create(
        name=name.strip() or urlsplit(url).hostname or "Webhook",
        url=check_url(url),
        events=sorted(set(event_names)),
        format=format,
        secret=new_secret(),
        created_by=by,
    )
    audit.record(
        action=audit.Action.CHANGED_WEBHOOK,
        by=by,
        target=endpoint,
        description=f"Registered webhook #{endpoint.pk} for {', '.join(endpoint.events)}",
    )
    return endpoint


def set_active(*, endpoint: WebhookEndpoint, active: bool, by) -> WebhookEndpoint:
    """Switch an endpoint on (again: its failure count starts over) or off."""
    endpoint.is_active = active
    endpoint.consecutive_failures = 0 if active else endpoint.consecutive_failures
    if active:
        endpoint.disabled_at, endpoint.disabled_reason = None, ""
    endpoint.save(
        update_fields=["is_active", "consecutive_failures", "disabled_at", "disabled_reason"]
    )
    audit.record(
        action=audit.Action.CHANGED_WEBHOOK,
        by=by,
        target=endpoint,
        description=f"Switched webhook #{endpoint.pk} {'on' if active else 'off'}",
    )
    return endpoint


def delete_endpoint(*, endpoint: WebhookEndpoint, by) -> None:
    """Forget an endpoint and its delivery log; waiting retries are never sent."""
    audit.record(
        action=audit.Action.CHANGED_WEBHOOK,
        by=by,
        target=endpoint,
        description=f"Deleted webhook #{endpoint.pk}",
    )
    endpoint.delete()


# --- From an event to delivery rows -------------------------------------------------------------


def event_payload(event: events.Event) -> dict:
    """What a receiver gets: the event, its ids and details, and links into the app."""
    site = settings.SITE_URL.rstrip("/")
    links = {}
    if event.request_id:
        links["request"] = site + reverse("triage:request", args=[event.request_id])
    if event.candidate_id and event.name != events.PERSON_ERASED:
        links["candidate"] = site + reverse("triage:candidate", args=[event.candidate_id])
    return {
        "event": event.name,
        "description": events.CATALOGUE.get(event.name, "A test event from the app."),
        "occurred_at": event.at.isoformat(),
        "request_id": event.request_id,
        "candidate_id": event.candidate_id,
        "reply_id": event.reply_id,
        "actor_id": event.actor_id,
        "data": event.data,
        "links": links,
    }


def record_deliveries(published: Sequence[events.Event]) -> list[WebhookDelivery]:
    """One delivery per event and active endpoint that wants it, each with its task enqueued,
    inside the caller's transaction (triage.receivers calls it for every event published):
    one query for the endpoints and one insert, however many events. An erased person's
    earlier deliveries leave the log with them (a bounce's names their address)."""
    for event in published:
        if event.name == events.PERSON_ERASED and event.candidate_id:
            WebhookDelivery.objects.filter(payload__candidate_id=event.candidate_id).delete()
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True))
    wanted = [
        (endpoint, event)
        for event in published
        for endpoint in endpoints
        if event.name in endpoint.events
    ]
    if not wanted:
        return []
    payloads = {
        id(event): json.loads(json.dumps(event_payload(event), cls=DjangoJSONEncoder))
        for _endpoint, event in wanted
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event=event.name, payload=payloads[id(event)])
        for endpoint, event in wanted
    )
    for delivery in deliveries:
        enqueue_delivery(delivery.pk)
    return deliveries


def enqueue_delivery(delivery_id: int, run_after: datetime | None = None) -> None:
    """A backend that keeps a queue in the database (django-tasks-db) takes the task row in
    the current transaction, so it commits with the change; one that runs tasks at once (the
    tests' immediate backend) runs it after the commit, never for a change rolled back. A
    retry that backend cannot defer is left to the periodic `send_due_webhooks`."""
    task = tasks.deliver_webhook
    backend = task.get_backend()
    if run_after is not None and run_after > timezone.now():
        if not backend.supports_defer:
            return
        task = task.using(run_after=run_after)
    if backend.supports_defer:
        task.enqueue(delivery_id)
    else:
        transaction.on_commit(lambda: task.enqueue(delivery_id))


def send_test_event(*, endpoint: WebhookEndpoint, by) -> WebhookDelivery:
    """A harmless "webhook.test" delivery to check the receiver (even a switched-off one)."""
    event = events.Event(name=TEST_EVENT, actor_id=getattr(by, "pk", None), data={"test": True})
    payload = json.loads(json.dumps(event_payload(event), cls=DjangoJSONEncoder))
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint, event=TEST_EVENT, payload=payload
        )
        enqueue_delivery(delivery.pk)
    return delivery


# --- Sending ------------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `t=<timestamp>,v1=<hex HMAC-SHA256 of "t.body">`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def slack_text(payload: dict) -> str:
    """One line a person reads in a Slack channel."""
    link = payload["links"].get("request") or payload["links"].get("candidate") or ""
    details = ", ".join(f"{k}: {v}" for k, v in payload["data"].items())
    text = f"*{payload['event']}*: {payload['description']}"
    if details:
        text += f" ({details})"
    return f"{text} <{link}|Open in Triage>" if link else text


def body_of(delivery: WebhookDelivery) -> bytes:
    if delivery.endpoint.format == WebhookEndpoint.Format.SLACK:
        content = {"text": slack_text(delivery.payload)}
    else:
        content = {"id": delivery.pk, **delivery.payload}
    return json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()


def backoff(attempts: int) -> timedelta:
    return BACKOFF_BASE * 2 ** max(attempts - 1, 0)


def deliver(delivery_id: int, *, now: datetime | None = None) -> WebhookDelivery | None:
    """Post one delivery, record the answer, plan a retry or give up. Claimed with a
    conditional UPDATE, so two workers never post the same attempt."""
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = WebhookDelivery.objects.filter(
        due,
        pk=delivery_id,
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
    ).update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=None)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active and delivery.event != TEST_EVENT:
        delivery.status, delivery.error = WebhookDelivery.Status.FAILED, "The endpoint is off."
        delivery.save(update_fields=["status", "error"])
        return delivery
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "RecruiterInboxTriage-Webhooks/1",
        "X-Triage-Event": delivery.event,
        "X-Triage-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(endpoint.secret, int(time.time()), body),
    }
    if address := private_address(endpoint.url):
        status, snippet = None, ""
        error = f"Refused: {address} is not a public address (WEBHOOK_ALLOW_PRIVATE_NETWORKS)."
    else:
        status, snippet, error = _post(endpoint.url, body, headers)
    delivery.response_status, delivery.response_snippet = status, snippet
    delivery.error = error
    if not error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    elif delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS and delivery.event != TEST_EVENT:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    else:
        delivery.status = WebhookDelivery.Status.FAILED
    delivery.save(
        update_fields=[
            "status",
            "response_status",
            "response_snippet",
            "error",
            "next_attempt_at",
        ]
    )
    if error:
        _count_failure(endpoint, error, now=now)
    if delivery.status == WebhookDelivery.Status.RETRYING:
        enqueue_delivery(delivery.pk, run_after=delivery.next_attempt_at)
    return delivery


def _post(url: str, body: bytes, headers: dict) -> tuple[int | None, str, str]:
    """The receiver's status and the start of its answer, and an error ("" for a 2xx)."""
    try:
        response = requests.post(
            url,
            data=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.Timeout:
        return None, "", f"No answer within {settings.WEBHOOK_TIMEOUT_SECONDS} s."
    except requests.RequestException as problem:
        return None, "", f"Could not connect: {type(problem).__name__}."
    status, snippet = response.status_code, response.text[:SNIPPET_CHARS]
    return status, snippet, "" if 200 <= status < 300 else f"HTTP {status}"


def _count_failure(endpoint: WebhookEndpoint, error: str, *, now: datetime) -> None:
    """One more failure in a row; past the limit, the endpoint is switched off with a note
    and its waiting retries are dropped."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    limit = settings.WEBHOOK_DISABLE_AFTER
    reason = (
        f"Switched off on {now:%Y-%m-%d %H:%M} UTC after {limit} failed deliveries in a row "
        f"(the last: {error}). Fix the receiver, then switch it on again."
    )
    switched_off = WebhookEndpoint.objects.filter(
        pk=endpoint.pk, is_active=True, consecutive_failures__gte=limit
    ).update(is_active=False, disabled_at=now, disabled_reason=reason)
    if switched_off:
        log.warning("Webhook endpoint %s switched off: %s", endpoint.pk, reason)
        WebhookDelivery.objects.filter(
            endpoint=endpoint, status=WebhookDelivery.Status.RETRYING
        ).update(status=WebhookDelivery.Status.FAILED, error="The endpoint was switched off.")


def send_due_webhooks(*, now: datetime | None = None) -> int:
    """Enqueue deliveries whose time has come: retries a backend could not defer, and any
    whose task was lost (a worker killed mid-drain). A delivery enqueued twice is sent once."""
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(
            Q(status=WebhookDelivery.Status.RETRYING, next_attempt_at__lte=now)
            | Q(status=WebhookDelivery.Status.PENDING, created_at__lte=now - timedelta(minutes=1))
        ).values_list("pk", flat=True)
    )
    for delivery_id in ids:
        tasks.deliver_webhook.enqueue(delivery_id)
    return len(ids)
