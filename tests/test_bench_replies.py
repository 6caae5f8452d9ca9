"""The benchmark runs end to end (its figures are for people, not for asserts)."""

import pytest

from triage.management.commands.bench_replies import Command
from triage.models import Reply

pytestmark = pytest.mark.bench


@pytest.mark.django_db(transaction=True)
def test_it_queues_and_sends_every_reply_through_the_worker():
    result = Command().run_bench(5)

    assert result["queued"] == result["sent"] == result["received_by_sink"] == 5
    assert Reply.objects.filter(status=Reply.Status.SENT).count() == 5
