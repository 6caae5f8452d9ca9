"""The page benchmark: it loads a small inbox of the realistic shape into a throw-away
database twice (two sizes) and prints every recruiter page with its query count. (Its speed
is reported, never asserted: the machine may be busy.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.bench


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "bench_pages", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "DEBUG": "1"},
    )


def test_the_benchmark_prints_every_page_with_its_query_count_at_both_sizes():
    result = run("--count", "400", "--base", "250", "--repeat", "1", "--json")

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sizes"] == [250, 400]
    names = [row["page"] for row in data["pages"]]
    for page in (
        "inbox: funnel, new",
        "inbox: funnel, any status",
        "inbox: older page, any status",
        "inbox: search, ~1% hits",
        "inbox: search, no hits",
        "request page, 60 messages",
        "person with 200 requests",
        "outbox: failed",
        "talent pool",
        "an opening's page",
        "rules",
        "openings",
        "kept aside (quarantine)",
    ):
        assert page in names
    for row in data["pages"]:
        for size in ("small", "large"):
            assert row[size]["queries"] > 0 and row[size]["p50_ms"] > 0, row
            # What the page cost in CPU, beside what it took by the clock.
            assert row[size]["cpu_p50_ms"] > 0, row
        assert row["cpu_ratio"] == pytest.approx(
            row["large"]["cpu_p50_ms"] / row["small"]["cpu_p50_ms"]
        )
        # The pages this benchmark watches make as many queries at either size.
        assert row["small"]["queries"] == row["large"]["queries"], row


def test_the_table_has_a_line_per_page():
    result = run("--count", "300", "--base", "200", "--repeat", "1", "--only", "inbox")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Recruiter pages on ")
    assert "CPU ms" in lines[2] and lines[-1].startswith("CPU ms: this process's")
    assert any(line.startswith("inbox: search, ~1% hits") for line in lines)
    assert not any(line.startswith("rules") for line in lines)
