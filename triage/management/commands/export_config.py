import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from triage.services import config


class Command(BaseCommand):
    help = (
        "Write the triage profile and the rules as one file (to stdout without FILE): YAML "
        "when FILE ends in .yaml or .yml, JSON otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument(
            "--format", choices=["json", "yaml"], help="Default: by FILE's name, else json."
        )

    def handle(self, *args, file: Path | None, format: str | None, **options):
        fmt = format or config.format_for(file.name if file else "")
        text = config.export_config(fmt=fmt)
        if file is None:
            sys.stdout.write(text)  # as it is: self.stdout would add a newline
            return
        file.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {file}.")
