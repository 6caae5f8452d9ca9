"""The ingest benchmark: it runs end to end in a throw-away database and says what it did.
(Its speed is reported, never asserted: the machine may be busy.)"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.bench


def test_the_benchmark_ingests_the_generated_mix_and_reports_every_figure():
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_ingest", "--count", "250", "--jobs", "2", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "DEBUG": "1"},
    )

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["messages"], data["jobs"]) == (250, 2)
    assert data["parse_per_second"] > 0 and data["end_to_end_per_second"] > 0
    assert data["peak_rss_megabytes"] > 0
    summary = data["summary"]
    # Of 250: every 100th unreadable (2, the same bytes: one kept, one a duplicate), every
    # 50th an auto-reply (3), every 20th a follow-up (10, less the 2 unreadable ones), the
    # rest new requests.
    assert (summary["new"], summary["threaded"], summary["duplicates"]) == (235, 10, 1)
    assert [item["reason"] for item in summary["set_aside"]] == [
        "machine mail: auto-submitted (auto-replied)"
    ] * 3
    assert [item["reason"] for item in summary["quarantined"]] == [
        "no sender address in the From header"
    ]
    # The same mbox again: all 250 found before a parse; the 3 auto-replies and the 2
    # unreadable ones among them are in quarantine already.
    reimport = data["reimport"]
    assert (reimport["new"], reimport["duplicates"], reimport["already_kept_aside"]) == (0, 250, 5)
    assert data["reimport_per_second"] > 0
    # The big message: refused at the default cap, then taken in under a raised one.
    assert data["big_megabytes"] > data["big_cap_megabytes"] > 0
    assert data["big_refused_seconds"] > 0 and data["big_taken_in_seconds"] > 0
