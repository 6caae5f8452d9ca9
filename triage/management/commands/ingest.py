import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.management.progress import progress_bar
from triage.services import intake, profiles


class Command(BaseCommand):
    help = (
        "Read messages (any file name), mbox files, maildirs and folders of them; store and "
        "triage each request. Files that are not mail are listed. With --retry-quarantine, "
        "process the quarantined messages again."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the summary as JSON."
        )
        parser.add_argument(
            "--retry-quarantine",
            action="store_true",
            help="Process the quarantined messages again (after a fix or a block-list change).",
        )
        parser.add_argument("--jobs", type=int, default=None, help="Parser processes.")

    def handle(self, *args, paths, as_json: bool, retry_quarantine: bool, jobs, **options):
        if not paths and not retry_quarantine:
            raise CommandError("Give files or folders to read, or --retry-quarantine.")
        try:
            if retry_quarantine:
                summary = intake.retry_quarantined()
            else:
                with progress_bar(unit="msg", enabled=not as_json) as progress:
                    summary = intake.ingest_paths(paths, jobs=jobs, progress=progress)
        except profiles.ProfileMissing as error:
            raise CommandError(str(error)) from error
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), indent=2))
            return
        self.stdout.write(format_summary(summary))
        for source, reason in summary.set_aside:
            self.stderr.write(f"  set aside: {source}: {reason}")
        for source, reason in summary.quarantined:
            self.stderr.write(f"  quarantined: {source}: {reason}")
        for source, reason in summary.not_mail:
            self.stderr.write(f"  {reason}: {source}")
        for source, _ in summary.shared_ids:
            self.stderr.write(f"  stored beside another message with its Message-ID: {source}")
        for source, address in summary.bounced_replies:
            self.stderr.write(f"  our reply to {address} bounced: {source}")


def format_summary(summary: intake.IngestSummary) -> str:
    buckets = ", ".join(f"{n} {b}" for b, n in sorted(summary.buckets.items())) or "none"
    kept = (
        f" ({summary.already_kept_aside} already kept aside)" if summary.already_kept_aside else ""
    )
    extras = [
        f"{len(summary.not_mail)} not mail" if summary.not_mail else "",
        f"{len(summary.shared_ids)} sharing a Message-ID" if summary.shared_ids else "",
        f"{len(summary.bounced_replies)} replies bounced" if summary.bounced_replies else "",
    ]
    return ", ".join(
        [
            f"{summary.new} new ({buckets})",
            f"{summary.duplicates} duplicates{kept}",
            f"{summary.threaded} threaded",
            f"{len(summary.set_aside)} set aside",
            f"{len(summary.quarantined)} quarantined",
            *filter(None, extras),
        ]
    )
