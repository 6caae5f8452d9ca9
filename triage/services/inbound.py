"""Intake from email providers' inbound webhooks (Mailgun, Postmark, SendGrid, ... through
django-anymail): the provider posts a message, anymail checks and parses the post, and the
message goes through the one intake path as raw bytes, like a file or an IMAP fetch."""

from __future__ import annotations

import email.policy
from contextvars import ContextVar

from anymail.inbound import AnymailInboundMessage
from django.conf import settings

from triage.services import intake

# Set once a webhook post has been parsed into a message and handed to intake. A post that
# fails before then is malformed (400: the provider would only post it again the same way);
# one that fails after is a storage error (500: the provider retries, nothing is lost).
reached_intake: ContextVar[bool] = ContextVar("reached_intake", default=False)


def webhook_refusal(*, esp_name: str) -> str | None:
    """Why a webhook post must be refused before anymail looks at it, or None.

    Anymail accepts posts with nothing but a warning while WEBHOOK_SECRET is unset, so
    anyone who finds the URL could file requests; here an unsecured endpoint refuses
    instead. Mailgun also signs its posts, and its signing key is required too."""
    anymail = getattr(settings, "ANYMAIL", {})
    if not anymail.get("WEBHOOK_SECRET"):
        return "Inbound webhooks are off: set ANYMAIL_WEBHOOK_SECRET (user:password)."
    if esp_name == "Mailgun" and not anymail.get("MAILGUN_WEBHOOK_SIGNING_KEY"):
        return "Mailgun webhooks are off: set MAILGUN_WEBHOOK_SIGNING_KEY."
    return None


def ingest_inbound(
    *, message: AnymailInboundMessage, esp_name: str, event_id: str | None = None
) -> intake.IngestSummary:
    """Store and triage one message a provider posted. A message intake cannot read is
    quarantined (the provider gets its 200 and does not retry); an error storing it raises,
    so the provider gets a 500 and posts it again later: nothing is lost either way."""
    reached_intake.set(True)
    source = f"{esp_name} inbound webhook" + (f" {event_id}" if event_id else "")
    return intake.ingest_sources([(source, raw_bytes(message))])


def raw_bytes(message: AnymailInboundMessage) -> bytes:
    """The message as it would sit in a mailbox. Anymail parsed it (from the provider's raw
    MIME, or built it from the provider's parsed fields); write it back with its own
    (modern) policy, which encodes non-ASCII names properly. A header that policy refuses
    to write is written as it was read, by the lenient compat32 policy: never lose a post."""
    try:
        return message.as_bytes()
    except (ValueError, TypeError, UnicodeError, LookupError, IndexError):
        return message.as_bytes(policy=email.policy.compat32)
