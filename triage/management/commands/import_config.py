from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.services import config


class Command(BaseCommand):
    help = (
        "Replace the triage profile and the rules with a file from export_config (YAML when "
        "its name ends in .yaml or .yml). Every "
        "problem is reported and nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            fmt = config.format_for(file.name)
            changed = config.import_config(file.read_bytes(), fmt=fmt, dry_run=dry_run)
        except OSError as error:
            raise CommandError(f"{file}: {error}") from error
        except config.ConfigError as error:
            problems = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"{file}: nothing imported:\n{problems}") from error
        done = "is valid (dry run: nothing written); it would change" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{file} {done}:"))
        for section, summary in changed.items():
            self.stdout.write(f"  {section}: {summary}")
