import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.services import profiles


class Command(BaseCommand):
    help = "Load the triage profile (company, openings, people) from a profile.json file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            profile = profiles.import_profile(data)
        except (OSError, json.JSONDecodeError, ValueError) as error:
            raise CommandError(f"{file}: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Loaded the profile for {profile.company}."))
