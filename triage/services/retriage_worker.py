"""The worker side of re-triage in several processes (see retriage._evaluated).

A worker is a fresh process: this module is imported before Django is set up, so it sets
Django up itself, then keeps the profile and the compiled rule set for all its tasks."""

from __future__ import annotations

import os
import time

import django

_state: dict = {}


def start(profile, snapshot: tuple[int | None, list | None], secret_key: str) -> None:
    """Once per worker: the profile, and the rule set from its saved snapshot (custom rules
    compile to closures, which cannot be sent to another process). Settings refuse to load
    without a secret key; the worker uses the one its parent runs with (under the tests or
    DEBUG, the parent may have none in its environment)."""
    os.environ.setdefault("SECRET_KEY", secret_key)
    django.setup()
    from triage.services import rulebook

    version, items = snapshot
    book = (
        rulebook.DEFAULT_RULEBOOK
        if version is None
        else rulebook.compile_snapshot(items, version=version)
    )
    _state.update(profile=profile, book=book)


def review(rows: list[dict]) -> tuple[list[dict], float]:
    """The new verdicts of some rows, and the CPU seconds they took here."""
    from triage.services.verdicts import reviewed_rows  # see start(): Django is set up by now

    started = time.process_time()
    verdicts = reviewed_rows(rows, _state["profile"], _state["book"])
    return verdicts, time.process_time() - started
