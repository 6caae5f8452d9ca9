"""The audit log: one function writes an entry, one purges old ones.

Writes are recorded by the service that makes them (so the pages, the commands and any API
calling the same service are all audited); reads (a page viewed, an export, a download) by
the view that serves them. Descriptions name things by id and kind only, never a
candidate's name, address or words: erasing a person leaves nothing personal here."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from triage.audit import client_address_var
from triage.models import AuditEntry

Action = AuditEntry.Action


def record(
    *, action: str, by, target=None, target_type: str = "", target_id="", description: str = ""
) -> AuditEntry:
    """One entry: `by` the user (None for the system or the candidate), `target` the model
    row acted on (its kind and id are kept, not the row), or its kind and id given as such
    (a row that is gone, like an erased person)."""
    if target is not None:
        target_type, target_id = target._meta.model_name, target.pk
    return AuditEntry.objects.create(
        user=by if getattr(by, "is_authenticated", False) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id) if target_id not in ("", None) else "",
        description=description[:300],
        ip=client_address_var.get(),
    )


def record_read(*, action: str, by, target, description: str) -> AuditEntry:
    """An entry for a page read (a request or a person viewed): as `record`, but on
    PostgreSQL its commit does not wait for the write-ahead log to reach the disk.

    Such an entry is written on every view of those pages, and a synchronous commit is a
    disk flush: 8 to 16 ms on a busy machine, the most of what the request page cost on
    PostgreSQL beyond SQLite's (whose WAL with synchronous=NORMAL does not flush on commit
    either). An unflushed commit is still atomic and in order; what a crash of the
    database server can lose is the last fraction of a second of such entries (the WAL
    writer flushes every 200 ms, and any synchronous commit flushes what came before it).
    Inside a transaction already (a write's), the entry simply joins it."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return record(action=action, by=by, target=target, description=description)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")  # this transaction only
        return record(action=action, by=by, target=target, description=description)


def record_each(*, action: str, by, targets, describe) -> list[AuditEntry]:
    """One entry per row of `targets`, in one insert (a bulk send's replies); `describe(row)`
    gives each entry's description."""
    user = by if getattr(by, "is_authenticated", False) else None
    ip = client_address_var.get()
    return AuditEntry.objects.bulk_create(
        AuditEntry(
            user=user,
            action=action,
            target_type=target._meta.model_name,
            target_id=str(target.pk),
            description=describe(target)[:300],
            ip=ip,
        )
        for target in targets
    )


def purge_old_entries(*, now: datetime | None = None) -> int:
    """Delete entries older than AUDIT_RETENTION_DAYS; how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
