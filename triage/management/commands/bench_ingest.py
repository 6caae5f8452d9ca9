import json
import os
import resource
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections
from django.test.utils import override_settings

from triage import bench, mail
from triage.management.throwaway import throwaway_database
from triage.services import intake, profiles

BIG_MESSAGE_BYTES = 30 * 1024 * 1024
DEMO_PROFILE = Path(__file__).resolve().parents[2] / "demo" / "profile.json"


class Command(BaseCommand):
    help = (
        "Generate COUNT messages into an mbox and ingest them into a throw-away database "
        "(an SQLite file, or a new PostgreSQL database): parse-only and end-to-end msgs/s, a "
        "re-import of the same messages (all duplicates), and one 30 MB message refused at "
        "the default size cap and taken in under a raised one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--jobs", type=int, default=None, help="Parser processes.")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, count: int, jobs: int | None, as_json: bool, **options):
        database = connections["default"].settings_dict
        with throwaway_database("bench_ingest") as folder:
            mbox = bench.write_mbox(folder / "bench.mbox", count)
            result = self.measure(mbox, count, jobs)
        result["database"] = database["ENGINE"].rsplit(".", 1)[-1]
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
            return
        summary = result["summary"]
        self.stdout.write(
            f"{count} messages on {result['database']}, {result['jobs']} parser processes\n"
            f"  parse only: {result['parse_per_second']:.0f} msgs/s\n"
            f"  end to end: {result['end_to_end_per_second']:.0f} msgs/s "
            f"({summary['new']} new, {summary['duplicates']} duplicates, "
            f"{summary['threaded']} threaded, {len(summary['set_aside'])} set aside, "
            f"{len(summary['quarantined'])} quarantined)\n"
            f"  re-import (all duplicates): {result['reimport_per_second']:.0f} msgs/s "
            f"({result['reimport']['duplicates']} duplicates, {result['reimport']['new']} new)\n"
            f"  a {result['big_megabytes']:.0f} MB message: refused at the "
            f"{result['big_cap_megabytes']:.0f} MB cap in {result['big_refused_seconds']:.2f} s, "
            f"taken in under a raised cap in {result['big_taken_in_seconds']:.2f} s\n"
            f"  peak memory of the import (this process, RSS): "
            f"{result['peak_rss_megabytes']:.0f} MB"
        )

    def measure(self, mbox: Path, count: int, jobs: int | None) -> dict:
        profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))
        jobs = jobs or os.cpu_count() or 1

        started = time.perf_counter()
        parsed = 0
        with intake.parser_pool(jobs) as pool:  # read and parsed as an import does: in batches
            for read in intake.read_batches(mail.iter_sources(mbox)):
                raws = [raw for _, raw in read]
                parsed += sum(1 for _ in intake.parse_all(raws, jobs=jobs, pool=pool))
        parse_seconds = time.perf_counter() - started
        assert parsed == count

        started = time.perf_counter()
        summary = intake.ingest_paths([mbox], jobs=jobs)
        seconds = time.perf_counter() - started

        # The same mbox again: every message is found stored before it is parsed.
        started = time.perf_counter()
        reimport = intake.ingest_paths([mbox], jobs=jobs)
        reimport_seconds = time.perf_counter() - started

        # The most memory this process held for the imports (before the big message below).
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

        big = bench.big_message(BIG_MESSAGE_BYTES)
        started = time.perf_counter()
        refused = intake.ingest_sources([("big message", big)], jobs=1)
        refused_seconds = time.perf_counter() - started
        assert refused.quarantined, "the big message should be over the default cap"
        with override_settings(MAX_RAW_MESSAGE_BYTES=2 * BIG_MESSAGE_BYTES):
            started = time.perf_counter()
            taken = intake.retry_quarantined()
            taken_seconds = time.perf_counter() - started
        assert taken.new == 1, taken.as_dict()
        return {
            "reimport_seconds": round(reimport_seconds, 3),
            "reimport_per_second": count / reimport_seconds,
            "reimport": reimport.as_dict(),
            "big_megabytes": len(big) / intake.MB,
            "big_cap_megabytes": settings.MAX_RAW_MESSAGE_BYTES / intake.MB,
            "big_refused_seconds": round(refused_seconds, 3),
            "big_taken_in_seconds": round(taken_seconds, 3),
            "messages": count,
            "jobs": jobs,
            "parse_seconds": round(parse_seconds, 3),
            "parse_per_second": count / parse_seconds,
            "end_to_end_seconds": round(seconds, 3),
            "end_to_end_per_second": count / seconds,
            "summary": summary.as_dict(),
            "peak_rss_megabytes": round(peak_kib / 1024, 1),
        }
