"""Benchmark: queue N replies from one bulk action, then drain them through `db_worker
--batch` to a local SMTP sink (in a process of its own, bench.smtp_sink). Runs in a throw-away
database, never the inbox."""

import json
import socket
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.test.utils import override_settings
from django.utils import timezone

from triage import bench
from triage.management.throwaway import throwaway_database
from triage.models import BulkSend, Candidate, CandidateRequest, Reply
from triage.services import bulk, profiles

DEMO_PROFILE = Path(__file__).resolve().parents[2] / "demo" / "profile.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Time queueing N replies in one bulk action and sending them through the worker."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, count: int, as_json: bool, **options):
        vendor = connections["default"].vendor
        # A file, not memory, on SQLite: the worker closes and reopens its connection.
        with throwaway_database("bench_replies"):
            result = self.run_bench(count)
        result["database"] = vendor
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(
            f"{vendor}: queued {result['queued']} replies in {result['queue_seconds']:.2f} s "
            f"({result['queued_per_second']:.0f}/s); sent {result['sent']} through db_worker "
            f"--batch to a local SMTP sink in {result['send_seconds']:.2f} s "
            f"({result['sent_per_second']:.1f} replies/s, the worker's CPU "
            f"{result['worker_cpu_ms_per_reply']:.1f} ms a reply); the sink alone takes "
            f"{result['sink_per_second']:.0f} messages/s"
        )

    def run_bench(self, count: int) -> dict:
        profiles.import_profile(json.loads(DEMO_PROFILE.read_text("utf-8")))
        user = get_user_model().objects.create_user("bench", first_name="Bench", last_name="Mark")
        candidates = Candidate.objects.bulk_create(
            Candidate(email=f"bench{n}@mail.example", name=f"Person{n} Bench") for n in range(count)
        )
        now = timezone.now()
        CandidateRequest.objects.bulk_create(
            CandidateRequest(
                candidate=candidate,
                subject=f"Coffee chat {n}?",
                body="Could we talk about your open roles?",
                message_id=f"<bench-{n}@mail.example>",
                received_at=now - timedelta(minutes=n),
                suggested_bucket="funnel",
                suggested_rule="funnel_default",
                final_bucket="funnel",
            )
            for n, candidate in enumerate(candidates)
        )
        port = free_port()
        smtp = {
            "default": {
                "BACKEND": "triage.mail_backends.SMTPBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
            }
        }
        tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        # No undo delay: the bench times queueing and sending, not a recruiter's pause.
        with (
            bench.smtp_sink(port) as received,
            override_settings(MAILERS=smtp, TASKS=tasks, REPLY_UNDO_SECONDS=0),
        ):
            started = time.perf_counter()
            bulk_send = bulk.start_bulk_send(
                CandidateRequest.objects.filter(final_bucket="funnel"), template=None, by=user
            )
            queued_in = time.perf_counter() - started
            started, cpu_started = time.perf_counter(), time.process_time()
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
            sent_in = time.perf_counter() - started
            cpu_in = time.process_time() - cpu_started  # the worker's own, whatever the load
            # Read before the sink's own timing run adds its messages to the count.
            received_by_sink = received.value
            sink_per_second = bench.sink_capacity(port)
        queued = BulkSend.objects.get(pk=bulk_send.pk).replies.count()
        sent = Reply.objects.filter(status=Reply.Status.SENT).count()
        return {
            "requests": count,
            "queued": queued,
            "queue_seconds": round(queued_in, 3),
            "queued_per_second": round(queued / queued_in, 1),
            "sent": sent,
            "received_by_sink": received_by_sink,
            "send_seconds": round(sent_in, 3),
            "sent_per_second": round(sent / sent_in, 1),
            "sink_per_second": round(sink_per_second, 1),
            "worker_cpu_ms_per_reply": round(cpu_in * 1000 / max(sent, 1), 2),
        }
