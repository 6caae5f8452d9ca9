"""Personal API tokens: made and revoked on a user's settings page, checked by the API.

Only a SHA-256 of each key is stored; the key itself is shown once, when it is made. A key
is 256 random bits, so a fast hash is enough (no password stretching needed: nobody can
guess one), and looking a key up is one indexed query."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from triage.models import ApiToken
from triage.services import audit

KEY_PREFIX = "tri_"
# last_used_at is written at most this often per token: one UPDATE that usually matches
# nothing, not a write on every call.
USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, and its key (to show once; it is not stored)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API token", prefix=key[:12], key_hash=hash_key(key)
    )
    audit.record(
        action=audit.Action.CHANGED_API_TOKEN,
        by=user,
        target=token,
        description=f"Made API token #{token.pk} ({token.prefix}…)",
    )
    return token, key


def revoke_token(*, token: ApiToken, by) -> ApiToken:
    """Stop a token working at once. A user revokes only their own (the view checks)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            action=audit.Action.CHANGED_API_TOKEN,
            by=by,
            target=token,
            description=f"Revoked API token #{token.pk} ({token.prefix}…)",
        )
    return token


def user_for_key(key: str):
    """The active user a live key belongs to, else None; notes when the token was used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USED_RESOLUTION)
    ).update(last_used_at=now)
    return token.user
