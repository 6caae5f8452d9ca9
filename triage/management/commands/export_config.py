import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from triage.services import config


class Command(BaseCommand):
    help = "Write the triage profile and the rules as one JSON file (to stdout without FILE)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")

    def handle(self, *args, file: Path | None, **options):
        text = config.export_config()
        if file is None:
            sys.stdout.write(text)  # as it is: self.stdout would add a newline
            return
        file.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {file}.")
