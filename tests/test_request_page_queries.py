"""The request page makes as many queries for a long thread, with many files and a person
with many requests, as for a short one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.models import Attachment, Message, Reply

pytestmark = pytest.mark.django_db

# Session; the user, with their role, their sending settings and the configuration's version
# (two_factor.ModelBackend); the request, with whether we wrote the person before; its
# messages; their files; the person's other requests (the 10 newest); every reply the page
# weighs (this request's, those requests', answers elsewhere since the person last wrote);
# who else is here; the ATS hand-off's state; the audit entry (INSERT); the bell's unread
# count; the outcomes. The configuration (profile, templates, rules, assistant model, hiring
# managers) comes from memory while its version is unchanged (services.config_cache).
# (It was 26: the role, the sending settings, the profile twice, the templates, the rule,
# the assistant, the hiring managers, the answer elsewhere and "wrote before" each a query.)
QUERIES = 12
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
