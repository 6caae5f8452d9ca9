"""`make run`'s worker survives a moment of broken code: the recipe starts it again when it
stops, and Ctrl-C (TERM from the recipe's shell) still stops it and what it runs."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def keep_running(command: str, tmp_path: Path) -> subprocess.Popen:
    """The Makefile's KEEP_RUNNING around `command`, started as `make run` starts the worker."""
    started = f"@$(call KEEP_RUNNING,{command},Test) & echo $$! > {tmp_path}/pid; wait"
    recipe = f"try-keep-running: ; {started}"
    return subprocess.Popen(
        [
            "make",
            "-s",
            "--no-print-directory",
            "-f",
            "Makefile",
            "--eval",
            recipe,
            "try-keep-running",
        ],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(check, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_a_command_that_stops_is_started_again(tmp_path):
    runs = tmp_path / "runs"
    make = keep_running(f"sh -c 'echo ran >> {runs}; exit 1'", tmp_path)
    try:
        assert wait_for(lambda: runs.exists() and runs.read_text().count("ran") >= 2)
    finally:
        loop = int((tmp_path / "pid").read_text())
        os.kill(loop, 15)
        make.wait(timeout=10)
    assert "Test stopped (a file that does not import?)" in make.stderr.read()


def test_term_stops_the_loop_and_the_command_it_runs(tmp_path):
    marker = tmp_path / "alive"
    make = keep_running(f"sh -c 'echo $$$$ > {marker}; exec sleep 60'", tmp_path)
    assert wait_for(lambda: marker.exists() and marker.read_text().strip())
    child = int(marker.read_text())

    os.kill(int((tmp_path / "pid").read_text()), 15)

    make.wait(timeout=10)
    assert make.returncode == 0
    assert wait_for(lambda: not Path(f"/proc/{child}").exists(), 5), "the command outlived it"
