"""Threading and duplicates: a follow-up joins its request; nothing is stored twice."""

from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import pytest
from django.utils import timezone

from tests.test_ingest import ingest
from triage.models import CandidateRequest, Message, QuarantinedMessage, Reply
from triage.services import intake

pytestmark = pytest.mark.django_db


def raw(
    *,
    sender="Sam Sender <sam@mail.example>",
    subject="Coffee chat?",
    body="Could we talk about flight software?",
    message_id=None,
    date="Mon, 03 Mar 2025 09:15:00 +0000",
    **headers,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "rita@acme-orbital.example"
    msg["Subject"] = subject
    msg["Date"] = date
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def take_in(*raws: bytes) -> intake.IngestSummary:
    return intake.ingest_sources([(f"test#{n}", r) for n, r in enumerate(raws)])


def test_it_joins_a_follow_up_by_in_reply_to_to_the_first_request(profile):
    first = raw(message_id="<one@mail.example>")
    follow_up = raw(
        subject="Following up",
        body="Any news? I also know RTOS.",
        message_id="<two@mail.example>",
        In_Reply_To="<one@mail.example>",
        date="Tue, 04 Mar 2025 09:15:00 +0000",
    )

    summary = take_in(first, follow_up)

    assert (summary.new, summary.threaded) == (1, 1)
    request = CandidateRequest.objects.get()
    assert [m.message_id for m in request.messages.all()] == [
        "<one@mail.example>",
        "<two@mail.example>",
    ]
    assert request.messages.last().in_reply_to == "<one@mail.example>"


def test_it_joins_a_follow_up_by_references_when_in_reply_to_is_unknown(profile):
    take_in(raw(message_id="<one@mail.example>"))

    summary = take_in(
        raw(
            message_id="<three@mail.example>",
            In_Reply_To="<unknown@elsewhere.example>",
            References="<one@mail.example> <unknown@elsewhere.example>",
        )
    )

    assert summary.threaded == 1
    assert CandidateRequest.objects.get().messages.count() == 2


def test_an_answer_to_our_reply_reopens_the_answered_request(profile):
    take_in(raw(message_id="<one@mail.example>"))
    request = CandidateRequest.objects.get()
    Reply.objects.create(
        request=request,
        to_email="sam@mail.example",
        subject="Re: Coffee chat?",
        body="Apply on the site.",
        status=Reply.Status.SENT,
        message_id="<our-reply@triage.localhost>",
    )
    request.status = CandidateRequest.Status.REPLIED
    request.save()

    summary = take_in(
        raw(
            subject="Re: Coffee chat?",
            body="Thanks! One more question.",
            message_id="<four@mail.example>",
            In_Reply_To="<our-reply@triage.localhost>",
        )
    )

    assert summary.threaded == 1
    request.refresh_from_db()
    assert request.status == CandidateRequest.Status.NEW


def test_it_joins_a_re_subject_from_the_same_sender_within_30_days(profile):
    take_in(raw(message_id="<one@mail.example>", date="Mon, 03 Mar 2025 09:15:00 +0000"))

    summary = take_in(
        raw(
            subject="RE: Coffee chat?",
            body="Bumping this.",
            message_id="<five@mail.example>",
            date="Wed, 26 Mar 2025 09:15:00 +0000",
        )
    )

    assert (summary.new, summary.threaded) == (0, 1)
    assert Message.objects.filter(request__candidate__email="sam@mail.example").count() == 2


@pytest.mark.parametrize(
    ("sender", "subject", "date"),
    [
        ("sam@mail.example", "Re: Coffee chat?", "Sat, 05 Apr 2025 09:15:00 +0000"),  # 33 days
        ("other@mail.example", "Re: Coffee chat?", "Tue, 04 Mar 2025 09:15:00 +0000"),
        ("sam@mail.example", "Coffee chat again?", "Sat, 05 Apr 2025 09:15:00 +0000"),
    ],
    ids=["too-late", "another-sender", "new-subject-too-late"],
)
def test_it_opens_a_new_request_for_a_near_miss(profile, sender, subject, date):
    take_in(raw(message_id="<one@mail.example>"))

    summary = take_in(raw(sender=sender, subject=subject, message_id="<six@x.example>", date=date))

    assert (summary.new, summary.threaded) == (1, 0)
    assert CandidateRequest.objects.count() == 2


def test_the_rules_read_the_new_text_of_the_follow_up(profile):
    take_in(raw(message_id="<one@mail.example>", subject="Hello", body="Hello there."))
    assert CandidateRequest.objects.get().suggested_bucket == "funnel"

    take_in(
        raw(
            message_id="<two@mail.example>",
            subject="Re: Coffee chat?",
            body="I write Rust; not looking now, but let's keep in touch.\n\n"
            "On Mon, Someone wrote:\n> Can I apply for a job now? Any openings?",
            In_Reply_To="<one@mail.example>",
        )
    )

    request = CandidateRequest.objects.get()
    assert request.messages.count() == 2
    assert request.suggested_bucket == "network"


def test_a_recruiters_bucket_survives_a_follow_up(profile, recruiter):
    take_in(raw(message_id="<one@mail.example>"))
    request = CandidateRequest.objects.get()
    request.final_bucket, request.final_bucket_set_by = "exceptional", recruiter
    request.save()

    take_in(raw(message_id="<two@mail.example>", In_Reply_To="<one@mail.example>"))

    request.refresh_from_db()
    assert request.final_bucket == "exceptional"


def test_a_different_message_reusing_a_message_id_is_stored_beside_it_and_reported(profile):
    take_in(raw(message_id="<one@mail.example>"))

    # Another person's message under the same ID (a sloppy MTA): a request of its own. (The
    # same person's would join their open conversation, whatever its Message-ID.)
    other = "Pat Other <pat@other.example>"
    summary = take_in(raw(message_id="<one@mail.example>", body="Different text", sender=other))

    assert (summary.new, summary.duplicates) == (1, 0)
    [(source, stored_as)] = summary.shared_ids
    assert source == "test#0" and stored_as.startswith("<one@mail.example>#")
    assert sorted(Message.objects.values_list("text", flat=True)) == [
        "Could we talk about flight software?",
        "Different text",
    ]
    # Taking the second one in again finds it under its own key.
    again = take_in(raw(message_id="<one@mail.example>", body="Different text", sender=other))
    assert (again.new, again.duplicates, again.shared_ids) == (0, 1, [])


def test_the_same_message_by_another_route_is_a_duplicate_though_its_bytes_differ(profile):
    take_in(raw(message_id="<one@mail.example>"))

    # An IMAP fetch and an mbox export differ in their transport headers, not their content.
    summary = take_in(raw(message_id="<one@mail.example>", Received="from mx.example by mx2"))

    assert (summary.new, summary.duplicates, summary.shared_ids) == (0, 1, [])
    assert Message.objects.count() == 1


def test_it_skips_a_duplicate_without_message_id_by_its_content(profile):
    take_in(raw())

    summary = take_in(raw(), raw(sender="kim@mail.example", body="Another body"))

    assert (summary.new, summary.duplicates) == (1, 1)
    assert CandidateRequest.objects.count() == 2
    assert Message.objects.filter(message_id__endswith="@no-message-id.invalid>").count() == 2


def test_running_a_mixed_import_twice_changes_nothing(profile, tmp_path):
    for name, content in {
        "a.eml": raw(message_id="<one@mail.example>"),
        "b.eml": raw(message_id="<two@mail.example>", In_Reply_To="<one@mail.example>"),
        "c.eml": raw(message_id="<bot@mail.example>", Auto_Submitted="auto-replied"),
        "d.eml": b"Subject: no sender\n\nhello",
    }.items():
        (tmp_path / name).write_bytes(content)
    ingest(tmp_path)
    before = (
        list(Message.objects.values_list("pk", "message_id")),
        list(CandidateRequest.objects.values_list("pk", "status", "final_bucket")),
        list(QuarantinedMessage.objects.values_list("pk", "kind", "error")),
    )

    out, _ = ingest(tmp_path)

    # The set-aside and the unreadable message are in quarantine already: left as they are.
    assert out.strip() == (
        "0 new (none), 4 duplicates (2 already kept aside), 0 threaded, 0 set aside, 0 quarantined"
    )
    after = (
        list(Message.objects.values_list("pk", "message_id")),
        list(CandidateRequest.objects.values_list("pk", "status", "final_bucket")),
        list(QuarantinedMessage.objects.values_list("pk", "kind", "error")),
    )
    assert after == before


def test_a_large_import_is_parsed_in_parallel_with_the_same_result(profile):
    raws = [raw(message_id=f"<m{n}@mail.example>", sender=f"p{n}@mail.example") for n in range(250)]
    raws.append(b"broken")

    summary = intake.ingest_sources([(f"#{n}", r) for n, r in enumerate(raws)], jobs=2)

    assert summary.new == 250
    assert [reason for _, reason in summary.quarantined] == ["no sender address in the From header"]
    assert Message.objects.count() == 250


def test_a_sent_reply_joins_the_thread_and_the_answer_to_it_finds_the_request(
    profile, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory
    from triage.services import outbox

    take_in(raw(message_id="<one@mail.example>"))
    request = CandidateRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        reply = outbox.queue_reply(
            request=request, template=None, subject="Re: Coffee chat?", body="Hi", by=UserFactory()
        )

    out = request.messages.get(direction=Message.Direction.OUT)
    assert (out.message_id, out.text) == (reply.message_id, "Hi\n")

    later = format_datetime(timezone.now() + timedelta(minutes=5))
    summary = take_in(
        raw(message_id="<two@mail.example>", In_Reply_To=reply.message_id, date=later)
    )

    assert summary.threaded == 1
    request.refresh_from_db()
    assert request.status == CandidateRequest.Status.NEW
    assert list(request.messages.values_list("direction", flat=True)) == ["in", "out", "in"]


def test_a_reopened_request_can_be_answered_once_more_and_only_once(profile):
    from tests.factories import UserFactory
    from triage.services import outbox

    take_in(raw(message_id="<one@mail.example>"))
    request = CandidateRequest.objects.get()
    by = UserFactory()

    def answer():
        return outbox.queue_reply(request=request, template=None, subject="Re", body="Hi", by=by)

    first = answer()
    with pytest.raises(outbox.AlreadyAnswered):
        answer()  # the double click, in the first round
    take_in(
        raw(
            subject="Re: Coffee chat?",
            body="Thanks! One more question.",
            message_id="<two@mail.example>",
            In_Reply_To="<one@mail.example>",
            date="Tue, 04 Mar 2025 09:15:00 +0000",
        )
    )

    second = answer()
    with pytest.raises(outbox.AlreadyAnswered):
        answer()  # the double click, in the second round

    assert (first.round, second.round) == (1, 2)
    assert request.replies.count() == 2
