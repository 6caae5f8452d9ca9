import json

from django.core.management.base import BaseCommand, CommandError

from triage.management.commands.ingest import format_summary
from triage.services import mailbox, profiles


class Command(BaseCommand):
    help = (
        "Read the mail that arrived in the IMAP folder (IMAP_* settings) since the last poll; "
        "store and triage each message like `ingest` does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the counts as JSON."
        )

    def handle(self, *args, as_json: bool, **options):
        try:
            result = mailbox.poll_mailbox()
        except (mailbox.MailboxError, profiles.ProfileMissing) as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), indent=2))
            return
        if result.uidvalidity_changed:
            self.stderr.write(
                f"  UIDVALIDITY of {result.mailbox} changed: read the folder again from the "
                "start (what was already stored counts as duplicates)."
            )
        self.stdout.write(
            f"{result.mailbox}: read {result.read}, moved {result.moved}. "
            + format_summary(result.summary)
        )
        for source, reason in result.summary.set_aside:
            self.stderr.write(f"  set aside: {source}: {reason}")
        for source, reason in result.summary.quarantined:
            self.stderr.write(f"  quarantined: {source}: {reason}")
