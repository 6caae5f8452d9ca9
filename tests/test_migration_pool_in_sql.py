"""The data migration moves each person's JSON skills into rows and works out the pool
fields from their requests."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("triage", "0026_notifications_and_dashboard")]
AFTER = [("triage", "0027_pool_in_sql")]


def test_json_skills_become_rows_and_the_pool_fields_are_filled():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Candidate = old.get_model("triage", "Candidate")
    CandidateRequest = old.get_model("triage", "CandidateRequest")
    received = timezone.now() - timedelta(days=10)
    kept = Candidate.objects.create(
        email="ada@mail.example", skills=[" Rust", "rust", "Embedded  C"]
    )
    CandidateRequest.objects.create(
        candidate=kept, received_at=received, suggested_bucket="network",
        final_bucket="network", suggested_rule="x", reasons=[],
    )  # fmt: skip
    funnel = Candidate.objects.create(email="bo@mail.example", skills=[])
    CandidateRequest.objects.create(
        candidate=funnel, received_at=received, suggested_bucket="funnel",
        final_bucket="funnel", suggested_rule="x", reasons=[],
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Candidate = new.get_model("triage", "Candidate")
    CandidateSkill = new.get_model("triage", "CandidateSkill")

    rows = CandidateSkill.objects.filter(candidate_id=kept.pk).order_by("position")
    assert [(row.name, row.key) for row in rows] == [("Rust", "rust"), ("Embedded C", "embedded c")]
    ada, bo = Candidate.objects.get(pk=kept.pk), Candidate.objects.get(pk=funnel.pk)
    assert ada.in_pool and not bo.in_pool
    assert ada.last_contact_on == received.date()
    assert ada.follow_up_due == received.date() + timedelta(days=90)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
