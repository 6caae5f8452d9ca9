"""Data migrations: every stored request gets its first message and sent replies theirs;
every reply gets its candidate."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("triage", "0005_message_thread_quarantine")]
AFTER = [("triage", "0006_messages_from_requests")]


def test_it_makes_one_inbound_message_per_request_and_one_per_sent_reply():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Candidate = apps.get_model("triage", "Candidate")
    CandidateRequest = apps.get_model("triage", "CandidateRequest")
    Reply = apps.get_model("triage", "Reply")
    ada = Candidate.objects.create(email="ada@mail.example", name="Ada")
    common = {"candidate": ada, "received_at": timezone.now(), "suggested_bucket": "funnel"}
    with_id = CandidateRequest.objects.create(
        **common, subject="One", body="First", message_id="<one@mail.example>"
    )
    CandidateRequest.objects.create(**common, subject="Two", body="Second", message_id=None)
    Reply.objects.create(
        request=with_id, to_email=ada.email, subject="Re: One", body="Thanks", status="sent",
        message_id="<reply@triage.localhost>",
    )  # fmt: skip
    Reply.objects.create(
        request=with_id, to_email=ada.email, subject="Re: One", body="x", status="failed",
        message_id="<failed@triage.localhost>",
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Message = executor.loader.project_state(AFTER).apps.get_model("triage", "Message")

    rows = sorted(Message.objects.values_list("direction", "subject", "text", "sender"))
    assert rows == [
        ("in", "One", "First", "ada@mail.example"),
        ("in", "Two", "Second", "ada@mail.example"),
        ("out", "Re: One", "Thanks", ""),
    ]
    assert Message.objects.get(subject="One").message_id == "<one@mail.example>"
    assert Message.objects.get(subject="Two").message_id.endswith("@no-message-id.invalid>")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


BEFORE_CANDIDATE = [("triage", "0016_bounces_and_raw_hash")]
AFTER_CANDIDATE = [("triage", "0017_reply_candidate")]


def test_each_stored_reply_gets_its_requests_candidate():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_CANDIDATE)
    apps = executor.loader.project_state(BEFORE_CANDIDATE).apps
    Candidate = apps.get_model("triage", "Candidate")
    CandidateRequest = apps.get_model("triage", "CandidateRequest")
    Reply = apps.get_model("triage", "Reply")
    common = {"received_at": timezone.now(), "suggested_bucket": "network"}
    people = [
        Candidate.objects.create(email=f"{name}@mail.example", name=name) for name in ("ada", "bo")
    ]
    for person in people:
        request = CandidateRequest.objects.create(candidate=person, subject="Hi", **common)
        Reply.objects.create(
            request=request, to_email=person.email, subject="Re: Hi", body="Thanks",
            status="sent", message_id=f"<{person.name}@triage.localhost>",
        )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER_CANDIDATE)
    Reply = executor.loader.project_state(AFTER_CANDIDATE).apps.get_model("triage", "Reply")

    assert sorted(Reply.objects.values_list("to_email", "candidate__email")) == [
        ("ada@mail.example", "ada@mail.example"),
        ("bo@mail.example", "bo@mail.example"),
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
