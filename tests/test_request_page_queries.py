"""The request page makes as many queries for a long thread, with many files and a person
with many requests, as for a short one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory
from triage.models import Attachment, Message, Reply

pytestmark = pytest.mark.django_db

# Session, user, the role check, then the page: the request, its messages and their files,
# its replies, the person's other requests (the 10 newest) and their replies, an answer on
# another request, the deciding rule, the assistant's model, the profile (4 queries), the
# templates, the sender's settings (2), whether we wrote before, the roles' hiring managers,
# the assign form's, who else is here, the outcomes; its audit entry, the bell's unread
# count and the ATS hand-off's state. (It was 34: the attachments' text and whether the
# person answered us were read three times, the replies three times.)
QUERIES = 26


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
    recruiter_client, recruiter, profile, django_assert_max_num_queries, messages, others
):
    request = long_history(messages=messages, others=others, recruiter=recruiter)

    with django_assert_max_num_queries(QUERIES):
        response = recruiter_client.get(reverse("triage:request", args=[request.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card mb-2 other-request"') == min(others, 10)
    assert ('id="all-other-requests"' in html) == (others >= 10)
