"""Benchmark: how long every recruiter page takes, and how many queries it makes, with 10,000
stored requests and with COUNT (default 100,000), each in a throw-away database (an SQLite
file, or a new PostgreSQL database `bench_pages_<pid>` with DATABASE_URL), loaded by
triage.bench_data. Pages are fetched in process with Django's test client as a signed-in
recruiter, DEBUG off; the ratio column is the time at COUNT over the time at 10,000.

Each fetch is timed twice: by the clock (what a recruiter waits) and by the CPU it cost (this
process's, and on PostgreSQL the database server process's that served it, read from
/proc/<pid>/schedstat on this machine). On a quiet machine the two agree; on a busy one the
clock also counts the time the page waited for a core, and only the CPU time says what the
code costs, so the CPU ratio is the one to read for growth there."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from triage import bench_data
from triage.management.throwaway import throwaway_database
from triage.models import CandidateRequest
from triage.selectors import paging
from triage.services import counts, profiles, rulebook, upkeep

DEMO_PROFILE = Path(__file__).resolve().parents[2] / "demo" / "profile.json"
# Each page is fetched at least MIN_RUNS times and at most --repeat times, stopping once it
# has taken SECONDS_PER_PAGE (a slow page is not fetched 15 times; one that takes longer than
# that once is fetched once).
MIN_RUNS = 3
SECONDS_PER_PAGE = 3.0


def pages(loaded: bench_data.Loaded) -> list[tuple[str, str]]:
    """Every recruiter page worth timing: (name, URL)."""

    def inbox(**params) -> str:
        return "/?" + urlencode(params)

    return [
        ("inbox: funnel, new", inbox(bucket="funnel")),
        ("inbox: network, new", inbox(bucket="network")),
        ("inbox: exceptional, new", inbox(bucket="exceptional")),
        ("inbox: funnel, any status", inbox(bucket="funnel", status="")),
        ("inbox: funnel, replied", inbox(bucket="funnel", status="replied")),
        ("inbox: funnel, spam", inbox(bucket="funnel", status="spam")),
        ("inbox: urgent, any status", inbox(bucket="funnel", status="", flag="urgent")),
        (
            "inbox: older page, any status",
            inbox(bucket="funnel", status="", before=loaded_cursor(1000)),
        ),
        (
            "inbox: search, ~1% hits",
            inbox(bucket="funnel", status="", q=bench_data.RARE_WORD),
        ),
        (
            "inbox: search, no hits",
            inbox(bucket="funnel", status="", q=bench_data.ABSENT_WORD),
        ),
        ("inbox: search a name", inbox(bucket="funnel", status="", q="Priya Example000104")),
        ("request page", f"/requests/{loaded.typical_request_id}/"),
        (
            f"request page, {bench_data.LONG_THREAD} messages",
            f"/requests/{loaded.long_thread_request_id}/",
        ),
        (
            f"request page, a person with {bench_data.PROLIFIC} requests",
            f"/requests/{loaded.prolific_request_id}/",
        ),
        (
            f"person with {bench_data.PROLIFIC} requests",
            f"/candidates/{loaded.prolific_candidate_id}/",
        ),
        ("outbox: check before resending", "/outbox/?kind=unknown"),
        ("outbox: failed", "/outbox/?kind=failed"),
        ("outbox: on the way", "/outbox/?kind=pending"),
        ("talent pool", "/pool/"),
        ("an opening's page", f"/openings/{loaded.opening_id}/"),
        ("openings", "/openings/"),
        ("rules", "/rules/"),
        ("templates", "/templates/"),
        ("kept aside (quarantine)", "/quarantine/"),
        ("assigned to me", "/assigned/"),
    ]


def loaded_cursor(position: int) -> str:
    """The keyset cursor of the funnel's row at `position` (any status), newest first: what
    the "Older" link holds deep into the list."""
    rows = CandidateRequest.objects.filter(final_bucket="funnel").exclude(status="spam")
    rows = rows.order_by("-received_at", "-pk")
    row = rows[min(position, rows.count() - 1)]
    return paging.cursor_of(row)


class Command(BaseCommand):
    help = "Time every recruiter page, with its query count, at 10,000 requests and at COUNT."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument(
            "--base", type=int, default=10_000, help="The smaller size compared with COUNT."
        )
        parser.add_argument("--repeat", type=int, default=15, help="Most fetches per page.")
        parser.add_argument("--only", default="", help="Only pages whose name contains this.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, count, base, repeat, only, as_json, **options):
        if count < 20 or base < 20:
            raise CommandError("--count and --base must be at least 20.")
        sizes = sorted({min(base, count), count})
        vendor = connections["default"].vendor
        results = {size: self.measure_size(size, repeat, only, vendor) for size in sizes}
        small, large = results[sizes[0]], results[sizes[-1]]
        rows = []
        for name, figures in large["pages"].items():
            before = small["pages"][name]
            rows.append(
                {
                    "page": name,
                    "url": figures["url"],
                    "small": before,
                    "large": figures,
                    "ratio": _ratio(figures["p50_ms"], before["p50_ms"]),
                    "cpu_ratio": _ratio(figures["cpu_p50_ms"], before["cpu_p50_ms"]),
                }
            )
        report = {
            "database": vendor,
            "sizes": sizes,
            "load_seconds": {size: results[size]["load_seconds"] for size in sizes},
            "pages": rows,
        }
        if as_json:
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.print_table(report)

    def print_table(self, report: dict) -> None:
        small, large = report["sizes"][0], report["sizes"][-1]
        loads = ", ".join(f"{size:,}: {s:.1f} s" for size, s in report["load_seconds"].items())
        self.stdout.write(f"Recruiter pages on {report['database']} (loading {loads})")
        width = max(len(row["page"]) for row in report["pages"])
        columns = "p50 ms  p95 ms  CPU ms queries"
        header = (
            f"{'page':<{width}}  {f'at {small:,}':>30}  {f'at {large:,}':>30}  ratio  CPU\n"
            f"{'':<{width}}  {columns:>30}  {columns:>30}"
        )
        self.stdout.write(header)
        for row in report["pages"]:
            a, b = row["small"], row["large"]
            ratio = f"{row['ratio']:.2f}" if row["ratio"] else "-"
            cpu_ratio = f"{row['cpu_ratio']:.2f}" if row["cpu_ratio"] else "-"
            self.stdout.write(
                f"{row['page']:<{width}}  {a['p50_ms']:>6.1f}  {a['p95_ms']:>6.1f}  "
                f"{a['cpu_p50_ms']:>6.1f}  {a['queries']:>7}  {b['p50_ms']:>6.1f}  "
                f"{b['p95_ms']:>6.1f}  {b['cpu_p50_ms']:>6.1f}  {b['queries']:>7}  "
                f"{ratio:>5}  {cpu_ratio:>5}"
            )
        self.stdout.write(
            "CPU ms: this process's"
            + (
                ", and the database server's for the page"
                if report["database"] == "postgresql"
                else ""
            )
            + ". Ratio: p50 at the larger size over p50 at the smaller, by the clock and by CPU."
        )

    def measure_size(self, size: int, repeat: int, only: str, vendor: str) -> dict:
        with throwaway_database("bench_pages"):
            started = time.perf_counter()
            profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))
            loaded = bench_data.load(size)
            counts.compact()  # as the scheduler does every few minutes
            # As the daily upkeep does (and after bulk writes): on SQLite too, whose planner
            # without statistics takes a bucket's index for a search's counts and probes
            # the full-text index once per request of the bucket (seconds at 100,000).
            upkeep.refresh_statistics()
            if connection.vendor == "postgresql":
                # The load updates most rows once more after inserting them (replies,
                # counts, the search table's tab): a live database's autovacuum has long
                # cleared such dead rows, a page read right after the load still steps
                # over them.
                # Then a checkpoint: without it the load's hundreds of MB of dirty pages are
                # written out in the background while the pages are being timed.
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM")
                    # A role without pg_checkpoint measures with the writes going on.
                    with contextlib.suppress(DatabaseError):
                        cursor.execute("CHECKPOINT")
            rulebook.store_rule_stats()  # as the scheduler does every ten minutes
            load_seconds = time.perf_counter() - started
            with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
                measured = self.measure_pages(loaded, repeat, only)
        return {"load_seconds": load_seconds, "pages": measured}

    def measure_pages(self, loaded, repeat: int, only: str) -> dict:
        logging.getLogger("triage.request").setLevel(logging.WARNING)  # a line per fetch
        client = Client()
        client.force_login(get_user_model().objects.get(pk=loaded.recruiter_id))
        # As a gunicorn worker does once started (config/gunicorn.py): what is loaded by now
        # is out of the collector's way, so a full collection's walk over it does not land
        # on a page.
        gc.collect()
        gc.freeze()
        measured = {}
        for name, url in pages(loaded):
            if only and only.lower() not in name.lower():
                continue
            response = client.get(url)  # warms the caches (the configuration, the assistant)
            connection.queries_log.clear()  # a deque that stops growing when full
            with CaptureQueriesContext(connection) as queries:
                client.get(url)  # a recruiter's every fetch after the first: what we count
            query_count = len(queries)  # now: the next fetch empties the log it reads
            if response.status_code != 200:
                raise CommandError(f"{name} ({url}) answered {response.status_code}.")
            times, cpu_times, spent = [], [], 0.0
            while len(times) < repeat and (len(times) < MIN_RUNS or spent < SECONDS_PER_PAGE):
                if times and times[-1] > SECONDS_PER_PAGE * 1000:
                    break  # one fetch of a page this slow says enough
                started, cpu = time.perf_counter(), _cpu_ms()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu_times.append(_cpu_ms() - cpu)
                spent += times[-1] / 1000
            times.sort()
            measured[name] = {
                "url": url,
                "queries": query_count,
                "runs": len(times),
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 2),
                "cpu_p50_ms": round(statistics.median(cpu_times), 2),
            }
        gc.unfreeze()
        return measured


def _ratio(large: float, small: float) -> float | None:
    return large / small if small else None


def _cpu_ms() -> float:
    """CPU milliseconds spent so far by this process and, on PostgreSQL, by the server
    process of our connection (when it runs on this machine and /proc shows it; else this
    process's alone)."""
    spent = time.process_time() * 1000
    if connection.vendor == "postgresql" and connection.connection is not None:
        pid = connection.connection.info.backend_pid
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The first field: nanoseconds on a CPU, to the nanosecond (utime in
            # /proc/<pid>/stat counts whole clock ticks of 10 ms, too coarse for a page).
            spent += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
    return spent
