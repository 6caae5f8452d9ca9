"""Migration 0030 fills each request's first reply time from the answers already sent."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("triage", "0029_config_version")]
AFTER = [("triage", "0030_first_reply_time")]


def test_the_first_answer_sent_is_kept_on_each_request():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Candidate = old.get_model("triage", "Candidate")
    CandidateRequest = old.get_model("triage", "CandidateRequest")
    Reply = old.get_model("triage", "Reply")
    received = timezone.now() - timedelta(days=10)

    def request(email):
        return CandidateRequest.objects.create(
            candidate=Candidate.objects.create(email=email), received_at=received,
            suggested_bucket="funnel", final_bucket="funnel", suggested_rule="x", reasons=[],
        )  # fmt: skip

    def reply(req, n, **fields):
        Reply.objects.create(
            request=req, candidate_id=req.candidate_id, to_email="x@mail.example",
            subject="Re", body="Thanks.", message_id=f"<m{n}@test.example>", **fields,
        )  # fmt: skip

    answered, failed = request("a@mail.example"), request("b@mail.example")
    untouched = request("c@mail.example")
    reply(answered, 1, status="sent", sent_at=received + timedelta(hours=9), round=2)
    reply(answered, 2, status="bounced", sent_at=received + timedelta(hours=3))
    reply(failed, 3, status="failed")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    requests = new.get_model("triage", "CandidateRequest").objects
    firsts = dict(requests.values_list("pk", "first_replied_at"))
    assert firsts == {
        answered.pk: received + timedelta(hours=3),
        failed.pk: None,
        untouched.pk: None,
    }

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
