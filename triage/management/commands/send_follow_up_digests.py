from django.core.management.base import BaseCommand

from triage.tasks import send_follow_up_digests


class Command(BaseCommand):
    help = "Queue today's follow-up digest for every recruiter now (run_periodic does it daily)."

    def handle(self, *args, **options):
        result = send_follow_up_digests.enqueue()
        self.stdout.write(f"Queued the follow-up digest ({result.id}).")
