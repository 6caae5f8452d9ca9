"""The person is the unit of conversation: one email per person per round, whichever path
sends it (single, bulk, retry), unless a recruiter sends anyway after being told."""

import itertools

import pytest
from django.utils import timezone

from tests.factories import CandidateFactory, ReplyTemplateFactory, UserFactory
from triage import rules
from triage.models import BulkSend, CandidateRequest, Message, Reply
from triage.services import bulk, intake, outbox

pytestmark = pytest.mark.django_db

_numbers = itertools.count()


def ask(profile, email, subject, name="Ada Lovelace"):
    """A request as intake makes it: with the person's message in its thread."""
    return intake.create_request(
        sender=rules.Address(name=name, email=email),
        subject=subject,
        body="Could we have a coffee chat?",
        received_at=timezone.now(),
        message_id=f"<ask-{next(_numbers)}@mail.example>",
        profile=profile,
    )


def writes_again(candidate_request):
    """The person writes again in the thread: a new round of the conversation."""
    return Message.objects.create(
        request=candidate_request,
        direction=Message.Direction.IN,
        sender=candidate_request.candidate.email,
        subject=f"Re: {candidate_request.subject}",
        text="Any news?",
        received_at=timezone.now(),
        message_id=f"<again-{next(_numbers)}@mail.example>",
    )


def answer(candidate_request, by=None, **options):
    """Queue a reply and let the worker send it (the test's transaction never commits)."""
    reply = outbox.queue_reply(
        request=candidate_request,
        template=None,
        subject=f"Re: {candidate_request.subject}",
        body="Thanks for writing.",
        by=by or UserFactory(),
        **options,
    )
    outbox.send_reply(reply.pk)
    reply.refresh_from_db()
    return reply


@pytest.fixture
def template(db):
    return ReplyTemplateFactory(subject="Re: {{ original_subject }}", body="Hi {{ first_name }}")


def test_a_second_request_of_an_answered_person_is_refused_with_when_and_what(profile):
    first = ask(profile, "ada@mail.example", "Coffee?")
    second = ask(profile, "ada@mail.example", "Following up on my note")
    answer(first, by=UserFactory(first_name="Omar", last_name="Known"))

    with pytest.raises(outbox.PersonAnswered) as refused:
        answer(second)

    assert "Already answered on" in str(refused.value)
    assert "by Omar Known" in str(refused.value) and "to “Coffee?”" in str(refused.value)
    assert not second.replies.exists()


def test_the_same_recruiter_is_refused_too_and_can_send_anyway(profile, recruiter):
    first = ask(profile, "ada@mail.example", "Coffee?")
    second = ask(profile, "ada@mail.example", "Another question")
    answer(first, by=recruiter)

    with pytest.raises(outbox.PersonAnswered):
        answer(second, by=recruiter)
    anyway = answer(second, by=recruiter, send_anyway=True)

    assert anyway.status == Reply.Status.SENT
    assert Reply.objects.filter(status=Reply.Status.SENT).count() == 2


def test_a_person_who_writes_again_starts_a_new_round(profile):
    first = ask(profile, "ada@mail.example", "Coffee?")
    answer(first)
    writes_again(first)

    again = answer(first)

    assert again.round == 2 and again.status == Reply.Status.SENT


def test_a_bulk_sends_one_email_per_person_and_lists_every_skip_with_its_reason(
    profile, template, recruiter
):
    ada = [ask(profile, "ada@mail.example", s) for s in ("Coffee?", "Following up")]
    bob = [ask(profile, "bob@mail.example", s, name="Bob Byte") for s in ("Hi", "Hi again")]
    cleo_answered = ask(profile, "cleo@mail.example", "Roles?", name="Cleo Core")
    cleo_second = ask(profile, "cleo@mail.example", "Roles, again?", name="Cleo Core")
    answer(cleo_answered)
    everyone = CandidateRequest.objects.filter(
        pk__in=[r.pk for r in [*ada, *bob, cleo_answered, cleo_second]]
    )

    plan = bulk.plan_bulk(everyone, template=template, by=recruiter)

    assert sorted(p.request.pk for p in plan.ready) == sorted([ada[1].pk, bob[1].pk])
    reasons = {request.pk: reason for request, reason in plan.skipped}
    assert (
        reasons[ada[0].pk]
        == "Same person as “Following up” in this bulk, which gets the one email."
    )
    assert reasons[bob[0].pk].startswith("Same person as “Hi again”")
    assert reasons[cleo_answered.pk] == "It already has a reply."
    assert reasons[cleo_second.pk].startswith("Already answered on")

    started = bulk.start_bulk_send(everyone, template=template, by=recruiter)
    outbox.send_due_replies()

    sent = Reply.objects.filter(status=Reply.Status.SENT, template=template)
    assert sorted(sent.values_list("to_email", flat=True)) == [
        "ada@mail.example",
        "bob@mail.example",
    ]
    assert len(started.skipped) == 4


def test_a_bulk_after_a_single_send_skips_the_answered_person(profile, template, recruiter):
    single = ask(profile, "ada@mail.example", "Coffee?")
    other = ask(profile, "ada@mail.example", "Coffee (resent)")
    answer(single, by=recruiter)

    started = bulk.start_bulk_send(
        CandidateRequest.objects.filter(pk=other.pk), template=template, by=recruiter
    )

    assert started.replies.count() == 0
    [skip] = started.skipped
    assert skip["request"] == other.pk and skip["reason"].startswith("Already answered on")


def test_retry_does_not_resend_an_earlier_rounds_failed_reply_after_a_later_answer(profile, smtp):
    candidate_request = ask(profile, "ada@mail.example", "Coffee?")
    smtp.script = ["550 5.1.1 Mailbox unavailable"]
    failed = answer(candidate_request)
    failed.refresh_from_db()
    assert failed.status == Reply.Status.FAILED
    writes_again(candidate_request)
    later = answer(candidate_request)
    assert later.status == Reply.Status.SENT

    failed.refresh_from_db()
    assert failed.status == Reply.Status.SUPERSEDED  # off the Outbox's Failed tab
    with pytest.raises(outbox.AlreadyAnswered):
        outbox.retry_reply(reply=Reply.objects.get(pk=failed.pk), by=UserFactory())
    Reply.objects.filter(pk=failed.pk).update(status=Reply.Status.FAILED)  # an old failed row
    with pytest.raises(outbox.AlreadyAnswered, match="this older reply was not resent"):
        outbox.retry_reply(reply=Reply.objects.get(pk=failed.pk), by=UserFactory())
    assert len(smtp.messages) == 1


def test_a_do_not_contact_person_is_still_refused_before_anything_else(profile):
    candidate_request = ask(profile, "ada@mail.example", "Coffee?")
    CandidateFactory._meta.model.objects.filter(pk=candidate_request.candidate_id).update(
        do_not_contact=True
    )
    with pytest.raises(Exception) as refused:
        answer(candidate_request)
    assert type(refused.value).__name__ == "DoNotContact"
    assert not BulkSend.objects.exists() and not Reply.objects.exists()
