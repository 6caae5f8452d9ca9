"""API tokens on My settings: made with a name, the key shown once, only a hash kept,
revoked by their owner; hiring managers make their own (which see only their assignments)."""

import pytest

from tests.factories import CandidateRequestFactory, UserFactory, hiring_manager
from triage.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_works(recruiter_client):
    answer = recruiter_client.post("/settings/tokens/", {"name": "weekly report"})
    assert answer.status_code == 302 and answer.url == "/settings/"
    page = recruiter_client.get("/settings/").content.decode()
    token = ApiToken.objects.get()
    start = page.index("tri_")
    key = page[start : page.index("<", start)]
    assert key.startswith(token.prefix) and len(key) > 40
    assert "shown only this once" in page and "weekly report" in page
    assert key not in recruiter_client.get("/settings/").content.decode()  # once
    assert token.key_hash != key

    recruiter_client.logout()
    listed = recruiter_client.get("/api/v1/requests/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert listed.status_code == 200


def test_a_token_needs_a_name(recruiter_client):
    recruiter_client.post("/settings/tokens/", {"name": ""})
    assert not ApiToken.objects.exists()


def test_revoking_stops_it_and_only_its_owner_may(client, recruiter):
    client.force_login(recruiter)
    client.post("/settings/tokens/", {"name": "script"})
    token = ApiToken.objects.get()

    client.force_login(UserFactory(username="sam"))
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.is_active

    client.force_login(recruiter)
    client.post(f"/settings/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert not token.is_active
    assert "revoked" in client.get("/settings/").content.decode()


def test_a_hiring_manager_makes_a_token_that_sees_only_their_requests(client):
    hank = hiring_manager("hank")
    theirs = CandidateRequestFactory(assigned_to=hank)
    CandidateRequestFactory()
    client.force_login(hank)
    assert client.get("/settings/").status_code == 200
    client.post("/settings/tokens/", {"name": "my list"})
    page = client.get("/settings/").content.decode()
    start = page.index("tri_")
    key = page[start : page.index("<", start)]
    client.logout()
    rows = client.get("/api/v1/requests/", HTTP_AUTHORIZATION=f"Bearer {key}").json()["results"]
    assert [row["id"] for row in rows] == [theirs.pk]
