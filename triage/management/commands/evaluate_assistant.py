import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage import corpus_evaluation


class Command(BaseCommand):
    help = (
        "The assistant on companies it never saw: for each labeled folder, trained on the "
        "others and tested on it, beside the rules' accuracy and how often the two agree. "
        "Runs in a throw-away database."
    )

    def add_arguments(self, parser):
        parser.add_argument("folders", nargs="+", type=Path)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, folders: list[Path], as_json: bool, **options):
        for folder in folders:
            if not (folder / "labels.csv").is_file():
                raise CommandError(f"{folder}: no labels.csv here")
        if len({folder.resolve() for folder in folders}) < 2:
            raise CommandError("Give at least two companies' folders: one is held out.")
        try:
            with corpus_evaluation.throwaway_database():
                by_company = {f.name: corpus_evaluation.triage_folder(f) for f in folders}
            results = corpus_evaluation.cross_company(by_company)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(corpus_evaluation.as_dict(results), indent=2))
        else:
            self.stdout.write(corpus_evaluation.format_cross_company(results))
