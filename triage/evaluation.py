"""Measure the rules against a labeled folder: profile.json, emails/*.eml, labels.csv.

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

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
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


def read_labels(folder: Path) -> list[dict[str, str]]:
    with (folder / "labels.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row.get("bucket") not in BUCKETS:
            raise ValueError(f"labels.csv: {row.get('file')}: bucket must be one of {BUCKETS}")
    return rows


def evaluate_folder(folder: Path) -> Report:
    """Import the folder's profile, ingest its emails and compare with the labels.

    Writes to the current database: run it in a throw-away one (the `evaluate` command does)."""
    profiles.import_profile(json.loads((folder / "profile.json").read_text(encoding="utf-8")))
    profile = profiles.load_profile()
    confusion = {expected: dict.fromkeys(BUCKETS, 0) for expected in BUCKETS}
    misses, correct, samples = [], 0, []
    labels = read_labels(folder)
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
