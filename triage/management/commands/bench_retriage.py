"""Benchmark: re-triage COUNT stored requests in a throw-away database (an SQLite file, or a
new PostgreSQL database with DATABASE_URL): the rules alone (in one process, then in --jobs
processes), then the whole run."""

import json
import os
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connections
from django.utils import timezone

from triage import bench
from triage.management.throwaway import throwaway_database
from triage.models import Candidate, CandidateRequest
from triage.services import profiles, retriage, retriage_worker, rulebook, verdicts

DEMO_PROFILE = Path(__file__).resolve().parents[2] / "demo" / "profile.json"
INSERT_BATCH = 5000


class Command(BaseCommand):
    help = "Time re-triaging COUNT generated stored requests: evaluation alone, and end to end."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument(
            "--jobs", type=int, default=None, help="Processes for the rules (default: cores)."
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, count: int, jobs: int | None, as_json: bool, **options):
        jobs = jobs or os.cpu_count() or 1
        vendor = connections["default"].vendor
        with throwaway_database("bench_retriage"):
            result = self.measure(count, jobs)
        result["database"] = vendor
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
            return
        summary = result["summary"]
        moves = ", ".join(f"{m['from']} -> {m['to']}: {m['count']}" for m in summary["moves"])
        self.stdout.write(
            f"{count} stored requests on {vendor} ({result['untouched']} untouched)\n"
            f"  evaluation only, single process: {result['evaluate_per_second']:.0f} "
            f"requests/s ({result['evaluate_seconds']:.2f} s wall; "
            f"{result['evaluate_per_cpu_second']:.0f} requests per CPU second)\n"
            f"  evaluation only, {jobs} processes: {result['parallel_per_second']:.0f} "
            f"requests/s ({result['parallel_seconds']:.2f} s wall, starting them included; "
            f"{result['parallel_per_cpu_second']:.0f} requests per CPU second, workers' included)\n"
            f"  evaluation only, {jobs} processes already started: "
            f"{result['started_pool_per_second']:.0f} requests/s "
            f"({result['started_pool_seconds']:.2f} s wall)\n"
            f"  whole re-triage (read, evaluate in {jobs} processes, write): "
            f"{result['retriage_seconds']:.2f} s wall "
            f"({result['retriage_cpu_seconds']:.2f} s of CPU in all processes; "
            f"{summary['examined']} examined, {summary['changed']} changed, "
            f"{summary['moved']} moved: {moves})\n"
            f"  again, nothing to change, single process: "
            f"{result['second_run_seconds']:.2f} s wall"
        )

    def measure(self, count: int, jobs: int) -> dict:
        profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))
        store_requests(count)
        profile, book = profiles.load_profile(), rulebook.current_rulebook()
        rows = [
            row for chunk in retriage._chunks(retriage.untouched_requests(), 5000) for row in chunk
        ]

        # Wall time, and this process's CPU time: on a shared machine the two differ.
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(rows), retriage.CHUNK_SIZE):  # as re-triage in one process
            verdicts.reviewed_rows(rows[i : i + retriage.CHUNK_SIZE], profile, book)
        evaluate_seconds = time.perf_counter() - started
        evaluate_cpu_seconds = time.process_time() - cpu

        # The same in `jobs` processes, as re-triage runs it; their CPU time counts too.
        chunks = (
            rows[i : i + retriage.CHUNK_SIZE] for i in range(0, len(rows), retriage.CHUNK_SIZE)
        )
        started, cpu, worker_cpu = time.perf_counter(), time.process_time(), []
        for _ in retriage._evaluated(chunks, profile, book, jobs=jobs, worker_cpu=worker_cpu):
            pass
        parallel_seconds = time.perf_counter() - started
        parallel_cpu_seconds = time.process_time() - cpu + sum(worker_cpu)

        # And once more with the workers already started (Django set up, rules compiled):
        # the rate of the evaluation itself, start-up left out.
        with retriage.worker_pool(profile, book, jobs) as pool:
            warm = [
                pool.submit(retriage_worker.review, retriage._slim(rows[:1])) for _ in range(jobs)
            ]
            [future.result() for future in warm]
            chunks = (
                rows[i : i + retriage.CHUNK_SIZE] for i in range(0, len(rows), retriage.CHUNK_SIZE)
            )
            started = time.perf_counter()
            for _ in retriage._evaluated(chunks, profile, book, jobs=jobs, pool=pool):
                pass
            started_pool_seconds = time.perf_counter() - started

        started, cpu, worker_cpu = time.perf_counter(), time.process_time(), []
        summary = retriage.retriage(jobs=jobs, worker_cpu=worker_cpu)
        retriage_seconds = time.perf_counter() - started
        retriage_cpu_seconds = time.process_time() - cpu + sum(worker_cpu)

        started = time.perf_counter()
        again = retriage.retriage(jobs=1)
        second_run_seconds = time.perf_counter() - started
        assert again.changed == 0, "a second re-triage changed something"
        return {
            "requests": count,
            "untouched": len(rows),
            "evaluate_seconds": round(evaluate_seconds, 3),
            "evaluate_per_second": len(rows) / evaluate_seconds,
            "evaluate_cpu_seconds": round(evaluate_cpu_seconds, 3),
            "evaluate_per_cpu_second": len(rows) / evaluate_cpu_seconds,
            "jobs": jobs,
            "parallel_seconds": round(parallel_seconds, 3),
            "parallel_per_second": len(rows) / parallel_seconds,
            "parallel_cpu_seconds": round(parallel_cpu_seconds, 3),
            "parallel_per_cpu_second": len(rows) / parallel_cpu_seconds,
            "started_pool_seconds": round(started_pool_seconds, 3),
            "started_pool_per_second": len(rows) / started_pool_seconds,
            "retriage_seconds": round(retriage_seconds, 3),
            "retriage_cpu_seconds": round(retriage_cpu_seconds, 3),
            "second_run_seconds": round(second_run_seconds, 3),
            "summary": summary.as_dict(),
        }


def store_requests(count: int) -> None:
    """COUNT requests as they were before a rules change: every one of them in the funnel
    with no reasons, a tenth answered and one in 25 overridden (those must stay as they are)."""
    user = get_user_model().objects.create_user("bench")
    now = timezone.now()
    for start in range(0, count, INSERT_BATCH):
        generated = [
            bench.generated_request(n) for n in range(start, min(count, start + INSERT_BATCH))
        ]
        emails = {g["email"]: g["name"] for g in generated}
        Candidate.objects.bulk_create(
            [Candidate(email=email, name=name) for email, name in emails.items()],
            ignore_conflicts=True,
        )
        candidates = dict(Candidate.objects.filter(email__in=emails).values_list("email", "pk"))
        CandidateRequest.objects.bulk_create(
            CandidateRequest(
                candidate_id=candidates[g["email"]],
                subject=g["subject"],
                body=g["body"],
                rules_text=g["body"],  # what intake keeps: bench.generated_request quotes nothing
                recipients_cc=g["cc"],
                received_at=now - timedelta(minutes=n),
                status="replied" if n % 10 == 9 else "new",
                suggested_bucket="funnel",
                suggested_rule="funnel_default",
                final_bucket="network" if n % 25 == 24 else "funnel",
                final_bucket_set_by=user if n % 25 == 24 else None,
                final_bucket_set_at=now if n % 25 == 24 else None,
            )
            for n, g in enumerate(generated, start=start)
        )
