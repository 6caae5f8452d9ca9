import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.test.utils import setup_databases, teardown_databases

from triage import evaluation


class Command(BaseCommand):
    help = (
        "Measure the rules on labeled folders (each: profile.json, emails/*.eml, labels.csv) "
        "in a throw-away database: per folder accuracy, confusion matrix and every miss, "
        "then the overall figure."
    )

    def add_arguments(self, parser):
        parser.add_argument("folders", type=Path, nargs="+", metavar="DIR")
        parser.add_argument(
            "--half",
            choices=evaluation.HALVES,
            help="only the rows labeled with this half (rows with no half count in both)",
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, folders: list[Path], half: str | None, as_json: bool, **options):
        for folder in folders:
            if not (folder / "labels.csv").is_file():
                raise CommandError(f"{folder}: no labels.csv here")
        names = [folder.resolve().name for folder in folders]
        if len(set(names)) != len(names):
            raise CommandError("two folders have the same name; give each company its own")
        # The same throw-away database the test runner makes (in memory on SQLite, a new
        # database on PostgreSQL), so evaluating never touches the real inbox. Its own name,
        # so it cannot collide with a test database that is in use.
        database = connections["default"].settings_dict
        if database["ENGINE"] != "django.db.backends.sqlite3":
            database.setdefault("TEST", {})["NAME"] = f"evaluate_{database['NAME']}_{os.getpid()}"
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        reports = {}
        try:
            for name, folder in zip(names, folders, strict=True):
                # Each company starts from an empty database: rolled back after it.
                with transaction.atomic():
                    reports[name] = evaluation.evaluate_folder(folder, half=half)
                    transaction.set_rollback(True)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        finally:
            teardown_databases(old_config, verbosity=0)
        if len(reports) == 1:
            [report] = reports.values()
            overall = report
        else:
            overall = evaluation.combine(reports)
        if as_json:
            data = overall.as_dict()
            data["folders"] = {name: r.as_dict() for name, r in reports.items()}
            data["half"] = half
            self.stdout.write(json.dumps(data, indent=2))
            return
        for name, report in reports.items():
            if len(reports) > 1:
                self.stdout.write(f"== {name}{f' ({half} half)' if half else ''}")
            self.stdout.write(evaluation.format_report(report) + "\n")
        self.stdout.write(evaluation.format_summary(reports, overall))
