"""Two workers claiming the same replies at the same moment, on PostgreSQL: each reply goes to
one of them (FOR UPDATE SKIP LOCKED), never to both. SQLite's single writer cannot race."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.factories import CandidateRequestFactory, UserFactory
from triage.models import Reply
from triage.services import outbox

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write, so there is no race to test: run on PostgreSQL.",
    ),
]


def claim_at_once(ids: list[int], workers: int) -> list[list[int]]:
    """Each worker's claimed ids, the workers released together by a barrier."""
    start = threading.Barrier(workers)
    claimed: list[list[int]] = [[] for _ in range(workers)]

    def work(index):
        try:
            start.wait()
            claimed[index] = [r.pk for r in outbox.claim_replies(ids, now=timezone.now())]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return claimed


@pytest.mark.parametrize("attempt", range(5))
def test_two_workers_claiming_the_same_replies_never_share_one(settings, attempt):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    items = [
        outbox.Outgoing(request=CandidateRequestFactory(), template=None, subject="Re", body="Hi")
        for _ in range(40)
    ]
    ids = [reply.pk for reply in outbox.queue_replies(items, by=UserFactory())]
    Reply.objects.filter(pk__in=ids).update(send_after=None)

    first, second = claim_at_once(ids, workers=2)

    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(ids)
    assert set(Reply.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (Reply.Status.SENDING, 1)
    }
