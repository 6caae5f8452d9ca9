"""Measure the rules against labeled folders: profile.json, emails/*.eml, labels.csv.

labels.csv has `file,bucket` and may have `why` (the label's explanation), `half` ("tune"
or "test": rules are changed only while looking at the tuning half, and the test half is
what is reported) and `flags` (read by others, ignored here). A row with no half belongs
to both halves.

The emails go through the same intake as real mail (parse, store, triage), so the
figures describe what recruiters would see, not a side path. Beside the rules, the
assistant's cross-validated accuracy on the same labels: trained on some, tested on the
others, in turn (it has no other way to be fair on a set this small)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from triage import assistant, mail
from triage.models import Bucket
from triage.services import intake, profiles
from triage.services.assistant import document_for

BUCKETS = list(Bucket.values)
HALVES = ("tune", "test")


@dataclass(frozen=True)
class Miss:
    file: str
    expected: str
    got: str
    rule: str
    why: str  # the label's explanation, when the folder gives one


@dataclass(frozen=True)
class Report:
    total: int
    correct: int
    confusion: dict[str, dict[str, int]]  # expected -> got -> count
    misses: list[Miss]
    # None when the labels are too few to cross-validate on; `assistant_note` says why.
    assistant: assistant.CrossValidation | None = None
    assistant_note: str = ""

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def sent_to_funnel(self) -> int:
        """The costly miss: a network or exceptional person told to apply on the careers site."""
        return self.confusion["network"]["funnel"] + self.confusion["exceptional"]["funnel"]

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "network_or_exceptional_sent_to_funnel": self.sent_to_funnel,
            "confusion": self.confusion,
            "misses": [miss.__dict__ for miss in self.misses],
            "assistant": {
                "method": f"{self.assistant.folds}-fold cross-validation",
                "folds": self.assistant.folds,
                "correct": self.assistant.correct,
                "total": self.assistant.total,
                "accuracy": round(self.assistant.accuracy, 4),
            }
            if self.assistant
            else {"accuracy": None, "note": self.assistant_note},
        }


def read_labels(folder: Path, half: str | None = None) -> list[dict[str, str]]:
    """The folder's labeled rows; with `half`, only that half's (and rows of no half)."""
    with (folder / "labels.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row.get("bucket") not in BUCKETS:
            raise ValueError(f"labels.csv: {row.get('file')}: bucket must be one of {BUCKETS}")
        if (row.get("half") or "") not in ("", *HALVES):
            raise ValueError(f"labels.csv: {row.get('file')}: half must be one of {HALVES}")
    return [row for row in rows if half is None or (row.get("half") or half) == half]


def evaluate_folder(folder: Path, *, half: str | None = None) -> Report:
    """Import the folder's profile, ingest its emails and compare with the labels (only
    `half`'s rows when given).

    Writes to the current database: run it in a throw-away one (the `evaluate` command does)."""
    profiles.import_profile(json.loads((folder / "profile.json").read_text(encoding="utf-8")))
    profile = profiles.load_profile()
    confusion = {expected: dict.fromkeys(BUCKETS, 0) for expected in BUCKETS}
    misses, correct, samples = [], 0, []
    labels = read_labels(folder, half)
    for row in labels:
        raw = (folder / "emails" / row["file"]).read_bytes()
        try:
            request = intake.ingest_email(raw, profile=profile)
        except mail.MailParseError as error:
            raise ValueError(f"{row['file']}: {error}") from error
        if request is None:
            raise ValueError(f"{row['file']}: a duplicate Message-ID in the folder")
        expected, got = row["bucket"], request.suggested_bucket
        samples.append(assistant.Sample(document_for(request), expected))
        confusion[expected][got] += 1
        if expected == got:
            correct += 1
        else:
            misses.append(
                Miss(row["file"], expected, got, request.suggested_rule, row.get("why", ""))
            )
    try:
        cross_validation, note = assistant.cross_validate(samples), ""
    except assistant.NotEnoughSamples as reason:
        cross_validation, note = None, str(reason)
    return Report(
        total=len(labels),
        correct=correct,
        confusion=confusion,
        misses=misses,
        assistant=cross_validation,
        assistant_note=note,
    )


def combine(reports: dict[str, Report]) -> Report:
    """The overall figure of several folders' reports (keyed by folder name): counts added,
    misses named by folder. The assistant's figure adds up each folder's own cross-validation
    (each company's model is trained on its own labels)."""
    confusion = {
        e: {g: sum(r.confusion[e][g] for r in reports.values()) for g in BUCKETS} for e in BUCKETS
    }
    misses = [
        Miss(f"{name}/{m.file}", m.expected, m.got, m.rule, m.why)
        for name, report in reports.items()
        for m in report.misses
    ]
    measured = [r.assistant for r in reports.values() if r.assistant]
    cross_validation = (
        assistant.CrossValidation(
            folds=max(cv.folds for cv in measured),
            correct=sum(cv.correct for cv in measured),
            total=sum(cv.total for cv in measured),
        )
        if measured and len(measured) == len(reports)
        else None
    )
    return Report(
        total=sum(r.total for r in reports.values()),
        correct=sum(r.correct for r in reports.values()),
        confusion=confusion,
        misses=misses,
        assistant=cross_validation,
        assistant_note="" if cross_validation else "not measured on every folder",
    )


def format_summary(reports: dict[str, Report], overall: Report) -> str:
    """One line per folder and one for all of them: accuracy and the costly misses."""
    width = max(len(name) for name in [*reports, "Overall"]) + 2

    def line(name: str, report: Report) -> str:
        return (
            f"{name.ljust(width)}{report.accuracy:>7.1%} ({report.correct}/{report.total})"
            f"   network or exceptional sent to the funnel: {report.sent_to_funnel}"
        )

    return "\n".join([*(line(n, r) for n, r in reports.items()), line("Overall", overall)])


def format_comparison(report: Report) -> str:
    rules = f"Rules: {report.accuracy:.1%} ({report.correct}/{report.total})"
    if report.assistant is None:
        return f"{rules}   Assistant: not measured. {report.assistant_note}"
    cv = report.assistant
    return f"{rules}   Assistant ({cv.folds}-fold CV): {cv.accuracy:.1%} ({cv.correct}/{cv.total})"


def format_report(report: Report) -> str:
    width = max(len(b) for b in BUCKETS) + 2
    lines = [
        f"Accuracy: {report.accuracy:.1%} ({report.correct}/{report.total})",
        f"Network or exceptional sent to the funnel: {report.sent_to_funnel}",
        format_comparison(report),
        "",
        "Confusion (rows: expected, columns: rules)",
        "".ljust(width) + "".join(b.rjust(width) for b in BUCKETS),
    ]
    for expected in BUCKETS:
        counts = report.confusion[expected]
        lines.append(expected.ljust(width) + "".join(str(counts[b]).rjust(width) for b in BUCKETS))
    lines.append("")
    lines.append(f"Misses: {len(report.misses)}")
    for miss in report.misses:
        lines.append(f"  {miss.file}: expected {miss.expected}, got {miss.got} by {miss.rule}")
        if miss.why:
            lines.append(f"      label says: {miss.why}")
    return "\n".join(lines)
