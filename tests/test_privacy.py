import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import CharField, JSONField, Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from tests.documents import make_pdf
from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.mail import ParsedAttachment
from triage.models import (
    Attachment,
    Candidate,
    CandidateRequest,
    ErasureRecord,
    KnownContact,
    Message,
    Reply,
)
from triage.services import attachments, candidates, outbox, review

pytestmark = pytest.mark.django_db

EMAIL, NAME = "grace@hopper.example", "Grace Hopper"


@pytest.fixture
def grace(profile, recruiter, django_capture_on_commit_callbacks):
    person = CandidateFactory(email=EMAIL, name=NAME, skills=["COBOL"])
    first = CandidateRequestFactory(
        candidate=person,
        subject="Compilers chat, Grace Hopper here",
        body=f"Hi, {NAME} ({EMAIL}) would love to talk compilers.",
        message_id="<grace-1@hopper.example>",
    )
    CandidateRequestFactory(
        candidate=person,
        subject="Second note",
        final_bucket="network",
        received_at=first.received_at + timedelta(days=1),
    )
    message = Message.objects.create(
        request=first,
        sender=EMAIL,
        sender_name=NAME,
        received_at=first.received_at,
        message_id="<grace-1@hopper.example>",
    )
    resume = make_pdf(f"{NAME}, {EMAIL}", "COBOL, compilers")
    attachments.store(
        message=message,
        prepared=attachments.prepare(
            [ParsedAttachment("Grace Hopper CV.pdf", "application/pdf", resume)]
        ),
    )
    review.override_bucket(request=first, bucket="exceptional", by=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_reply(
            request=first, template=None, subject="Let's talk", body="Dear Grace", by=recruiter
        )
    candidates.add_note(candidate=person, body="Grace Hopper, legend", by=recruiter)
    KnownContact.objects.create(name=NAME, email=EMAIL)
    for row in (person, first, first.replies.get()):  # someone looked at them in the admin
        LogEntry.objects.create(
            user=recruiter,
            content_type=ContentType.objects.get_for_model(row),
            object_id=str(row.pk),
            object_repr=str(row),
            action_flag=CHANGE,
        )
    return person


def rows_mentioning(*needles):
    """Every row in every table whose text mentions any needle (case-insensitive)."""
    found = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (CharField, TextField, JSONField))
        ]
        if not fields:
            continue
        rows = model._default_manager.annotate(
            **{f"_text_{name}": Cast(name, TextField()) for name in fields}
        )
        match = Q()
        for name in fields:
            for needle in needles:
                match |= Q(**{f"_text_{name}__icontains": needle})
        pks = rows.filter(match).values_list("pk", flat=True)
        found += [f"{model.__name__} {pk}" for pk in pks]
    return found


def test_the_search_helper_finds_the_person_before_erasure(grace):
    found = rows_mentioning(EMAIL, NAME)
    assert f"Candidate {grace.pk}" in found
    assert f"Attachment {Attachment.objects.get().pk}" in found
    assert any(row.startswith("Reply ") for row in found)
    assert any(row.startswith("KnownContact ") for row in found)
    assert sum(row.startswith("LogEntry ") for row in found) == 3


def test_export_downloads_everything_about_the_person_as_json(recruiter_client, grace):
    response = recruiter_client.get(reverse("triage:candidate-export", args=[grace.pk]))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="candidate-{grace.pk}.json"'
    data = json.loads(response.content)
    assert data["email"] == EMAIL and data["name"] == NAME and data["skills"] == ["COBOL"]
    subjects = [r["subject"] for r in data["requests"]]
    assert subjects == ["Compilers chat, Grace Hopper here", "Second note"]
    first = data["requests"][0]
    assert first["bucket"] == "exceptional"
    assert first["attachments"] == [
        {
            "filename": "Grace Hopper CV.pdf",
            "content_type": "application/pdf",
            "size": Attachment.objects.get().size,
            "kept": True,
            "refused_reason": "",
            "extracted_text": f"{NAME}, {EMAIL}\nCOBOL, compilers",
            "extraction_error": "",
        }
    ]
    assert first["replies"][0]["body"] == "Dear Grace\n"
    assert data["notes_by_recruiters"][0]["text"] == "Grace Hopper, legend"


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_erase_leaves_nothing_of_the_person_in_any_table_only_counts(
    recruiter_client, grace, media_root, django_capture_on_commit_callbacks
):
    assert [path.name for path in stored_files(media_root)] == ["Grace_Hopper_CV.pdf"]

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(
            reverse("triage:candidate-erase", args=[grace.pk]), {"confirm": "erase"}, follow=True
        )

    assert "Erased a person with 2 requests and 1 reply." in response.content.decode()
    assert rows_mentioning(EMAIL, NAME, "hopper") == []
    assert stored_files(media_root) == []  # her résumé is gone from file storage too
    assert not Attachment.objects.exists()
    assert not Candidate.objects.exists() and not CandidateRequest.objects.exists()
    record = ErasureRecord.objects.get()
    assert record.reason == "request" and record.candidates == 1
    assert record.requests == 2 and record.replies == 1
    assert record.requests_by_bucket == {"funnel": 0, "network": 1, "exceptional": 1}


def test_erase_needs_the_word_erase(recruiter_client, grace):
    response = recruiter_client.post(
        reverse("triage:candidate-erase", args=[grace.pk]), {"confirm": "yes"}, follow=True
    )

    assert "Type “erase” to confirm: nothing was deleted." in response.content.decode()
    assert Candidate.objects.filter(pk=grace.pk).exists()
    assert not ErasureRecord.objects.exists()


def test_erase_refuses_get(recruiter_client, grace):
    response = recruiter_client.get(reverse("triage:candidate-erase", args=[grace.pk]))
    assert response.status_code == 405
    assert Candidate.objects.filter(pk=grace.pk).exists()


# --- Retention -------------------------------------------------------------------------------


def aged(days, *, bucket="funnel", status="replied", email=None):
    person = CandidateFactory(**({"email": email} if email else {}))
    return CandidateRequestFactory(
        candidate=person,
        final_bucket=bucket,
        status=status,
        received_at=timezone.now() - timedelta(days=days),
    )


def test_purge_expired_removes_only_answered_funnel_requests_past_the_limit(db, capsys):
    old = aged(200, email="old@mail.example")
    Reply.objects.create(
        request=old, to_email="old@mail.example", subject="s", body="b", message_id="<r1@x>"
    )
    recent = aged(100)
    unanswered = aged(400, status="new")
    network = aged(400, bucket="network")

    call_command("purge_expired")

    left = set(CandidateRequest.objects.values_list("pk", flat=True))
    assert left == {recent.pk, unanswered.pk, network.pk}
    assert not Candidate.objects.filter(email="old@mail.example").exists()
    assert not Reply.objects.exists()
    record = ErasureRecord.objects.get()
    assert (record.reason, record.candidates, record.requests, record.replies) == (
        "retention",
        1,
        1,
        1,
    )
    assert "Removed 1 requests, 1 replies and 1 people older than 180 days." in (
        capsys.readouterr().out
    )


def test_purge_expired_deletes_the_files_of_what_it_removes(
    db, media_root, django_capture_on_commit_callbacks
):
    old, recent = aged(200), aged(10)
    for request in (old, recent):
        message = Message.objects.create(
            request=request,
            sender=request.candidate.email,
            received_at=request.received_at,
            message_id=f"<m{request.pk}@x>",
        )
        attachments.store(
            message=message,
            prepared=attachments.prepare(
                [ParsedAttachment(f"cv-{request.pk}.txt", "text/plain", b"cv")]
            ),
        )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired")

    assert [path.name for path in stored_files(media_root)] == [f"cv-{recent.pk}.txt"]
    assert Attachment.objects.get().message.request == recent


def test_purge_expired_keeps_a_person_who_still_has_other_requests(db):
    old = aged(50)
    CandidateRequestFactory(candidate=old.candidate, final_bucket="network")

    call_command("purge_expired", "--days", "30")

    assert Candidate.objects.filter(pk=old.candidate_id).exists()
    assert not CandidateRequest.objects.filter(pk=old.pk).exists()
    assert ErasureRecord.objects.get().candidates == 0


def test_purge_expired_with_nothing_to_do_says_so(db, capsys):
    aged(10)
    call_command("purge_expired", "--days", "30")
    assert "Nothing older than 30 days to remove." in capsys.readouterr().out
    assert not ErasureRecord.objects.exists()


def test_the_daily_task_runs_the_same_sweep(db):
    from triage.tasks import purge_expired

    old = aged(200)

    purge_expired.enqueue()

    assert not CandidateRequest.objects.filter(pk=old.pk).exists()
    assert ErasureRecord.objects.get().reason == "retention"
