"""The request page makes as many queries for a long thread, with many files and a person
with many requests, as for a short one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.models import Attachment, Message, Reply
from triage.selectors import requests as request_reads

pytestmark = pytest.mark.django_db

# Session; the user, with their role, their sending settings, the configuration's version
# and the bell's unread count (two_factor.ModelBackend); the request, with whether we wrote
# the person before; its messages; their files; the person's other requests (the 10
# newest); every reply the page weighs (this request's, those requests', answers elsewhere
# since the person last wrote); who else is here; the ATS hand-off's state; the audit entry
# (INSERT); the outcomes. The configuration (profile, templates, rules, assistant model,
# hiring managers) comes from memory while its version is unchanged (services.config_cache).
# (It was 26: the role, the sending settings, the profile twice, the templates, the rule,
# the assistant, the hiring managers, the answer elsewhere and "wrote before" each a query;
# then 12, the bell's count a query of its own.)
QUERIES = 11
# A process's first page, or the first after a configuration change, reads the configuration
# too: the profile (4: profile, openings, notable people, contacts), the templates, the
# deciding rule set, the assistant's model, the hiring managers.
CONFIG_QUERIES = 8


def long_history(*, messages: int, others: int, recruiter):
    person = CandidateFactory(name="Ada Example")
    now = timezone.now()
    request = CandidateRequestFactory(
        candidate=person, subject="Coffee?", body="I work on Python.", received_at=now
    )
    for n in range(messages):
        message = Message.objects.create(
            request=request,
            direction="in" if n % 2 == 0 else "out",
            sender=person.email,
            text=f"Message {n}",
            received_at=now + timedelta(minutes=n),
            message_id=f"<m{n}@x>",
        )
        if n % 3 == 0:
            Attachment.objects.create(
                message=message,
                filename=f"cv{n}.pdf",
                content_type="application/pdf",
                size=10,
                file=f"attachments/x/cv{n}.pdf",
                text="Python, Kubernetes",
            )
    for n in range(others):
        other = CandidateRequestFactory(
            candidate=person, subject=f"Earlier {n}", received_at=now - timedelta(days=n + 1)
        )
        Reply.objects.create(
            request=other,
            to_email=person.email,
            subject="Thanks",
            body="Thanks",
            status="sent",
            message_id=f"<r{n}@x>",
            sent_by=recruiter,
        )
    return request


@pytest.mark.parametrize(("messages", "others"), [(2, 1), (40, 30)])
def test_the_request_page_query_count_is_flat(
    recruiter_client,
    recruiter,
    profile,
    django_assert_max_num_queries,
    django_assert_num_queries,
    messages,
    others,
):
    request = long_history(messages=messages, others=others, recruiter=recruiter)

    url = reverse("triage:request", args=[request.pk])
    with django_assert_max_num_queries(QUERIES + CONFIG_QUERIES):
        assert recruiter_client.get(url).status_code == 200  # a new process: reads it all
    with django_assert_num_queries(QUERIES):
        response = recruiter_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card mb-2 other-request"') == min(others, 10)
    assert ('id="all-other-requests"' in html) == (others >= 10)


@pytest.mark.parametrize("answers", [1, 25])
def test_the_newest_answer_elsewhere_is_named_in_the_same_queries(
    recruiter_client, recruiter, profile, django_assert_num_queries, answers
):
    # Answers on the person's other requests since they last wrote here: only the newest
    # one is read (a subquery), however many there are.
    person = CandidateFactory(name="Ada Example")
    now = timezone.now()
    request = CandidateRequestFactory(
        candidate=person, subject="Coffee?", received_at=now - timedelta(days=2)
    )
    Message.objects.create(
        request=request,
        sender=person.email,
        text="Coffee?",
        received_at=request.received_at,
        message_id="<coffee@x>",
    )
    for n in range(answers):
        other = CandidateRequestFactory(
            candidate=person, subject=f"Earlier {n}", received_at=now - timedelta(days=30 + n)
        )
        reply = Reply.objects.create(
            request=other,
            to_email=person.email,
            subject=f"Answer {n}",
            body="Thanks",
            status="sent",
            message_id=f"<r{n}@x>",
            sent_by=recruiter,
        )
        # Answer n was written n hours after the person's message here: the last is newest.
        Reply.objects.filter(pk=reply.pk).update(
            created_at=now - timedelta(days=2) + timedelta(hours=n + 1)
        )
    url = reverse("triage:request", args=[request.pk])
    recruiter_client.get(url)  # a new process: reads the configuration once

    with django_assert_num_queries(QUERIES):
        response = recruiter_client.get(url)

    newest = answers - 1
    answered = response.context["answered"]
    assert answered.subject == f"Answer {newest}"
    html = response.content.decode()
    assert "Already answered on" in html
    assert f"“Earlier {newest}”</a>: “Answer {newest}”" in html
    # Of the answers elsewhere, only that one is loaded (not every one the person has).
    loaded = request_reads.page_replies(request, list(request.messages.all()), others=[])
    assert [reply.subject for reply in loaded] == [f"Answer {newest}"]
