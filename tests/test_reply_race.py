"""Two recruiters click "Send" at the same moment: the database lets exactly one through."""

import threading

import pytest
from django.db import connection, connections

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


def test_it_queues_exactly_one_reply_when_two_threads_send_at_once(profile, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    candidate_request = CandidateRequestFactory()
    users = [UserFactory(), UserFactory()]
    start = threading.Barrier(2)
    outcomes = []

    def send(user):
        try:
            start.wait()
            outbox.queue_reply(
                request=candidate_request, template=None, subject="Re", body="Hi", by=user
            )
            outcomes.append("queued")
        except outbox.AlreadyAnswered:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["queued", "refused"]
    assert Reply.objects.filter(request=candidate_request).count() == 1
