"""Re-triage: run the rules again over stored requests nobody has touched yet.

When the rules or the profile change, requests still waiting in the inbox should show what
the rules say now. A request a person has acted on never changes: overridden, answered (a
reply in any state), assigned, or no longer new. That promise is kept twice: the rows read
are the untouched ones, and each UPDATE carries the same conditions plus "not changed since
it was read", so a recruiter who overrides or answers a request meanwhile wins.

Reading goes in primary-key order in chunks, only the columns the rules read: the words
intake kept for them (rules_text), or, on requests stored before it was kept, the thread's
texts (one query per chunk), worked out once and then kept. Only rows whose verdict changed
(or that had no rules_text) are written, one transaction per chunk."""

from __future__ import annotations

import contextlib
import itertools
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from triage import rules, tasks
from triage.models import (
    Attachment,
    Bucket,
    CandidateRequest,
    Message,
    Reply,
    RetriageRun,
    RuleSetVersion,
)
from triage.services import pool, retriage_worker
from triage.services.profiles import load_profile
from triage.services.rulebook import Rulebook, current_rulebook
from triage.services.verdicts import reviewed_rows

CHUNK_SIZE = 2000
PREVIEW_NAMED = 200
VERDICT_FIELDS = (
    "suggested_bucket",
    "suggested_rule",
    "reasons",
    "also_matched",
    "flags",
    "final_bucket",
)
READ_FIELDS = (
    "pk",
    "subject",
    "body",
    "recipients_to",
    "recipients_cc",
    "candidate__name",
    "candidate__email",
    "rules_text",
    "updated_at",
    *VERDICT_FIELDS,
)


@dataclass
class RetriageSummary:
    examined: int = 0  # untouched requests the rules looked at again
    changed: int = 0  # of those, how many got a different verdict (bucket, rule or reasons)
    moves: Counter = field(default_factory=Counter)  # (old bucket, new bucket) -> count
    skipped: int = 0  # touched by someone between our read and our write: left alone
    dry_run: bool = False
    # A dry run's changed requests, named (the first PREVIEW_NAMED): what the preview lists.
    named: list[dict] = field(default_factory=list)

    @property
    def moved(self) -> int:
        return sum(self.moves.values())

    def as_dict(self) -> dict:
        return {
            "examined": self.examined,
            "changed": self.changed,
            "moved": self.moved,
            "moves": [
                {"from": old, "to": new, "count": count}
                for (old, new), count in sorted(self.moves.items())
            ],
            "skipped": self.skipped,
            "dry_run": self.dry_run,
        }


def untouched_requests(*, since: datetime | None = None) -> QuerySet[CandidateRequest]:
    """Requests whose bucket is still the rules' own and that nobody has acted on."""
    requests = CandidateRequest.objects.filter(
        final_bucket_set_by__isnull=True,
        final_bucket_set_at__isnull=True,
        final_bucket=F("suggested_bucket"),
        status=CandidateRequest.Status.NEW,
        assigned_to__isnull=True,
    ).filter(~Exists(Reply.objects.filter(request=OuterRef("pk"))))
    if since is not None:
        requests = requests.filter(received_at__gte=since)
    return requests


def retriage(
    *,
    since: datetime | None = None,
    dry_run: bool = False,
    chunk_size: int = CHUNK_SIZE,
    jobs: int = 1,
    progress: Callable[[RetriageSummary], None] | None = None,
    worker_cpu: list[float] | None = None,
) -> RetriageSummary:
    """Run the rules again over untouched requests (received since `since`, if given) and
    record the new verdicts. With dry_run, count what would change and write nothing.

    With `jobs` > 1 and more than one chunk to do, the rules run in that many processes
    while this one reads and writes (see _evaluated); the verdicts are the same. Their CPU
    seconds go to `worker_cpu`, if given."""
    profile, book = load_profile(), current_rulebook()
    summary = RetriageSummary(dry_run=dry_run)
    chunks = _chunks(untouched_requests(since=since), chunk_size)
    for rows, verdicts in _evaluated(chunks, profile, book, jobs=jobs, worker_cpu=worker_cpu):
        summary.examined += len(rows)
        reviewed = list(zip(rows, verdicts, strict=True))
        changed = [(row, new) for row, new in reviewed if _verdict_changed(row, new)]
        if not dry_run:
            # Rows without rules_text get it now, so the next run need not work it out.
            to_write = [
                (row, new)
                for row, new in reviewed
                if row["texts"] is not None or _verdict_changed(row, new)
            ]
            written = {row["pk"] for row, _ in _write(to_write)} if to_write else set()
            summary.skipped += sum(1 for row, _ in changed if row["pk"] not in written)
            changed = [(row, new) for row, new in changed if row["pk"] in written]
            _refresh_pool(changed)
        summary.changed += len(changed)
        if dry_run and len(summary.named) < PREVIEW_NAMED:
            summary.named += [_named(row, new) for row, new in changed][
                : PREVIEW_NAMED - len(summary.named)
            ]
        summary.moves.update(
            (row["final_bucket"], new["final_bucket"])
            for row, new in changed
            if row["final_bucket"] != new["final_bucket"]
        )
        if progress:
            progress(summary)
    return summary


def _refresh_pool(changed: list[tuple[dict, dict]]) -> None:
    """Into or out of the talent pool: the people whose request moved into or out of
    network-later (three queries a chunk, none when no such move)."""
    network = Bucket.NETWORK
    moved = [
        row["pk"]
        for row, new in changed
        if row["final_bucket"] != new["final_bucket"]
        and network in (row["final_bucket"], new["final_bucket"])
    ]
    if moved:
        ids = CandidateRequest.objects.filter(pk__in=moved).values_list("candidate_id", flat=True)
        pool.refresh(set(ids))


def _chunks(requests: QuerySet[CandidateRequest], size: int):
    """Lists of rows (dicts of READ_FIELDS, plus "files": (name, text) of its attachments,
    and "texts": the candidate's messages when rules_text is missing), in primary-key
    order. Keyset pagination keeps each query cheap however far in we are."""
    last = 0
    while rows := list(requests.filter(pk__gt=last).order_by("pk").values(*READ_FIELDS)[:size]):
        last = rows[-1]["pk"]
        missing = [row["pk"] for row in rows if row["rules_text"] is None]
        texts = defaultdict(list)
        if missing:
            for request_id, text in (
                Message.objects.filter(request_id__in=missing, direction=Message.Direction.IN)
                .order_by("request_id", "received_at", "pk")
                .values_list("request_id", "text")
            ):
                texts[request_id].append(text)
        files = defaultdict(list)
        for request_id, filename, text in Attachment.objects.filter(
            message__request_id__in=[row["pk"] for row in rows]
        ).values_list("message__request_id", "filename", "text"):
            files[request_id].append((filename, text))
        for row in rows:
            row["files"] = files.get(row["pk"], ())
            missing_text = row["rules_text"] is None
            row["texts"] = (texts.get(row["pk"]) or [row["body"]]) if missing_text else None
        yield rows


def _evaluated(
    chunks: Iterator[list[dict]],
    profile: rules.Profile,
    book: Rulebook,
    *,
    jobs: int,
    worker_cpu: list[float] | None = None,
    pool: ProcessPoolExecutor | None = None,
):
    """(rows, their new verdicts) for each chunk, in order.

    In one process, chunk after chunk. With more, each chunk is split between `jobs` worker
    processes (see retriage_worker), and the next chunk is read and the last one written
    while they work, so both cores evaluate. The CPU seconds the workers spent are added to
    `worker_cpu`, if given: their time is not this process's. `pool`: workers already
    started (worker_pool), else they are started here and stopped at the end."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None) if jobs > 1 else None
    if second is None:  # one chunk (or one process): not worth starting processes
        for rows in itertools.chain([first], chunks):
            yield rows, reviewed_rows(rows, profile, book)
        return
    with contextlib.nullcontext(pool) if pool else worker_pool(profile, book, jobs) as pool:
        pending: deque = deque()

        def results(futures) -> list[dict]:
            parts = [future.result() for future in futures]
            if worker_cpu is not None:
                worker_cpu.extend(cpu for _, cpu in parts)
            return [new for verdicts, _ in parts for new in verdicts]

        for rows in itertools.chain([first, second], chunks):
            size = -(-len(rows) // jobs)
            parts = [rows[i : i + size] for i in range(0, len(rows), size)]
            futures = [pool.submit(retriage_worker.review, _slim(part)) for part in parts]
            pending.append((rows, futures))
            if len(pending) > 1:  # keep one chunk in the workers while we write
                done, futures = pending.popleft()
                yield done, results(futures)
        for done, futures in pending:
            yield done, results(futures)


def worker_pool(profile: rules.Profile, book: Rulebook, jobs: int) -> ProcessPoolExecutor:
    """`jobs` processes that run the rules with this profile and rule set."""
    return ProcessPoolExecutor(
        jobs,
        mp_context=get_context("forkserver"),  # no database connection or threads inherited
        initializer=retriage_worker.start,
        initargs=(profile, _snapshot(book), settings.SECRET_KEY),
    )


# What verdicts.reviewed_row reads of a row: only these travel to a worker.
REVIEWED_FIELDS = (
    "subject",
    "body",  # its quoted history's attribution lines: whether we wrote in the thread
    "recipients_to",
    "recipients_cc",
    "candidate__name",
    "candidate__email",
    "rules_text",
    "texts",
    "files",
)


def _slim(rows: list[dict]) -> list[dict]:
    return [{name: row[name] for name in REVIEWED_FIELDS} for row in rows]


def _snapshot(book: Rulebook) -> tuple[int | None, list | None]:
    """(version, snapshot) of the rule set `book` was compiled from; None for the code's."""
    if book.version is None:
        return None, None
    snapshot = RuleSetVersion.objects.values_list("snapshot", flat=True).get(pk=book.version)
    return book.version, snapshot


def _named(row: dict, new: dict) -> dict:
    """A changed request as the preview lists it: who, what, and the verdict before and after."""
    return {
        "pk": row["pk"],
        "subject": row["subject"],
        "who": row["candidate__name"] or row["candidate__email"],
        "old_bucket": row["final_bucket"],
        "new_bucket": new["final_bucket"],
        "old_rule": row["suggested_rule"],
        "new_rule": new["suggested_rule"],
    }


def _verdict_changed(row: dict, new: dict) -> bool:
    return any(new[name] != row[name] for name in VERDICT_FIELDS)


WRITTEN_FIELDS = (
    *VERDICT_FIELDS,
    "rules_text",
    "rule_set_version",
    "suggested_template",
    "updated_at",
)


def _write(changed: list[tuple[dict, dict]]) -> list[tuple[dict, dict]]:
    """Write the new verdicts of one chunk; return those written.

    One UPDATE per row (sent together, with executemany) that applies only while the row is
    still untouched and unchanged since we read it: its WHERE is untouched_requests()'s own,
    plus "updated_at as read" (a follow-up re-triaged meanwhile). So a recruiter who
    overrides, answers or assigns a request while this runs wins; the database decides, in
    the same statement, with no window between a check and the write. (Django's bulk_update
    builds one CASE per field and row in Python: 20 times slower here.)"""
    now = timezone.now()
    sql, where_params = _conditional_update_sql()
    fields = [CandidateRequest._meta.get_field(name) for name in WRITTEN_FIELDS]
    updated_at = CandidateRequest._meta.get_field("updated_at")
    rows = []
    for row, new in changed:
        values = {**new, "updated_at": now}
        rows.append(
            [
                *(field.get_db_prep_value(values[field.name], connection) for field in fields),
                row["pk"],
                updated_at.get_db_prep_value(row["updated_at"], connection),
                *where_params,
            ]
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        if cursor.rowcount == len(rows):
            return changed
        # Someone got there first for some rows: those not stamped with our `now`.
        written = set(
            CandidateRequest.objects.filter(
                pk__in=[row["pk"] for row, _ in changed], updated_at=now
            ).values_list("pk", flat=True)
        )
    return [(row, new) for row, new in changed if row["pk"] in written]


def _conditional_update_sql() -> tuple[str, list]:
    """UPDATE ... SET the verdict WHERE pk = %s AND updated_at = %s AND <untouched>."""
    query = untouched_requests().query
    where, where_params = query.get_compiler(connection=connection).compile(query.where)
    quote = connection.ops.quote_name
    table = quote(CandidateRequest._meta.db_table)
    columns = [CandidateRequest._meta.get_field(name).column for name in WRITTEN_FIELDS]
    sets = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = (
        f"UPDATE {table} SET {sets} "
        f"WHERE {table}.{quote('id')} = %s AND {table}.{quote('updated_at')} = %s AND {where}"
    )
    return sql, list(where_params)


# --- A recruiter's run from the page ---------------------------------------------------------


def start_run(*, since: datetime | None, by) -> RetriageRun:
    """Record a re-triage a recruiter asked for; the worker runs it (see run_retriage)."""
    run = RetriageRun.objects.create(since=since, started_by=by)
    transaction.on_commit(lambda: tasks.retriage_requests.enqueue(run.pk))
    return run


def run_retriage(run_id: int) -> RetriageRun:
    """Do a recorded run, keeping its counts up to date so the page can show progress."""
    # Claim the run: only one delivery of the task can move it from queued to running (a
    # conditional UPDATE, not a read then a write), so a second delivery does nothing.
    queued = RetriageRun.objects.filter(pk=run_id, status=RetriageRun.Status.QUEUED)
    claimed = queued.update(status=RetriageRun.Status.RUNNING)
    run = RetriageRun.objects.get(pk=run_id)
    if not claimed:
        return run  # already running or done

    def save_progress(summary: RetriageSummary) -> None:
        RetriageRun.objects.filter(pk=run.pk).update(result=summary.as_dict())

    try:
        summary = retriage(since=run.since, progress=save_progress)
    except Exception as error:
        RetriageRun.objects.filter(pk=run.pk).update(
            status=RetriageRun.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    RetriageRun.objects.filter(pk=run.pk).update(
        status=RetriageRun.Status.DONE, result=summary.as_dict(), finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
