"""The data migration brings unedited shipped templates up to date, leaves a recruiter's
edits alone, and ships the follow-up template."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from triage import replies

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("triage", "0019_request_put_away")]
AFTER = [("triage", "0020_follow_up_templates")]
INVITE = "Exceptional: invite to a conversation"
DECLINE = "Funnel: kind decline with open roles"
FOLLOW_UP = "Follow-up: answering a new message in the conversation"


def shipped(name):
    return next(t for t in replies.shipped_templates() if t.name == name)


def as_shipped_before(body: str) -> str:
    """The invitation's body as it shipped before: a list heading, then "None of…"."""
    start = body.index("{% if openings %}")
    end = body.index("{% endif %}") + len("{% endif %}")
    old = (
        "For context, these are the roles we have in mind:\n\n"
        "{{ openings|default:\"None of our posted roles is an exact match, and that's fine: "
        "I'd like to use the call to talk about where your work could fit.\" }}"
    )
    return body[:start] + old + body[end:]


def test_it_updates_unedited_templates_only_and_adds_the_follow_up():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    ReplyTemplate = executor.loader.project_state(BEFORE).apps.get_model("triage", "ReplyTemplate")
    # Whatever an earlier test left: a table with these two rows, as a team might have it.
    ReplyTemplate.objects.all().delete()
    invite, decline = shipped(INVITE), shipped(DECLINE)
    ReplyTemplate.objects.create(
        name=INVITE, bucket="exceptional", subject=invite.subject,
        body=as_shipped_before(invite.body),
    )  # fmt: skip
    ReplyTemplate.objects.create(
        name=DECLINE, bucket="funnel", subject=decline.subject, body="Our own words.\n"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    ReplyTemplate = executor.loader.project_state(AFTER).apps.get_model("triage", "ReplyTemplate")

    assert ReplyTemplate.objects.get(name=INVITE).body == shipped(INVITE).body
    assert ReplyTemplate.objects.get(name=DECLINE).body == "Our own words.\n"
    follow_up = ReplyTemplate.objects.get(name=FOLLOW_UP)
    assert follow_up.for_follow_ups and not follow_up.is_default
    assert list(ReplyTemplate.objects.filter(for_follow_ups=True)) == [follow_up]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
