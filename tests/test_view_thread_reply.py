"""Replying inside an existing thread: free-form or from any saved template, through the
same queue_reply (so once per round still holds), starting from the follow-up template."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.models import CandidateRequest, Message, Reply, ReplyTemplate
from triage.services import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def reopened(profile, recruiter):
    """Ada wrote, we answered, she wrote again: round 2 is open."""
    request = CandidateRequestFactory(
        subject="Re: RE: Coffee chat?",
        candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"),
        final_bucket="funnel",
        suggested_bucket="funnel",
    )
    Message.objects.create(
        request=request,
        sender="ada@mail.example",
        received_at=request.received_at,
        message_id="<in1@x>",
    )
    outbox.queue_reply(
        request=request,
        template=None,
        subject="Re: Coffee chat?",
        body="First answer.",
        by=recruiter,
    )
    Message.objects.create(
        request=request,
        sender="ada@mail.example",
        text="Thanks, one more question.",
        received_at=timezone.now(),
        message_id="<in2@x>",
    )
    CandidateRequest.objects.filter(pk=request.pk).update(status="new")
    return request


def page_of(client, request, **params):
    return client.get(reverse("triage:request", args=[request.pk]), params)


def test_a_reopened_thread_preloads_the_follow_up_template(recruiter_client, reopened):
    response = page_of(recruiter_client, reopened)

    assert response.context["template"].for_follow_ups
    html = response.content.decode()
    assert "Thanks for writing again" in html
    assert "Re: Coffee chat?" in html and "Re: Re:" not in html
    assert "Free-form reply (no template)" in html


def test_a_free_form_reply_starts_blank_and_goes_out_without_a_template(recruiter_client, reopened):
    response = page_of(recruiter_client, reopened, template="free")
    form = response.context["form"]
    assert form.initial["subject"] == "Re: Coffee chat?"
    assert form.initial["body"].startswith("Hi Ada,\n\n")
    assert response.context["template"] is None

    sent = recruiter_client.post(
        reverse("triage:reply", args=[reopened.pk]),
        {"template": "", "subject": "Re: Coffee chat?", "body": "Yes: Tuesday works."},
        follow=True,
    )

    reply = Reply.objects.get(round=2)
    assert (reply.template, reply.body) == (None, "Yes: Tuesday works.\n")
    assert "is on its way" in sent.content.decode()


def test_a_saved_template_as_a_snippet_in_the_thread_is_once_per_round(recruiter_client, reopened):
    snippet = ReplyTemplate.objects.get(name="Funnel: applicant to a posted role")
    url = reverse("triage:reply", args=[reopened.pk])
    data = {"template": snippet.pk, "subject": "Re: Coffee chat?", "body": "Apply there."}

    recruiter_client.post(url, data)
    again = recruiter_client.post(url, data, follow=True)

    assert Reply.objects.filter(request=reopened, round=2).count() == 1
    assert Reply.objects.get(round=2).template == snippet
    assert "already has a reply: nothing more was sent" in again.content.decode()


def test_the_banner_shows_when_this_round_was_answered_here(recruiter_client, reopened, recruiter):
    outbox.queue_reply(
        request=reopened, template=None, subject="Re: x", body="Second answer.", by=recruiter
    )

    html = page_of(recruiter_client, reopened).content.decode()

    assert 'id="already-answered"' in html and "“Re: x”" in html
    assert html.count("First answer.") == 1 and html.count("Second answer.") == 1


def test_an_unknown_template_choice_falls_back_instead_of_failing(recruiter_client, reopened):
    response = page_of(recruiter_client, reopened, template="abc")

    assert response.status_code == 200
    assert response.context["template"].for_follow_ups
