from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from triage.services import audit, privacy


class Command(BaseCommand):
    help = (
        "Remove answered funnel requests older than --days (and people left with none), and "
        "talent pool people whose consent lapsed or never came, keeping only anonymous counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=privacy.DEFAULT_RETENTION_DAYS)

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        record = privacy.purge_expired(days=days)
        if record is None:
            self.stdout.write(f"Nothing older than {days} days to remove.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Removed {record.requests} requests, {record.replies} replies and "
                    f"{record.candidates} people older than {days} days."
                )
            )
        lapsed = privacy.purge_lapsed_consent()
        if lapsed is None:
            self.stdout.write("Nobody in the talent pool without consent.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Erased {lapsed.candidates} people from the talent pool whose consent "
                    f"lapsed or never came ({lapsed.requests} requests, {lapsed.replies} replies)."
                )
            )
        entries = audit.purge_old_entries()
        self.stdout.write(
            f"Removed {entries} audit entries older than {settings.AUDIT_RETENTION_DAYS} days."
        )
