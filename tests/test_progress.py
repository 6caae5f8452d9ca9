"""Long imports show a progress bar, but only to a person watching a real terminal."""

import contextlib
import fcntl
import os
import select
import struct
import termios
from io import StringIO

import pytest
from django.core.management import call_command

from tests.test_import_csv import GOOD
from triage import bench

pytestmark = pytest.mark.django_db


class Terminal:
    """A real pseudo-terminal to use as stderr, and what was drawn on it."""

    def __init__(self):
        self.master, slave = os.openpty()
        # A new pseudo-terminal is 0×0; give it the size of a real one (24 rows, 80 columns).
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.stream = os.fdopen(slave, "w", encoding="utf-8", buffering=1)

    def run(self, *args, **kwargs) -> str:
        """call_command with stderr on this terminal (set here: pytest resets sys.stderr
        between a fixture and the test); returns the screen's output."""
        with contextlib.redirect_stderr(self.stream):
            call_command(*args, **kwargs)
        self.stream.flush()
        chunks = []
        while select.select([self.master], [], [], 0.2)[0]:
            chunks.append(os.read(self.master, 65536))
        return b"".join(chunks).decode()

    def close(self):
        self.stream.close()
        os.close(self.master)


@pytest.fixture
def terminal():
    terminal = Terminal()
    yield terminal
    terminal.close()


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for number in range(3):
        (folder / f"{number}.eml").write_bytes(bench.generated_message(number))
    return folder


def test_ingest_draws_a_bar_on_a_terminal(profile, inbox, terminal):
    out = StringIO()
    drawn = terminal.run("ingest", str(inbox), stdout=out)

    assert "100%|" in drawn and "3/3" in drawn and "msg/s" in drawn
    assert out.getvalue().startswith("3 new")  # the summary is unchanged, on stdout


def test_ingest_draws_nothing_in_json_mode(profile, inbox, terminal):
    out = StringIO()
    assert terminal.run("ingest", str(inbox), "--json", stdout=out) == ""
    assert '"new": 3' in out.getvalue()


def test_ingest_draws_nothing_when_stderr_is_not_a_terminal(profile, inbox, capsys):
    call_command("ingest", str(inbox), stdout=StringIO())
    assert "%|" not in capsys.readouterr().err


def test_import_csv_draws_a_bar_on_a_terminal(profile, tmp_path, terminal):
    path = tmp_path / "requests.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    drawn = terminal.run("import_csv", str(path), stdout=out)

    assert "100%|" in drawn and "2/2" in drawn and "row/s" in drawn
    assert out.getvalue().strip() == "2 new, 0 duplicates"


def test_import_csv_draws_nothing_in_json_mode(profile, tmp_path, terminal):
    path = tmp_path / "requests.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert terminal.run("import_csv", str(path), "--json", stdout=StringIO()) == ""
