"""Benchmark: render the dashboard over COUNT generated requests (twelve weeks of them, with
replies, overrides, the pool's path) in a throw-away database (an SQLite file, or a new
PostgreSQL database with DATABASE_URL)."""

import json
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
)
from django.urls import reverse
from django.utils import timezone

from triage.management.throwaway import throwaway_database
from triage.models import Candidate, CandidateRequest, HiringOutcome, Reply
from triage.selectors import dashboard
from triage.services import outbox, rulebook

BATCH = 5000
RUNS = 5
# A plausible mix: (suggested rule, suggested bucket), most of them the funnel.
MIX = (
    ("funnel_default", "funnel"),
    ("funnel_default", "funnel"),
    ("funnel_default", "funnel"),
    ("funnel_default", "funnel"),
    ("funnel_default", "funnel"),
    ("relevant_skills_no_job_ask", "network"),
    ("employee_introduction", "network"),
    ("known_contact", "network"),
    ("distinguished_record", "exceptional"),
    ("notable_person", "exceptional"),
)


class Command(BaseCommand):
    help = "Time the dashboard over COUNT generated requests, in a throw-away database."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, count: int, as_json: bool, **options):
        vendor = connections["default"].vendor
        with throwaway_database("bench_dashboard"):
            result = self.measure(count)
        result["database"] = vendor
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(
            f"Dashboard over {count} requests ({result['replies']} replies) on {vendor}: "
            f"{result['cold_queries']} queries cold, {result['queries']} from the cache\n"
            f"  first render of the process (computing the figures, loading templates): "
            f"{result['first_ms']:.0f} ms\n"
            f"  cold renders (computing the figures each time, DASHBOARD_CACHE_SECONDS=0): "
            f"median {result['cold_median_ms']:.0f} ms, slowest {result['cold_max_ms']:.0f} ms\n"
            f"  next {RUNS} renders (figures from the cache, DASHBOARD_CACHE_SECONDS): median "
            f"{result['median_ms']:.0f} ms, slowest {result['max_ms']:.0f} ms\n"
            f"  computing the figures alone: median {result['figures_median_ms']:.0f} ms ("
            + ", ".join(f"{k} {v:.0f}" for k, v in result["each_figure_ms"].items())
            + ")"
        )

    def measure(self, count: int) -> dict:
        user = get_user_model().objects.create_user("bench", is_superuser=True)
        rulebook.sync_builtin_rules()
        replies = store_requests(count, user)
        if connection.vendor == "postgresql":
            # What autovacuum has done to a database in use: statistics, and the visibility
            # map that lets the figures' queries read their indexes alone. Just bulk-loaded,
            # every query would visit the table's rows. (SQLite keeps no such state.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        client = Client()
        client.force_login(user)
        url = reverse("triage:dashboard")
        cache.clear()
        with override_settings(
            ALLOWED_HOSTS=["testserver"], DEBUG=False, DASHBOARD_CACHE_SECONDS=60
        ):
            timings = []
            for _ in range(RUNS + 1):
                started = time.perf_counter()
                response = client.get(url)
                timings.append(1000 * (time.perf_counter() - started))
                assert response.status_code == 200, response.status_code
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
        # Cold: every render computes the figures (the cache off), in a process already warm.
        with override_settings(
            ALLOWED_HOSTS=["testserver"], DEBUG=False, DASHBOARD_CACHE_SECONDS=0
        ):
            cold = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response = client.get(url)
                cold.append(1000 * (time.perf_counter() - started))
                assert response.status_code == 200, response.status_code
            with CaptureQueriesContext(connection) as cold_queries:
                client.get(url)
        figures = []
        for _ in range(RUNS):
            started = time.perf_counter()
            dashboard.dashboard_page(now=timezone.now())  # never from the cache
            figures.append(1000 * (time.perf_counter() - started))
        # Each figure alone, the best of three: where the time goes.
        period = dashboard.Period.last(dashboard.DEFAULT_WEEKS)
        each = {}
        for key, build in {
            **dashboard.FIGURES,
            "waiting": lambda _: dashboard.oldest_new(),
        }.items():
            best = float("inf")
            for _ in range(3):
                started = time.perf_counter()
                build(period)
                best = min(best, 1000 * (time.perf_counter() - started))
            each[key] = round(best, 1)
        return {
            "requests": count,
            "replies": replies,
            "queries": len(queries),
            "cold_queries": len(cold_queries),
            "first_ms": round(timings[0], 1),
            "cold_median_ms": round(statistics.median(cold), 1),
            "cold_max_ms": round(max(cold), 1),
            "median_ms": round(statistics.median(timings[1:]), 1),
            "max_ms": round(max(timings[1:]), 1),
            "figures_median_ms": round(statistics.median(figures), 1),
            "each_figure_ms": each,
        }


def store_requests(count: int, user) -> int:
    """COUNT requests over the last twelve weeks, each from its own person: seven in ten
    answered (a reply 1 to 60 hours later; one in 40 bounced, one in 50 failed), one in 20
    moved by a recruiter, the pool's people agreeing and some talking to a hiring manager.
    Returns how many replies it stored."""
    now = timezone.now()
    span = timedelta(weeks=12).total_seconds()
    stored = 0
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        Candidate.objects.bulk_create(
            [
                Candidate(
                    email=f"person{n}@bench.example",
                    name=f"Person {n}",
                    consent_given_at=now if n % 30 == 5 else None,
                )
                for n in numbers
            ]
        )
        people = dict(
            Candidate.objects.filter(
                email__in=[f"person{n}@bench.example" for n in numbers]
            ).values_list("email", "pk")
        )
        requests = []
        for n in numbers:
            rule, bucket = MIX[n % len(MIX)]
            moved = n % 20 == 19
            answered = n % 10 < 7
            requests.append(
                CandidateRequest(
                    candidate_id=people[f"person{n}@bench.example"],
                    subject="Coffee chat?",
                    body="Could we talk?",
                    received_at=now - timedelta(seconds=span * n / count),
                    status="replied" if answered else "new",
                    suggested_rule=rule,
                    suggested_bucket=bucket,
                    final_bucket="funnel" if moved and bucket != "funnel" else bucket,
                    final_bucket_set_by=user if moved else None,
                    final_bucket_set_at=now if moved else None,
                )
            )
        made = CandidateRequest.objects.bulk_create(requests)
        replies, outcomes = [], []
        for n, request in zip(numbers, made, strict=True):
            if n % 10 >= 7:
                continue
            status = "bounced" if n % 40 == 3 else "failed" if n % 50 == 1 else "sent"
            sent_at = request.received_at + timedelta(hours=1 + n % 60)
            replies.append(
                Reply(
                    request=request,
                    candidate_id=request.candidate_id,
                    to_email=f"person{n}@bench.example",
                    subject="Re: Coffee chat?",
                    body="Thank you for writing.",
                    status=status,
                    sent_at=None if status == "failed" else sent_at,
                    sent_by=user,
                    message_id=f"<bench-{n}@bench.example>",
                )
            )
            if n % 10 == 9 or (n % 10 == 8 and n % 3 == 0):
                outcomes.append(HiringOutcome(request=request, kind="talked", recorded_by=user))
        Reply.objects.bulk_create(replies)
        HiringOutcome.objects.bulk_create(outcomes)
        stored += len(replies)
    # Each request's first reply time, as outbox.record_sent keeps it when a reply is sent.
    outbox.fill_first_replied_at()
    return stored
