"""Benchmark: the talent pool page and an opening's "who fits" at a given number of requests
(as many candidates as 0.8 of them, about a quarter of those in the pool), with their query
counts. Runs in a throw-away database, never the inbox."""

import json
import os
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client
from django.test.utils import (
    CaptureQueriesContext,
    override_settings,
    setup_databases,
    teardown_databases,
)
from django.urls import reverse
from django.utils import timezone

from triage import talent
from triage.models import Candidate, CandidateRequest, CandidateSkill, Opening
from triage.services import pool, profiles, upkeep

DEMO_PROFILE = Path(__file__).resolve().parents[2] / "demo" / "profile.json"
POOL_SHARE = 21_810 / 80_000  # as measured on the data


class Command(BaseCommand):
    help = "Time the talent pool page and an opening's page on generated data."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument("--profile", default="", help="a page's name: print its profile")
        parser.add_argument(
            "--keep", default="", help="SQLite only: keep the generated database at this path"
        )

    def handle(
        self, *args, requests: int, runs: int, as_json: bool, profile: str, keep: str, **options
    ):
        self.profile, _, self.sort = profile.partition(":")
        self.sort = self.sort or "cumulative"
        database = connections["default"].settings_dict
        vendor = connections["default"].vendor
        with tempfile.TemporaryDirectory() as folder:
            test_name = (
                (keep or str(Path(folder) / "bench.sqlite3"))
                if vendor == "sqlite"
                else f"bench_{database['NAME']}_{os.getpid()}"
            )
            database.setdefault("TEST", {})["NAME"] = test_name
            old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
            try:
                with override_settings(ALLOWED_HOSTS=["testserver"]):
                    result = self.run_bench(requests, runs)
            finally:
                if not keep:
                    teardown_databases(old_config, verbosity=0)
        result["database"] = vendor
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(
            f"{vendor}, {result['requests']} requests, {result['candidates']} candidates, "
            f"pool of {result['pool']} (generated in {result['generate_seconds']:.0f} s, "
            f"pool fields refreshed in {result['refresh_seconds']:.1f} s)"
        )
        for name, page in result["pages"].items():
            self.stdout.write(
                f"  {name:<28} p50 {page['p50_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms  "
                f"CPU p50 {page['cpu_p50_ms']:6.1f} ms  {page['queries']} queries"
            )

    def run_bench(self, count: int, runs: int) -> dict:
        started = time.perf_counter()
        profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))
        opening = Opening.objects.filter(is_open=True).exclude(skills=[]).first()
        opening = opening or Opening.objects.create(
            title="Flight Software Engineer",
            url="https://careers.example/1",
            skills=["Rust", "RTOS"],
            location="Denver, CO",
        )
        in_city = (
            Opening.objects.filter(is_open=True)
            .exclude(skills=[])
            .exclude(location__icontains="remote")
            .first()
        ) or opening
        people, in_pool = self.generate(count, [opening, in_city])
        generated = time.perf_counter() - started
        started = time.perf_counter()
        if self.profile == "refresh":
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(pool.refresh_all)
            pstats.Stats(profiler).sort_stats(self.sort).print_stats(25)
        else:
            pool.refresh_all()
        upkeep.refresh_statistics()  # as the daily job would have
        refreshed = time.perf_counter() - started
        get_user_model().objects.create_superuser("bench", "bench@acme.example", "bench")
        client = Client()
        client.login(username="bench", password="bench")
        pool_url = reverse("triage:pool")
        pages = {
            "pool": pool_url,
            "pool, page 100": f"{pool_url}?page=100",
            "pool, skill Python": f"{pool_url}?skill=python",
            "pool, location Berlin": f"{pool_url}?location=Berlin",
            "pool, due this week": f"{pool_url}?due=week",
            "pool, name search": f"{pool_url}?q=person123",
            "opening, remote (who fits)": reverse("triage:opening", args=[opening.pk]),
            "opening, in a city": reverse("triage:opening", args=[in_city.pk]),
        }
        return {
            "requests": count,
            "candidates": people,
            "pool": in_pool,
            "generate_seconds": generated,
            "refresh_seconds": refreshed,
            "pages": {name: self.measure(client, url, runs) for name, url in pages.items()},
        } | self.profiled(client, pages.get(self.profile))

    def profiled(self, client: Client, url: str | None) -> dict:
        if url:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(client.get, url)
            pstats.Stats(profiler).sort_stats(self.sort).print_stats(45)
        return {}

    def measure(self, client: Client, url: str, runs: int) -> dict:
        client.get(url)  # warm
        times, cpu = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        if self.profile == "sql":
            for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]:
                self.stdout.write(
                    f"{url} {float(query['time']) * 1000:.1f} ms {query['sql'][:300]}"
                )
        return {
            "p50_ms": statistics.median(times),
            # This process's CPU: on a shared machine, what the page costs without the wait
            # for a core (on SQLite it includes the queries; on PostgreSQL it does not).
            "cpu_p50_ms": statistics.median(cpu),
            "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
            "queries": len(queries),
        }

    def generate(self, count: int, openings: list[Opening]) -> tuple[int, int]:
        """`count` requests from 0.8 as many people; a quarter-ish of them network-later,
        with skills (a long tail) and a location for most."""
        rng = random.Random(14)
        now = timezone.now()
        people = int(count * 0.8)
        # Skills by popularity (Zipf): the role's own somewhere among the common ones, as a
        # real role's are, not all at the top.
        vocabulary = list(talent.GENERIC_SKILLS)
        for skill in [skill for opening in openings for skill in opening.skills]:
            vocabulary.insert(rng.randrange(0, 30), skill)
        weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
        places = [*talent.GENERIC_PLACES, *(opening.location for opening in openings)]
        batch = 5000
        in_pool = 0
        for start in range(0, people, batch):
            rows = []
            for n in range(start, min(people, start + batch)):
                network = rng.random() < POOL_SHARE
                place = rng.choice(places) if network and rng.random() < 0.7 else ""
                rows.append(
                    Candidate(
                        email=f"person{n}@mail{n % 97}.example",
                        name=f"Person{n} Bench",
                        location=place,
                        location_evidence=f"based in {place}" if place and n % 2 else "",
                        next_follow_up=(
                            now.date() + timedelta(days=rng.randint(-30, 120))
                            if network and rng.random() < 0.3
                            else None
                        ),
                        notes="network" if network else "",
                    )
                )
            created = Candidate.objects.bulk_create(rows)
            requests, skills = [], []
            for person in created:
                network = person.notes == "network"
                in_pool += network
                extra = 1 if rng.random() < 0.25 else 0
                for k in range(1 + extra):
                    requests.append(
                        CandidateRequest(
                            candidate=person,
                            received_at=now - timedelta(days=rng.randint(0, 400), minutes=k),
                            subject="About a role",
                            body="Hello, could we talk about your open roles?",
                            suggested_bucket="network" if network and k == 0 else "funnel",
                            final_bucket="network" if network and k == 0 else "funnel",
                            suggested_rule="bench",
                            reasons=[],
                        )
                    )
                if network:
                    chosen = {
                        talent.skill_key(s): s
                        for s in rng.choices(vocabulary, weights, k=rng.randint(0, 5))
                    }
                    skills += [
                        CandidateSkill(candidate=person, name=name, key=key, position=i)
                        for i, (key, name) in enumerate(chosen.items())
                    ]
            CandidateRequest.objects.bulk_create(requests)
            CandidateSkill.objects.bulk_create(skills)
        # Make up the total with follow-ups from the first people.
        missing = count - CandidateRequest.objects.count()
        ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True)[: max(0, missing)])
        CandidateRequest.objects.bulk_create(
            CandidateRequest(
                candidate_id=pk,
                received_at=now - timedelta(days=rng.randint(0, 400)),
                subject="Following up",
                body="Any news?",
                suggested_bucket="funnel",
                final_bucket="funnel",
                suggested_rule="bench",
                reasons=[],
            )
            for pk in ids
        )
        Candidate.objects.filter(notes="network").update(notes="")
        return people, in_pool
