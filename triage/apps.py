import os
import sys
import threading

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def list_builtin_rules(**kwargs) -> None:
    """After every migrate (a deploy, a new test database, a flushed one), list the built-in
    rules the code has and the table does not yet: reading the Rules page never writes."""
    from triage.services import rulebook  # apps load before models: not at import time

    rulebook.sync_builtin_rules()


def serving_in_development(argv: list[str], environ) -> bool:
    """Whether this process is the development server's serving one: `runserver`, in the
    child its auto-reloader starts (RUN_MAIN), or with --noreload. Not a command or a test."""
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return environ.get("RUN_MAIN") == "true" or "--noreload" in argv


def warm_in_background() -> None:
    """Import scikit-learn and read the assistant's model beside the starting server: a
    first request page that needs it waits for the import already under way (Python's
    import lock), not two seconds more. gunicorn's workers do it in config/gunicorn.py."""

    def warm():
        from django.db import connections

        from triage.services import assistant

        try:
            assistant.warm()
        finally:
            connections.close_all()  # this thread's own

    threading.Thread(target=warm, name="warm-assistant", daemon=True).start()


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"

    def ready(self):
        from triage import receivers  # noqa: F401  (connects inbound mail and events)

        post_migrate.connect(list_builtin_rules, sender=self)
        if serving_in_development(sys.argv, os.environ):
            warm_in_background()
