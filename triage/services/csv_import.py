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
# A field longer than this is refused by line rather than read (the csv module's own limit,
# which otherwise ends the read with an exception).
MAX_FIELD_CHARS = 128 * 1024
MAX_NAME_CHARS = 200  # Candidate.name


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
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as error:
        report.errors.append((1, _unreadable(error)))
        return report
    missing = [c for c in COLUMNS if c not in fieldnames]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            # Named by the line its row starts on; the reader cannot resync after this, so
            # the rest of the file is not checked.
            report.errors.append((reader.line_num + 1, _unreadable(error)))
            break
        line = reader.line_num
        problems = _problems(row)
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        report.rows.append(
            Row(
                line=line,
                sender=rules.Address(name=(row["name"] or "").strip(), email=_email(row)),
                subject=(row["subject"] or "").strip(),
                message=row["message"].strip(),
                received_at=_received_at(row),
            )
        )
    return report


def _unreadable(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field is longer than {MAX_FIELD_CHARS // 1024} KB"
    return f"not readable as CSV ({error})"


def _email(row: dict) -> str:
    return (row["email"] or "").strip().lower()


def _received_at(row: dict) -> datetime | None:
    """The row's date, aware; None when it is not one (including impossible dates)."""
    try:
        received_at = parse_datetime((row["received_at"] or "").strip())
    except ValueError:  # well formed but impossible, such as 2025-02-30
        return None
    if received_at is not None and timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    return received_at


def _problems(row: dict) -> list[str]:
    problems = []
    # PostgreSQL cannot store a NUL character in text, so it is refused here for every database.
    nul = [c for c in COLUMNS if "\x00" in (row[c] or "")]
    if nul:
        problems.append(f"{', '.join(nul)} contains a NUL character")
    email = _email(row)
    try:
        validate_email(email)
    except ValidationError:
        problems.append(f"email {email[:80]!r} is not an address")
    if len((row["name"] or "").strip()) > MAX_NAME_CHARS:
        problems.append(f"name is longer than {MAX_NAME_CHARS} characters")
    if not (row["message"] or "").strip():
        problems.append("message is empty")
    if _received_at(row) is None:
        problems.append(f"received_at {(row['received_at'] or '')[:80]!r} is not a date and time")
    return problems


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
