"""Work out every person's talent pool fields and who fits each role again (after rows were
written in bulk, by a benchmark or a restore), and with --read-text read skills and places
from what people in the pool wrote, as intake does for new requests."""

from itertools import batched

from django.core.management.base import BaseCommand

from triage.models import CandidateRequest
from triage.services import fits, pool, upkeep


class Command(BaseCommand):
    help = "Refresh the talent pool fields; --read-text also reads skills and places."

    def add_arguments(self, parser):
        parser.add_argument(
            "--read-text",
            action="store_true",
            help="read skills and locations from pool people's requests (slow: minutes at 100k)",
        )

    def handle(self, *args, read_text: bool, **options):
        changed = pool.refresh_all()
        self.stdout.write(f"Pool fields changed for {_count(changed, 'person', 'people')}.")
        if read_text:
            skills = located = 0
            requests = CandidateRequest.objects.filter(candidate__in_pool=True).select_related(
                "candidate"
            )
            in_order = requests.order_by("received_at", "pk").iterator(chunk_size=500)
            for chunk in batched(in_order, 500):
                added, placed = pool.read_from_requests(chunk)
                skills, located = skills + added, located + placed
            self.stdout.write(
                f"Read {_count(skills, 'skill', 'skills')} and "
                f"{_count(located, 'location', 'locations')} from their words."
            )
        stored = fits.rebuild_all()
        self.stdout.write(f"Ranked the pool for every role: {_count(stored, 'fit', 'fits')}.")
        upkeep.refresh_statistics()  # so the planner knows the new rows


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
