"""Figures from the labeled corpora: the flags against their labels, and the assistant on a
company it never saw (evaluate_flags, evaluate_assistant)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from triage import corpus_evaluation

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpora"
TWO = [CORPORA / "cargoline", CORPORA / "harbor-bank"]


@pytest.fixture(scope="module")
def triaged(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return {folder.name: corpus_evaluation.triage_folder(folder) for folder in TWO}


@pytest.mark.django_db
def test_each_company_is_triaged_through_intake_and_rolled_back(triaged):
    from triage.models import CandidateRequest, TriageProfile

    assert [len(items) for items in triaged.values()] == [90, 110]
    first = triaged["cargoline"][0]
    assert (first.email.file, first.email.half, first.email.bucket) == ("001.eml", "tune", "funnel")
    assert not CandidateRequest.objects.exists() and TriageProfile.load() is None


def test_the_flags_are_scored_on_each_half(triaged):
    scores, mistakes = corpus_evaluation.flag_scores([t for ts in triaged.values() for t in ts])

    by_key = {(s.flag, s.half): s for s in scores}
    assert set(by_key) == {(f, h) for f in ("urgent", "not-candidate") for h in ("tune", "test")}
    # These two companies' labels: 13 urgent and 12 not-candidate requests in all.
    assert sum(s.found + s.missed for (f, _), s in by_key.items() if f == "urgent") == 13
    assert sum(s.found + s.missed for (f, _), s in by_key.items() if f != "urgent") == 12
    for score in scores:
        assert score.recall >= 0.75 and score.precision >= 0.75
    text = corpus_evaluation.format_flag_scores(scores, mistakes)
    assert "urgent         tune" in text and f"Mistakes: {len(mistakes)}" in text


def test_the_assistant_is_tested_on_a_company_it_never_saw(triaged):
    results = corpus_evaluation.cross_company(triaged)

    rows = corpus_evaluation.as_dict(results)
    assert [r["company"] for r in rows] == ["cargoline", "harbor-bank", "overall"]
    assert [r["total"] for r in rows] == [90, 110, 200]
    for row in rows:
        assert 0 <= row["agrees_with_rules"] <= row["total"]
        assert row["assistant_accuracy"] >= 0.6  # a real model, not a constant guess
    text = corpus_evaluation.format_cross_company(results)
    assert "trained on the other companies' labels only" in text


def manage(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "DEBUG": "1"},
    )


def test_the_commands_print_the_figures_and_refuse_bad_folders(tmp_path):
    flags = manage("evaluate_flags", *map(str, TWO), "--json")
    assert flags.returncode == 0, flags.stderr
    assert {s["flag"] for s in json.loads(flags.stdout)["scores"]} == {"urgent", "not-candidate"}

    one = manage("evaluate_assistant", str(TWO[0]))
    assert one.returncode == 1 and "Give at least two companies' folders" in one.stderr
    unlabeled = manage("evaluate_flags", str(tmp_path))
    assert unlabeled.returncode == 1 and "no labels.csv here" in unlabeled.stderr
