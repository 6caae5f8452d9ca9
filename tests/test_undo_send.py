"""Undo send: a queued reply waits REPLY_UNDO_SECONDS before the worker may send it, and
Undo takes it back cleanly: nothing sent, the request as it was, the text kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import CandidateFactory, CandidateRequestFactory, ReplyTemplateFactory
from triage.models import BulkSend, CandidateRequest, Reply
from triage.services import bulk, outbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def undo_delay(settings):
    settings.REPLY_UNDO_SECONDS = 30


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(
        subject="Coffee?", candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example")
    )


def queue(candidate_request, by):
    return outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject="Re: Coffee?",
        body="Hi Ada, my own words.",
        by=by,
    )


def time_passes(*replies):
    Reply.objects.filter(pk__in=[r.pk for r in replies]).update(
        send_after=timezone.now() - timedelta(seconds=1)
    )


def test_the_worker_waits_for_the_undo_delay_then_sends(smtp, candidate_request, recruiter):
    reply = queue(candidate_request, recruiter)

    assert timedelta(seconds=29) < reply.send_after - timezone.now() <= timedelta(seconds=30)
    assert outbox.send_reply(reply.pk) is None  # too early
    assert outbox.send_due_replies() == 0
    assert smtp.messages == []

    time_passes(reply)
    assert outbox.send_due_replies() == 1

    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT and len(smtp.messages) == 1


def test_the_real_task_backend_defers_the_send_to_the_end_of_the_delay(
    settings, candidate_request, recruiter, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        reply = queue(candidate_request, recruiter)

    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [reply.pk] and task.run_after == reply.send_after


def test_undo_cancels_cleanly_and_keeps_the_text(
    smtp, candidate_request, recruiter_client, recruiter
):
    assert candidate_request.status == CandidateRequest.Status.NEW
    reply = queue(candidate_request, recruiter)
    candidate_request.refresh_from_db()
    assert candidate_request.status == CandidateRequest.Status.REPLIED

    page = recruiter_client.get(reverse("triage:request", args=[candidate_request.pk]))
    assert f'id="undo-reply-{reply.pk}"' in page.content.decode()
    response = recruiter_client.post(
        reverse("triage:undo-reply", args=[candidate_request.pk, reply.pk]), follow=True
    )

    html = response.content.decode()
    assert "Undone: nothing was sent" in html
    reply.refresh_from_db()
    candidate_request.refresh_from_db()
    assert reply.status == Reply.Status.UNDONE
    assert candidate_request.status == CandidateRequest.Status.NEW
    assert response.context["form"].initial["body"] == "Hi Ada, my own words.\n"
    time_passes(reply)
    assert outbox.send_due_replies() == 0 and outbox.send_reply(reply.pk) is None
    assert smtp.messages == []
    # Nothing left behind: the request can be answered again.
    assert queue(candidate_request, recruiter).status == Reply.Status.QUEUED


def test_undo_is_refused_once_the_reply_left(smtp, candidate_request, recruiter):
    reply = queue(candidate_request, recruiter)
    time_passes(reply)
    outbox.send_reply(reply.pk)

    with pytest.raises(outbox.TooLateToUndo):
        outbox.undo_reply(reply=reply, by=recruiter)
    reply.refresh_from_db()
    assert reply.status == Reply.Status.SENT and len(smtp.messages) == 1


def test_a_bulk_can_be_undone_from_its_progress_page(smtp, profile, recruiter_client, recruiter):
    requests = [CandidateRequestFactory(subject=f"Hello {n}") for n in range(3)]
    template = ReplyTemplateFactory(body="Hi {{ first_name|default:'there' }}")
    started = bulk.start_bulk_send(
        CandidateRequest.objects.filter(pk__in=[r.pk for r in requests]),
        template=template,
        by=recruiter,
    )
    page = recruiter_client.get(reverse("triage:bulk-progress", args=[started.pk]))
    assert 'id="bulk-undo"' in page.content.decode()

    response = recruiter_client.post(reverse("triage:bulk-undo", args=[started.pk]), follow=True)

    assert "Undone: 3 replies not sent." in response.content.decode()
    progress = bulk.bulk_progress(BulkSend.objects.get())
    assert (progress.undone, progress.total, progress.done) == (3, 0, True)
    time_passes(*started.replies.all())
    assert outbox.send_due_replies() == 0 and smtp.messages == []
    assert set(CandidateRequest.objects.values_list("status", flat=True)) == {"new"}
