import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.test.utils import setup_databases, teardown_databases

from triage import evaluation


class Command(BaseCommand):
    help = (
        "Measure the rules on a labeled folder (profile.json, emails/*.eml, labels.csv) "
        "in a throw-away database: accuracy, confusion matrix and every miss."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, folder: Path, as_json: bool, **options):
        if not (folder / "labels.csv").is_file():
            raise CommandError(f"{folder}: no labels.csv here")
        # The same throw-away database the test runner makes (in memory on SQLite, a new
        # database on PostgreSQL), so evaluating never touches the real inbox. Its own name,
        # so it cannot collide with a test database that is in use.
        database = connections["default"].settings_dict
        if database["ENGINE"] != "django.db.backends.sqlite3":
            database.setdefault("TEST", {})["NAME"] = f"evaluate_{database['NAME']}_{os.getpid()}"
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            report = evaluation.evaluate_folder(folder)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        finally:
            teardown_databases(old_config, verbosity=0)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(evaluation.format_report(report))
