"""A candidate who asks to be left alone is marked do-not-contact on the way in, whichever
intake path their message takes, with their words as the reason."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_threading import raw, take_in
from triage import rules
from triage.models import Candidate
from triage.services import candidates, intake, outbox

pytestmark = pytest.mark.django_db


def test_a_new_request_asking_to_be_left_alone_sets_do_not_contact(recruiter_client, profile):
    request = intake.create_request(
        sender=rules.Address(name="Sam Sender", email="sam@mail.example"),
        subject="Your recruiting emails",
        body="Hi,\n\nPlease stop emailing me about roles.\n\nSam",
        received_at=timezone.now(),
        profile=profile,
    )

    sam = Candidate.objects.get(email="sam@mail.example")
    assert sam.do_not_contact and sam.do_not_contact_set_by is None
    assert sam.do_not_contact_reason == "They asked to be left alone: “stop emailing”"
    with pytest.raises(candidates.DoNotContact):
        outbox.queue_reply(request=request, template=None, subject="Re", body="Hi", by=None)
    timeline = recruiter_client.get(reverse("triage:candidate", args=[sam.pk])).context["timeline"]
    [entry] = [e for e in timeline if e.kind == "do_not_contact"]
    assert entry.text == "They asked to be left alone: “stop emailing”"


def test_the_bulk_import_path_flags_only_the_one_who_asked(profile):
    summary = take_in(
        raw(
            sender="Ann <ann@mail.example>",
            subject="Unsubscribe",
            body="Thanks.",
            message_id="<a@mail.example>",
        ),
        raw(
            sender="Bob <bob@mail.example>",
            subject="Coffee chat?",
            body="Could we talk?",
            message_id="<b@mail.example>",
        ),
    )

    assert summary.new == 2
    flagged = dict(Candidate.objects.values_list("email", "do_not_contact"))
    assert flagged == {"ann@mail.example": True, "bob@mail.example": False}
    assert Candidate.objects.get(email="ann@mail.example").do_not_contact_reason == (
        "They asked to be left alone: “Unsubscribe”"
    )


def test_a_follow_up_in_the_thread_asking_to_be_removed_sets_it(profile):
    take_in(raw(message_id="<one@mail.example>"))
    take_in(
        raw(
            subject="Re: Coffee chat?",
            body="On second thought, please remove me from your list.",
            message_id="<two@mail.example>",
            In_Reply_To="<one@mail.example>",
            date="Tue, 04 Mar 2025 09:15:00 +0000",
        )
    )

    sam = Candidate.objects.get(email="sam@mail.example")
    assert sam.requests.count() == 1 and sam.do_not_contact
    assert sam.do_not_contact_reason == "They asked to be left alone: “remove me from your list”"


def test_words_in_the_quoted_history_do_not_count(profile):
    take_in(raw(message_id="<one@mail.example>"))
    take_in(
        raw(
            subject="Re: Coffee chat?",
            body=(
                "Sounds great, Tuesday works!\n\n"
                "On Mon, 3 Mar 2025 at 10:00, Rita <rita@acme-orbital.example> wrote:\n"
                "> Happy to talk. If you'd rather not hear from us, reply unsubscribe.\n"
            ),
            message_id="<two@mail.example>",
            In_Reply_To="<one@mail.example>",
            date="Tue, 04 Mar 2025 09:15:00 +0000",
        )
    )

    assert not Candidate.objects.get(email="sam@mail.example").do_not_contact


def test_an_ordinary_request_is_left_alone(profile):
    take_in(raw(body="I'd love to hear about roles; please don't remove me from your list!"))

    assert not Candidate.objects.get(email="sam@mail.example").do_not_contact
