"""Intake: every request, whatever its channel, is stored and triaged here."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from triage import mail, rules
from triage.models import (
    Candidate,
    CandidateRequest,
)
from triage.services.profiles import load_profile

# --- Triage --------------------------------------------------------------------------------


def _addresses(pairs: Iterable) -> tuple[rules.Address, ...]:
    return tuple(rules.Address(name=name, email=email.lower()) for name, email in pairs)


def facts_for(request: CandidateRequest) -> rules.RequestFacts:
    return rules.RequestFacts(
        sender=rules.Address(name=request.candidate.name, email=request.candidate.email),
        subject=request.subject,
        body=mail.new_text(request.body),
        to=_addresses(request.recipients_to),
        cc=_addresses(request.recipients_cc),
    )


def apply_verdict(request: CandidateRequest, verdict: rules.Verdict) -> None:
    """Record the rules' verdict on a request (saved or not; the caller saves it).

    A bucket a recruiter chose is never changed by the rules."""
    request.suggested_bucket = verdict.bucket.value
    request.suggested_rule = verdict.rule
    request.reasons = [{"text": r.text, "evidence": list(r.evidence)} for r in verdict.reasons]
    request.also_matched = list(verdict.also_matched)
    if request.final_bucket_set_by_id is None:
        request.final_bucket = verdict.bucket.value


# --- Intake --------------------------------------------------------------------------------


@dataclass
class IngestSummary:
    new: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    buckets: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "new": self.new,
            "duplicates": self.duplicates,
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "buckets": dict(self.buckets),
        }


def _get_or_create_candidate(*, email: str, name: str) -> Candidate:
    candidate, created = Candidate.objects.get_or_create(
        email=email.lower(), defaults={"name": name}
    )
    if not created and name and not candidate.name:
        candidate.name = name
        candidate.save(update_fields=["name"])
    return candidate


def create_request(
    *,
    sender: rules.Address,
    subject: str,
    body: str,
    received_at: datetime,
    channel: str = CandidateRequest.Channel.EMAIL,
    message_id: str | None = None,
    to: Iterable[rules.Address] = (),
    cc: Iterable[rules.Address] = (),
    profile: rules.Profile,
) -> CandidateRequest | None:
    """Store and triage one request. None when its Message-ID is already stored."""
    if message_id and CandidateRequest.objects.filter(message_id=message_id).exists():
        return None
    with transaction.atomic():
        candidate = _get_or_create_candidate(email=sender.email, name=sender.name)
        request = CandidateRequest(
            candidate=candidate,
            channel=channel,
            subject=subject[:500],
            body=body,
            received_at=received_at,
            message_id=message_id,
            recipients_to=[[a.name, a.email] for a in to],
            recipients_cc=[[a.name, a.email] for a in cc],
        )
        apply_verdict(request, rules.classify(facts_for(request), profile))
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            # Another import stored the same Message-ID between our check and our insert.
            if message_id and CandidateRequest.objects.filter(message_id=message_id).exists():
                return None
            raise
    return request


NO_MESSAGE_ID_DOMAIN = "no-message-id.invalid"


def content_message_id(parsed: mail.ParsedEmail) -> str:
    """A stand-in Message-ID from sender, date and text, so a message without one is still
    stored once however often it is imported."""
    date = parsed.date.isoformat() if parsed.date else ""
    content = "\0".join([parsed.sender.email, date, parsed.subject, parsed.text])
    return f"<{hashlib.sha256(content.encode()).hexdigest()}@{NO_MESSAGE_ID_DOMAIN}>"


def ingest_email(raw: bytes, *, profile: rules.Profile) -> CandidateRequest | None:
    """Parse, store and triage one raw email. None for a duplicate; MailParseError if unreadable."""
    parsed = mail.parse_email(raw)
    return create_request(
        sender=parsed.sender,
        subject=parsed.subject,
        body=parsed.text,
        received_at=parsed.date or timezone.now(),
        message_id=parsed.message_id or content_message_id(parsed),
        to=parsed.to,
        cc=parsed.cc,
        profile=profile,
    )


def ingest_paths(paths: Iterable[Path]) -> IngestSummary:
    """Ingest every message under `paths`. A bad message is reported and the run goes on."""
    profile = load_profile()
    summary = IngestSummary()
    for path in paths:
        try:
            sources = list(mail.iter_sources(Path(path)))
        except (OSError, ValueError) as error:
            summary.failed.append((str(path), str(error)))
            continue
        for source, raw in sources:
            try:
                request = ingest_email(raw, profile=profile)
            except mail.MailParseError as error:
                summary.failed.append((source, str(error)))
                continue
            if request is None:
                summary.duplicates += 1
            else:
                summary.new += 1
                summary.buckets[request.final_bucket] += 1
    return summary
