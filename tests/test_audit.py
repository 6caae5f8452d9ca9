"""The audit log: who viewed, exported, erased or changed what, and when. Writes are
recorded by the services (so any caller of a service is audited), reads by the views; no
entry names a candidate; the admin shows it read-only; old entries are purged."""

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
    hiring_manager,
)
from triage.models import Attachment, AuditEntry, CandidateRequest, Message, Reply, TriageRule
from triage.services import assignment, audit, bulk, config, outbox, review

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


@pytest.fixture
def ada_request(db):
    ada = CandidateFactory(email="ada@mail.example", name="Ada Lovelace")
    return CandidateRequestFactory(candidate=ada, subject="Engines", body="I build engines.")


def only_entry(**filters) -> AuditEntry:
    [entry] = AuditEntry.objects.filter(**filters)
    return entry


def describes(entry, action, user, target_type, target_id):
    assert (entry.action, entry.user, entry.target_type, entry.target_id) == (
        action,
        user,
        target_type,
        str(target_id),
    )


# --- Reads, recorded by the views ----------------------------------------------------------


def test_viewing_a_request_is_recorded_with_who_and_from_where(
    recruiter_client, recruiter, ada_request
):
    recruiter_client.get(reverse("triage:request", args=[ada_request.pk]), REMOTE_ADDR="10.1.2.3")

    entry = only_entry(action=Action.VIEWED_REQUEST)
    describes(entry, Action.VIEWED_REQUEST, recruiter, "candidaterequest", ada_request.pk)
    assert entry.ip == "10.1.2.3"
    assert entry.description == (
        f"Viewed request #{ada_request.pk} (candidate #{ada_request.candidate_id})"
    )
    assert timezone.now() - entry.at < timedelta(minutes=1)


def test_viewing_a_candidate_is_recorded(recruiter_client, recruiter, ada_request):
    recruiter_client.get(reverse("triage:candidate", args=[ada_request.candidate_id]))

    entry = only_entry(action=Action.VIEWED_CANDIDATE)
    describes(entry, Action.VIEWED_CANDIDATE, recruiter, "candidate", ada_request.candidate_id)


def test_exporting_a_person_and_the_configuration_are_recorded(
    recruiter_client, recruiter, ada_request, profile
):
    recruiter_client.get(reverse("triage:candidate-export", args=[ada_request.candidate_id]))
    recruiter_client.get(reverse("triage:config-export") + "?format=yaml")

    person, configuration = AuditEntry.objects.filter(action=Action.EXPORTED).order_by("pk")
    describes(person, Action.EXPORTED, recruiter, "candidate", ada_request.candidate_id)
    assert person.description.endswith("(JSON)")
    assert configuration.description == "Exported the configuration (yaml)"


def test_downloading_an_attachment_is_recorded(recruiter_client, recruiter, ada_request):
    message = Message.objects.create(
        request=ada_request, sender="ada@mail.example", received_at=timezone.now(), message_id="<m>"
    )
    attachment = Attachment(message=message, filename="cv.txt", content_type="text/plain", size=4)
    attachment.file.save("cv.txt", ContentFile(b"Rust"), save=True)

    response = recruiter_client.get(reverse("triage:attachment", args=[attachment.pk]))

    assert response.status_code == 200
    entry = only_entry(action=Action.DOWNLOADED_ATTACHMENT)
    describes(entry, Action.DOWNLOADED_ATTACHMENT, recruiter, "attachment", attachment.pk)


def test_a_page_that_is_refused_records_nothing(client, ada_request):
    hank = hiring_manager("hank")
    client.force_login(hank)

    assert client.get(reverse("triage:request", args=[ada_request.pk])).status_code == 404
    assert not AuditEntry.objects.exists()


# --- Writes, recorded by the services -------------------------------------------------------


def test_changing_a_bucket_is_recorded(recruiter_client, recruiter, ada_request):
    recruiter_client.post(
        reverse("triage:override", args=[ada_request.pk]), {"bucket": "network", "reason": ""}
    )

    entry = only_entry(action=Action.CHANGED_BUCKET)
    describes(entry, Action.CHANGED_BUCKET, recruiter, "candidaterequest", ada_request.pk)
    assert entry.description == f"Request #{ada_request.pk}: funnel → network"


def test_a_service_called_from_anywhere_is_audited_without_a_request(recruiter, ada_request):
    """An API or a command calling the service is audited the same; no address then."""
    review.override_bucket(request=ada_request, bucket="exceptional", by=recruiter)

    entry = only_entry(action=Action.CHANGED_BUCKET)
    assert (entry.user, entry.ip) == (recruiter, None)


def test_queuing_a_reply_records_who_queued_it(recruiter, ada_request):
    reply = outbox.queue_reply(
        request=ada_request,
        template=ReplyTemplateFactory(),
        subject="Re: Engines",
        body="Thanks!",
        by=recruiter,
    )

    entry = only_entry(action=Action.QUEUED_REPLY)
    describes(entry, Action.QUEUED_REPLY, recruiter, "reply", reply.pk)
    assert entry.description == f"Queued reply #{reply.pk} to request #{ada_request.pk}"


def test_a_bulk_send_records_each_reply_it_queued(
    recruiter, profile, django_capture_on_commit_callbacks
):
    requests = [
        CandidateRequestFactory(
            subject="Coffee?", candidate=CandidateFactory(email=f"p{n}@mail.example")
        )
        for n in range(3)
    ]
    ids = [request.pk for request in requests]

    with django_capture_on_commit_callbacks(execute=True):  # the bulk queues in a task
        sent = bulk.start_bulk_send(
            CandidateRequest.objects.filter(pk__in=ids),
            template=ReplyTemplateFactory(),
            by=recruiter,
        )

    entries = AuditEntry.objects.filter(action=Action.QUEUED_REPLY).order_by("pk")
    replies = Reply.objects.filter(request_id__in=ids).order_by("pk")
    assert sent.skipped == []
    assert sent.replies.count() == 3
    assert [(e.user, e.target_type, e.target_id) for e in entries] == [
        (recruiter, "reply", str(reply.pk)) for reply in replies
    ]
    assert [e.description for e in entries] == [
        f"Queued reply #{reply.pk} to request #{reply.request_id}" for reply in replies
    ]


def test_assigning_and_unassigning_are_recorded(recruiter_client, recruiter, ada_request):
    hank = hiring_manager("hank")
    assignment.assign_request(request=ada_request, to=hank, by=recruiter)
    recruiter_client.post(reverse("triage:unassign", args=[ada_request.pk]))

    assigned, unassigned = AuditEntry.objects.filter(action=Action.ASSIGNED).order_by("pk")
    assert assigned.description == f"Request #{ada_request.pk} assigned to user #{hank.pk} (hank)"
    assert unassigned.description == f"Request #{ada_request.pk} unassigned (was user #{hank.pk})"
    assert {assigned.user, unassigned.user} == {recruiter}


def test_changing_the_rules_is_recorded(recruiter_client, recruiter):
    rule = TriageRule.objects.filter(builtin=True).first()
    recruiter_client.post(reverse("triage:rule-toggle", args=[rule.pk]))

    entry = only_entry(action=Action.CHANGED_RULES)
    describes(entry, Action.CHANGED_RULES, recruiter, "triagerule", rule.pk)
    assert entry.description == f"Switched off rule #{rule.pk}"


def test_importing_the_configuration_is_recorded(recruiter, profile):
    text = config.export_config()
    data = json.loads(text)
    data["profile"]["company"] = "Acme Orbital Inc."

    config.import_config(json.dumps(data), by=recruiter)
    config.import_config(json.dumps(data), dry_run=True, by=recruiter)  # a dry run: nothing

    entry = only_entry(action=Action.CHANGED_RULES)
    assert entry.user == recruiter
    assert entry.description == "Imported the configuration: profile replaced, rules unchanged"


def test_saving_a_reply_template_is_recorded(recruiter_client, recruiter):
    response = recruiter_client.post(
        reverse("triage:template-new"),
        {
            "name": "Short no",
            "bucket": "funnel",
            "subject": "Re: {{ original_subject }}",
            "body": "Thanks, {{ first_name }}.",
        },
    )
    assert response.status_code == 302

    entry = only_entry(action=Action.CHANGED_TEMPLATE)
    assert entry.user == recruiter and entry.description.startswith("Added reply template #")


def test_erasing_leaves_no_name_or_address_in_the_log(recruiter_client, recruiter, ada_request):
    ada = ada_request.candidate
    recruiter_client.get(reverse("triage:request", args=[ada_request.pk]))
    recruiter_client.get(reverse("triage:candidate", args=[ada.pk]))
    recruiter_client.get(reverse("triage:candidate-export", args=[ada.pk]))

    recruiter_client.post(reverse("triage:candidate-erase", args=[ada.pk]), {"confirm": "erase"})

    entry = only_entry(action=Action.ERASED)
    describes(entry, Action.ERASED, recruiter, "candidate", ada.pk)
    assert entry.description == f"Erased candidate #{ada.pk} (1 requests, 0 replies)"
    assert AuditEntry.objects.count() == 4
    for row in AuditEntry.objects.values():
        text = json.dumps(row, default=str).lower()
        for personal in ("ada", "lovelace", "mail.example", "engines"):
            assert personal not in text, (personal, row)


# --- The admin page and retention --------------------------------------------------------


def test_the_admin_shows_it_read_only_with_filters(client, recruiter, ada_request):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    review.override_bucket(request=ada_request, bucket="network", by=recruiter)
    audit.record(action=Action.VIEWED_REQUEST, by=admin, target=ada_request)
    client.force_login(admin)
    url = reverse("admin:triage_auditentry_changelist")

    page = client.get(url).content.decode()
    assert "funnel → network" in page and "By action" in page and "By user" in page
    filtered = client.get(url, {"action__exact": Action.CHANGED_BUCKET})
    assert [e.action for e in filtered.context["cl"].result_list] == [Action.CHANGED_BUCKET]
    by_user = client.get(url, {"user__id__exact": admin.pk})
    assert [e.user for e in by_user.context["cl"].result_list] == [admin]
    assert client.get(reverse("admin:triage_auditentry_add")).status_code == 403
    entry = AuditEntry.objects.first()
    change = client.post(
        reverse("admin:triage_auditentry_change", args=[entry.pk]), {"description": "edited"}
    )
    assert change.status_code == 403
    delete = client.post(
        reverse("admin:triage_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuditEntry.objects.count() == 2


def test_old_entries_are_purged_by_the_daily_retention_sweep(recruiter, settings, capsys):
    settings.AUDIT_RETENTION_DAYS = 30
    old = audit.record(action=Action.VIEWED_REQUEST, by=recruiter, description="old")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = audit.record(action=Action.VIEWED_REQUEST, by=recruiter, description="recent")

    call_command("purge_expired")

    assert list(AuditEntry.objects.all()) == [recent]
    assert "Removed 1 audit entries older than 30 days." in capsys.readouterr().out


def test_the_daily_task_purges_them_too(recruiter, settings):
    from triage import tasks

    settings.AUDIT_RETENTION_DAYS = 7
    old = audit.record(action=Action.EXPORTED, by=recruiter)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=8))

    tasks.purge_expired.enqueue()

    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_page_read_is_recorded_outside_any_transaction_and_leaves_the_connection_as_it_was(
    recruiter, ada_request
):
    # As a view records it (no transaction open): its own transaction, whose commit on
    # PostgreSQL does not wait for the disk; the setting ends with that transaction.
    entry = audit.record_read(
        action=Action.VIEWED_REQUEST, by=recruiter, target=ada_request, description="Viewed"
    )

    describes(
        only_entry(pk=entry.pk),
        Action.VIEWED_REQUEST,
        recruiter,
        "candidaterequest",
        ada_request.pk,
    )
    assert synchronous_commit() in ("on", None)


def test_a_page_read_inside_a_write_leaves_the_writes_commit_as_it_is(recruiter, ada_request):
    # Inside a transaction (a write's), the entry joins it, and the write's commit still
    # waits for the disk.
    with transaction.atomic():
        audit.record_read(
            action=Action.VIEWED_REQUEST, by=recruiter, target=ada_request, description="Viewed"
        )
        assert synchronous_commit() in ("on", None)

    assert only_entry(action=Action.VIEWED_REQUEST).target_id == str(ada_request.pk)


def synchronous_commit() -> str | None:
    """PostgreSQL's setting as the current transaction has it (None on SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]
