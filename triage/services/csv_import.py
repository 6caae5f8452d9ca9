"""Requests exported from other tools, as CSV: name, email, subject, message, received_at.

Every row is checked before anything is written: a file with one bad row imports nothing,
and a dry run lists every row's errors. A row is stored once however often the file is
imported (a content hash stands in for its Message-ID)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from triage import rules
from triage.models import CandidateRequest
from triage.services.intake import content_hash_id, create_request
from triage.services.profiles import load_profile

COLUMNS = ("name", "email", "subject", "message", "received_at")


@dataclass(frozen=True)
class Row:
    line: int
    sender: rules.Address
    subject: str
    message: str
    received_at: datetime


@dataclass
class CsvReport:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, what is wrong)
    new: int = 0
    duplicates: int = 0

    def as_dict(self) -> dict:
        return {
            "rows": len(self.rows),
            "new": self.new,
            "duplicates": self.duplicates,
            "errors": [{"line": line, "error": error} for line, error in self.errors],
        }


def check_csv(text: str) -> CsvReport:
    """Read and check every row; write nothing."""
    report = CsvReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    for row in reader:
        line = reader.line_num
        problems = []
        email = (row["email"] or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"email {email!r} is not an address")
        if not (row["message"] or "").strip():
            problems.append("message is empty")
        received_at = parse_datetime((row["received_at"] or "").strip())
        if received_at is None:
            problems.append(f"received_at {row['received_at']!r} is not a date and time")
        elif timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        report.rows.append(
            Row(
                line=line,
                sender=rules.Address(name=(row["name"] or "").strip(), email=email),
                subject=(row["subject"] or "").strip(),
                message=row["message"].strip(),
                received_at=received_at,
            )
        )
    return report


def import_csv(
    text: str, *, dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> CsvReport:
    """Check every row, then (unless a dry run, and only if no row has an error) store them.

    `progress(done, total)` is called as rows are stored."""
    report = check_csv(text)
    if dry_run or report.errors:
        return report
    profile = load_profile()
    with transaction.atomic():
        for done, row in enumerate(report.rows, start=1):
            request = create_request(
                sender=row.sender,
                subject=row.subject,
                body=row.message,
                received_at=row.received_at,
                channel=CandidateRequest.Channel.IMPORT,
                message_id=content_hash_id(
                    row.sender.email, row.received_at, row.subject, row.message
                ),
                profile=profile,
            )
            if request is None:
                report.duplicates += 1
            else:
                report.new += 1
            if progress:
                progress(done, len(report.rows))
    return report
