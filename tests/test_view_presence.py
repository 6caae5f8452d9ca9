"""Presence: the request page's heartbeat and its "also viewing" fragment."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateRequestFactory, UserFactory
from triage.models import RequestPresence
from triage.services import presence

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_request(profile):
    return CandidateRequestFactory(subject="Coffee?")


@pytest.fixture
def sam(db):
    return UserFactory(username="sam", first_name="Sam", last_name="Ito")


def beat(client, candidate_request, **data):
    return client.post(
        reverse("triage:presence", args=[candidate_request.pk]),
        data,
        headers={"HX-Request": "true"},
    )


def test_the_fragment_lists_the_other_viewer_and_not_yourself(
    recruiter_client, candidate_request, sam
):
    presence.record_presence(request_id=candidate_request.pk, user=sam, writing=False)

    response = beat(recruiter_client, candidate_request)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Sam Ito</strong> is also viewing this request" in html
    assert "Rita" not in html
    assert "<html" not in html  # the fragment, not the page
    assert RequestPresence.objects.filter(request=candidate_request).count() == 2


def test_someone_in_the_reply_editor_is_writing_a_reply(recruiter_client, candidate_request, sam):
    presence.record_presence(request_id=candidate_request.pk, user=sam, writing=True)
    presence.record_presence(request_id=candidate_request.pk, user=sam, writing=False)  # a beat

    html = beat(recruiter_client, candidate_request).content.decode()

    assert "<strong>Sam Ito</strong> is writing a reply" in html
    assert "also viewing" not in html


def test_stale_viewers_and_stale_writing_disappear(recruiter_client, candidate_request, sam):
    long_ago = timezone.now() - presence.WINDOW - timedelta(seconds=1)
    presence.record_presence(request_id=candidate_request.pk, user=sam, writing=True, now=long_ago)
    assert "Sam Ito" not in beat(recruiter_client, candidate_request).content.decode()

    presence.record_presence(request_id=candidate_request.pk, user=sam, writing=False)
    html = beat(recruiter_client, candidate_request).content.decode()
    assert "is also viewing this request" in html and "writing" not in html


def test_a_heartbeat_updates_one_row_per_person(recruiter_client, candidate_request, recruiter):
    for _ in range(3):
        beat(recruiter_client, candidate_request)
    beat(recruiter_client, candidate_request, writing="1")

    row = RequestPresence.objects.get()
    assert row.user == recruiter and row.writing_at is not None
    assert timezone.now() - row.last_seen < presence.WINDOW


def test_viewers_of_another_request_are_not_listed(recruiter_client, candidate_request, sam):
    other = CandidateRequestFactory()
    presence.record_presence(request_id=other.pk, user=sam, writing=False)

    assert "Sam" not in beat(recruiter_client, candidate_request).content.decode()


def test_the_request_page_shows_who_is_there_and_beats_by_htmx(
    recruiter_client, candidate_request, sam
):
    presence.record_presence(request_id=candidate_request.pk, user=sam, writing=False)

    html = recruiter_client.get(reverse("triage:request", args=[candidate_request.pk]))
    page = html.content.decode()

    url = reverse("triage:presence", args=[candidate_request.pk])
    assert f'hx-post="{url}" hx-trigger="load, every 15s"' in page
    assert "<strong>Sam Ito</strong> is also viewing this request" in page
    assert 'hx-vals=\'{"writing": "1"}\'' in page
    assert not RequestPresence.objects.filter(user__username="rita").exists()  # GET writes nothing


def test_the_heartbeat_is_post_only_needs_login_and_a_real_request(
    client, recruiter_client, candidate_request
):
    url = reverse("triage:presence", args=[candidate_request.pk])
    assert recruiter_client.get(url).status_code == 405
    assert recruiter_client.post(reverse("triage:presence", args=[999999])).status_code == 404
    anonymous = client.__class__().post(url)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_a_signed_out_heartbeat_answers_401_not_the_login_page(client, candidate_request):
    """htmx follows a redirect and swaps what it gets: the login page would land in the
    "also viewing" box. A 401 it does not swap (static/js/session.js says why)."""
    response = beat(client, candidate_request)

    assert response.status_code == 401
    assert "Location" not in response
    assert response.content.decode() == "You are signed out."
    assert not RequestPresence.objects.exists()


def test_a_signed_out_page_still_redirects_to_the_login(client, candidate_request):
    """Only htmx's requests get the 401: a page asked for by the browser still goes to login."""
    url = reverse("triage:request", args=[candidate_request.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_the_heartbeat_needs_the_csrf_token(recruiter, candidate_request):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(recruiter)

    response = strict.post(reverse("triage:presence", args=[candidate_request.pk]))

    assert response.status_code == 403
    assert not RequestPresence.objects.exists()
