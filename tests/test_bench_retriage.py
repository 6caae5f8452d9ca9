"""The re-triage benchmark: it runs in a throw-away database and says what it did.
(Its speed is reported, never asserted: the machine may be busy.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.bench


def test_the_benchmark_re_triages_the_generated_mix_and_reports_both_figures():
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_retriage", "--count", "100", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "DEBUG": "1"},
    )

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # Of 100: every 10th answered (9, 19, ...) and every 25th overridden (24, 74; 49 and 99
    # are answered too).
    assert data["untouched"] == 88
    summary = data["summary"]
    assert (summary["examined"], summary["changed"]) == (88, 88)  # stored with no reasons
    moves = {(m["from"], m["to"]): m["count"] for m in summary["moves"]}
    # Every 10th from 5 on has a best paper award in a hard-to-fill skill, every 10th from 8
    # is a notable person: 20. Introductions (6), known contacts (7) and people not looking
    # yet (4, less 24 and 74, overridden) go to network: 28.
    assert moves == {("funnel", "exceptional"): 20, ("funnel", "network"): 28}
    assert data["evaluate_per_second"] > 0 and data["retriage_seconds"] > 0
    assert data["started_pool_per_second"] > 0 and data["parallel_per_second"] > 0
