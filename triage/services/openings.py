"""Openings as recruiters run them: save, open, close (who fits one: selectors/talent.py)."""

from __future__ import annotations

from django.db import transaction

from triage.models import Opening
from triage.services import fits


@transaction.atomic
def set_open(*, opening: Opening, is_open: bool) -> Opening:
    opening.is_open = is_open
    opening.save(update_fields=["is_open"])
    fits.opening_changed(opening)  # a closed role keeps none; a reopened one is ranked again
    return opening


@transaction.atomic
def save_opening(*, opening: Opening) -> Opening:
    """Create or change an opening (the form has checked it). The toggle and the edit form
    both change openings here, so what saving an opening does stays in one place."""
    opening.save()
    fits.opening_changed(opening)  # its skills or place may be new
    return opening
