import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.services import intake, profiles


class Command(BaseCommand):
    help = (
        "Read .eml files, folders of them, mbox files and maildirs; store and triage each request."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the summary as JSON."
        )

    def handle(self, *args, paths, as_json: bool, **options):
        try:
            summary = intake.ingest_paths(paths)
        except profiles.ProfileMissing as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), indent=2))
            return
        buckets = ", ".join(f"{n} {b}" for b, n in sorted(summary.buckets.items())) or "none"
        self.stdout.write(
            f"{summary.new} new ({buckets}), {summary.duplicates} duplicates, "
            f"{len(summary.failed)} failed"
        )
        for source, reason in summary.failed:
            self.stderr.write(f"  failed: {source}: {reason}")
