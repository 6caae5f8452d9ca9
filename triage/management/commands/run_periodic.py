import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from triage import periodic


class Command(BaseCommand):
    help = (
        "Enqueue periodic jobs (stuck-reply sweep, daily digests, retention purge...) when "
        "they are due; db_worker runs them. Safe to run more than one: each run is enqueued once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--longest-sleep",
            type=float,
            default=60.0,
            help="Seconds between passes at most (default 60).",
        )

    def handle(self, *args, once: bool, longest_sleep: float, **options):
        if once:
            self.report(periodic.run_due())
            return
        stopping = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stopping.set())
        names = ", ".join(f"{job.name} ({job.schedule})" for job in periodic.jobs() if job.enabled)
        self.stdout.write(f"Scheduling: {names}")
        while not stopping.is_set():
            # A long-lived process: a connection the database dropped overnight is replaced.
            close_old_connections()
            try:
                self.report(periodic.run_due())
                pause = periodic.seconds_until_next_due(longest=longest_sleep)
            except DatabaseError as error:
                # The database restarting is no reason to stop scheduling: try again soon.
                self.stderr.write(f"Scheduler pass failed, retrying: {error}")
                pause = min(longest_sleep, 10.0)
            stopping.wait(max(pause, 1.0))
        self.stdout.write("Scheduler stopped.")

    def report(self, outcomes):
        for outcome in outcomes:
            self.stdout.write(f"{outcome.job}: {outcome.why}")
