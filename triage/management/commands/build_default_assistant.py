from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage import assistant, corpus_evaluation
from triage.services import assistant as assistant_service

CORPORA = settings.BASE_DIR / "tests" / "corpora"


class Command(BaseCommand):
    help = (
        "Build the assistant's default model (triage/assistant_default/) from labeled "
        "folders, by default every company in tests/corpora. Commit what it writes."
    )

    def add_arguments(self, parser):
        parser.add_argument("folders", nargs="*", type=Path)

    def handle(self, *args, folders: list[Path], **options):
        folders = folders or sorted(p for p in CORPORA.iterdir() if p.is_dir())
        for folder in folders:
            if not (folder / "labels.csv").is_file():
                raise CommandError(f"{folder}: no labels.csv here")
        try:
            manifest = corpus_evaluation.build_default_model(
                folders, assistant_service.DEFAULT_MODEL_DIR
            )
        except (OSError, ValueError, assistant.NotEnoughSamples) as error:
            raise CommandError(str(error)) from error
        counts = assistant_service.describe_counts(manifest["bucket_counts"])
        self.stdout.write(
            f"Trained on {manifest['samples']} labeled requests of "
            f"{', '.join(manifest['companies'])} ({counts})."
        )
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {assistant_service.DEFAULT_MODEL_DIR}: commit it.")
        )
