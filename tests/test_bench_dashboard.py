"""The dashboard benchmark: it fills a throw-away database and says what it measured.
(Its speed is reported, never asserted: the machine may be busy.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.bench


def test_the_benchmark_renders_the_dashboard_over_the_generated_requests():
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_dashboard", "--count", "200", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "DEBUG": "1", "LOG_REQUESTS": "0"},
    )

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["requests"], data["replies"]) == (200, 140)  # seven in ten answered
    assert data["queries"] <= 4  # figures from the cache: session, user, the bell
    assert set(data["each_figure_ms"]) == {
        "buckets",
        "reply-time",
        "rule-precision",
        "network-path",
        "replies",
        "waiting",
    }
    assert data["first_ms"] > 0 and data["median_ms"] > 0
    # Cold renders compute every figure: one query each, whatever the data's size.
    assert data["queries"] < data["cold_queries"] <= 12 and data["cold_median_ms"] > 0
