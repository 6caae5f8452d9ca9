"""The configuration every page reads (the triage profile with its openings, notable people
and contacts, the active reply templates, the rules, the assistant model in use, the hiring
managers), kept in each process's memory and guarded by the version the database holds
(models.ConfigVersion).

Any write to those models changes the version's token in the same transaction (`changed`,
called by the receivers in triage.receivers and by the services that write in bulk), so the
next page in every process, whichever worker serves it, sees a token it has not loaded and
reads the configuration again. Reading the token is one small query; a signed-in user's
comes with the user (two_factor.ModelBackend annotates it), so then it costs none."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from threading import Lock

from triage.models import ConfigVersion

_cache: dict[str, tuple[str, object]] = {}
_lock = Lock()


def version(user=None) -> str:
    """The configuration's token: the one loaded with the signed-in `user` (read when the
    request began), else read now (one query)."""
    known = getattr(user, "config_version", None)
    if known is not None:
        return str(known)
    token = ConfigVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return str(token)


def cached[T](key: str, load: Callable[[], T], *, user=None) -> T:
    """`load()`'s value, kept in this process until the configuration's version changes.
    Kept only for a signed-in `user` loaded with the version when their request began (the
    web's pages); anything else (commands, workers, tests' services) reads afresh."""
    if getattr(user, "config_version", None) is None:
        return load()
    token = version(user)
    with _lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] == token:
        return hit[1]  # type: ignore[return-value]
    value = load()
    with _lock:
        _cache[key] = (token, value)
    return value


def changed() -> None:
    """A configuration write: give the version a new token, in the caller's transaction."""
    token = uuid.uuid4()
    if not ConfigVersion.objects.filter(pk=1).update(token=token):
        ConfigVersion.objects.update_or_create(pk=1, defaults={"token": token})


def clear() -> None:
    """Forget this process's copies (a new process starts so; tests simulate one with it)."""
    with _lock:
        _cache.clear()
