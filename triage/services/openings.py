"""Openings as recruiters run them: save, open, close (who fits one: selectors/talent.py)."""

from __future__ import annotations

from triage.models import Opening


def set_open(*, opening: Opening, is_open: bool) -> Opening:
    opening.is_open = is_open
    opening.save(update_fields=["is_open"])
    return opening


def save_opening(*, opening: Opening) -> Opening:
    """Create or change an opening (the form has checked it). The toggle and the edit form
    both change openings here, so what saving an opening does stays in one place."""
    opening.save()
    return opening
