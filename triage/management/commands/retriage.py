import json
import os
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from triage.services import profiles, retriage


def start_of_day(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since: give a date as YYYY-MM-DD, not {value!r}") from error
    return timezone.make_aware(datetime.combine(day, time.min))


class Command(BaseCommand):
    help = (
        "Run the rules again over requests nobody has touched (still new, not overridden, "
        "answered or assigned) and record the new verdicts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="Only requests received on or after this date.")
        parser.add_argument("--dry-run", action="store_true", help="Count; change nothing.")
        parser.add_argument(
            "--jobs", type=int, default=None, help="Processes for the rules (default: cores)."
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(
        self, *args, since: str | None, dry_run: bool, jobs: int | None, as_json: bool, **options
    ):
        try:
            summary = retriage.retriage(
                since=start_of_day(since) if since else None,
                dry_run=dry_run,
                jobs=jobs or os.cpu_count() or 1,
            )
        except profiles.ProfileMissing as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), indent=2))
            return
        verb = "would move" if dry_run else "moved"
        self.stdout.write(
            f"Examined {summary.examined} untouched requests; {summary.changed} "
            f"{'would get' if dry_run else 'got'} a new verdict, {summary.moved} {verb} bucket."
        )
        for (old, new), count in sorted(summary.moves.items()):
            self.stdout.write(f"  {old} -> {new}: {count}")
        if summary.skipped:
            self.stdout.write(f"Left alone {summary.skipped} that someone touched meanwhile.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
