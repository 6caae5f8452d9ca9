"""The benchmark runs end to end (its figures are for people, not for asserts)."""

import pytest

from triage import replies
from triage.management.commands.bench_replies import Command
from triage.models import Reply, ReplyTemplate

pytestmark = pytest.mark.bench


@pytest.mark.django_db(transaction=True)
def test_it_queues_and_sends_every_reply_through_the_worker():
    # The shipped reply templates come from a data migration, and an earlier transactional
    # test's flush may have emptied the table the bench picks its template from.
    replies.install_shipped_templates(ReplyTemplate)
    result = Command().run_bench(5)

    assert result["queued"] == result["sent"] == result["received_by_sink"] == 5
    assert Reply.objects.filter(status=Reply.Status.SENT).count() == 5
