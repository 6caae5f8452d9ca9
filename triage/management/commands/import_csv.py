import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.management.progress import progress_bar
from triage.services import csv_import, profiles


class Command(BaseCommand):
    help = (
        "Import requests from a CSV file (name, email, subject, message, received_at). "
        "Every row is checked first; a file with errors imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and write nothing."
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, file: Path, dry_run: bool, as_json: bool, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: {error}") from error
        try:
            with progress_bar(unit="row", enabled=not as_json) as progress:
                report = csv_import.import_csv(text, dry_run=dry_run, progress=progress)
        except profiles.ProfileMissing as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        elif dry_run:
            self.stdout.write(
                f"Dry run: {len(report.rows)} rows ready, {len(report.errors)} with errors; "
                "nothing written."
            )
        elif report.errors:
            self.stdout.write(f"{len(report.errors)} rows with errors: nothing written.")
        else:
            self.stdout.write(f"{report.new} new, {report.duplicates} duplicates")
        for line, error in report.errors:
            self.stderr.write(f"  line {line}: {error}")
        if report.errors and not dry_run:
            raise CommandError("Fix the rows above and import again.")
