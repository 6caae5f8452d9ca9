import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage import corpus_evaluation


class Command(BaseCommand):
    help = (
        "Precision and recall of the flags (urgent, not-candidate) against the `flags` "
        "column of labeled folders, on their tune and test halves. Runs in a throw-away "
        "database."
    )

    def add_arguments(self, parser):
        parser.add_argument("folders", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, folders: list[Path], as_json: bool, **options):
        for folder in folders:
            if not (folder / "labels.csv").is_file():
                raise CommandError(f"{folder}: no labels.csv here")
        try:
            with corpus_evaluation.throwaway_database():
                triaged = [t for f in folders for t in corpus_evaluation.triage_folder(f)]
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        scores, mistakes = corpus_evaluation.flag_scores(triaged)
        if as_json:
            rows = [{**asdict(s), "precision": s.precision, "recall": s.recall} for s in scores]
            self.stdout.write(json.dumps({"scores": rows, "mistakes": mistakes}, indent=2))
        else:
            self.stdout.write(corpus_evaluation.format_flag_scores(scores, mistakes))
