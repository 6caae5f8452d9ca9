from django.apps import AppConfig
from django.db.models.signals import post_migrate


def list_builtin_rules(**kwargs) -> None:
    """After every migrate (a deploy, a new test database, a flushed one), list the built-in
    rules the code has and the table does not yet: reading the Rules page never writes."""
    from triage.services import rulebook  # apps load before models: not at import time

    rulebook.sync_builtin_rules()


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"

    def ready(self):
        from triage import receivers  # noqa: F401  (connects inbound mail and the events)

        post_migrate.connect(list_builtin_rules, sender=self)
