"""A database of its own for a command that measures (the benchmarks), so measuring never
touches the real inbox."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db import connections
from django.test.utils import setup_databases, teardown_databases


@contextlib.contextmanager
def throwaway_database(label: str) -> Iterator[Path]:
    """Point the default connection at a new, migrated database for the block, and drop it
    after: a file in a temporary folder on SQLite (on disk, as in use, so a worker process
    can open it too), `<label>_<name>_<pid>` on PostgreSQL. Yields the temporary folder,
    for any other files the command writes."""
    database = connections["default"].settings_dict
    vendor = connections["default"].vendor
    with tempfile.TemporaryDirectory(prefix=f"{label}_") as folder:
        database.setdefault("TEST", {})["NAME"] = (
            str(Path(folder) / f"{label}.sqlite3")
            if vendor == "sqlite"
            else f"{label}_{database['NAME']}_{os.getpid()}"
        )
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            yield Path(folder)
        finally:
            teardown_databases(old_config, verbosity=0)
