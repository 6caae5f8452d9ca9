"""The REST API: tokens, the roles of the pages, the inbox's filters, cursor pagination at a
constant cost, replies through the page's service, the rule dry run, throttling, the schema."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.factories import (
    CandidateFactory,
    CandidateRequestFactory,
    ReplyTemplateFactory,
    UserFactory,
    hiring_manager,
)
from triage.models import ApiToken, Candidate, CandidateRequest, Message, Opening, Reply
from triage.services import api_tokens, candidates

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, key = api_tokens.create_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def rita(recruiter):
    return bearer(recruiter)


@pytest.fixture
def hank():
    return hiring_manager("hank")


def add_message(request, text="Hello, I'd love a chat."):
    return Message.objects.create(
        request=request,
        sender=request.candidate.email,
        subject=request.subject,
        text=text,
        received_at=request.received_at,
        message_id=f"<m{request.pk}-{Message.objects.count()}@mail.example>",
    )


# --- Who may call ---------------------------------------------------------------------------


def test_it_needs_a_token_or_a_session(client, recruiter):
    answer = client.get("/api/v1/requests/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == 'Bearer realm="api"'
    assert answer.json()["code"] == "not_authenticated"
    bad = client.get("/api/v1/requests/", HTTP_AUTHORIZATION="Bearer tri_nope")
    assert (bad.status_code, bad.json()["detail"]) == (401, "Unknown or revoked API key.")
    client.force_login(recruiter)
    assert client.get("/api/v1/requests/").status_code == 200


def test_a_token_is_stored_as_a_hash_and_stops_working_when_revoked(client, recruiter):
    token, key = api_tokens.create_token(user=recruiter, name="report")
    assert token.key_hash == api_tokens.hash_key(key) and key not in token.key_hash
    assert not ApiToken.objects.filter(key_hash=key).exists()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/requests/", **auth).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    api_tokens.revoke_token(token=token, by=recruiter)
    assert client.get("/api/v1/requests/", **auth).status_code == 401


def test_a_hiring_managers_token_sees_only_their_assignments(client, recruiter, hank):
    theirs = CandidateRequestFactory(assigned_to=hank, subject="Assigned to Hank")
    other = CandidateRequestFactory(subject="Not Hank's")
    auth = bearer(hank)

    listed = client.get("/api/v1/requests/", **auth).json()["results"]
    assert [row["id"] for row in listed] == [theirs.pk]
    assert client.get(f"/api/v1/requests/{theirs.pk}/", **auth).status_code == 200
    assert client.get(f"/api/v1/requests/{other.pk}/", **auth).status_code == 404
    people = client.get("/api/v1/candidates/", **auth).json()["results"]
    assert [p["id"] for p in people] == [theirs.candidate_id]
    assert client.get(f"/api/v1/candidates/{other.candidate_id}/", **auth).status_code == 404
    for path in ("/api/v1/replies/", "/api/v1/rules/", "/api/v1/openings/"):
        refused = client.get(path, **auth)
        assert refused.status_code == 403, path
        assert refused.json() == {"detail": "This is for recruiters.", "code": "permission_denied"}
    posted = client.post(
        "/api/v1/replies/",
        {"request": theirs.pk, "subject": "Hi", "body": "Hello"},
        content_type="application/json",
        **auth,
    )
    assert posted.status_code == 403
    assert not Reply.objects.exists()


def test_a_user_without_a_role_sees_nothing(client):
    auth = bearer(UserFactory(username="nobody", role=""))
    CandidateRequestFactory()
    assert client.get("/api/v1/requests/", **auth).json()["results"] == []


# --- Requests -------------------------------------------------------------------------------


def test_the_inbox_filters_apply(client, recruiter, rita, hank):
    ada = CandidateFactory(name="Ada Lovelace", email="ada@engines.example")
    new_funnel = CandidateRequestFactory(candidate=ada, subject="Engines")
    exceptional = CandidateRequestFactory(
        suggested_bucket="exceptional", subject="Orbits", assigned_to=hank
    )
    replied = CandidateRequestFactory(status="replied", subject="Answered")
    spam = CandidateRequestFactory(
        status="spam", subject="Buy now", put_away_at=timezone.now(), put_away_reason="Spam"
    )
    urgent = CandidateRequestFactory(
        subject="Offer",
        flags={"urgent": {"text": "An offer", "evidence": ["offer"], "action": ""}},
    )

    def ids(**params):
        answer = client.get("/api/v1/requests/", params, **rita)
        assert answer.status_code == 200, answer.json()
        return {row["id"] for row in answer.json()["results"]}

    assert ids() == {new_funnel.pk, exceptional.pk, replied.pk, urgent.pk}  # spam left out
    assert ids(status="spam") == {spam.pk}
    assert ids(bucket="exceptional") == {exceptional.pk}
    assert ids(status="new", bucket="funnel") == {new_funnel.pk, urgent.pk}
    assert ids(search="lovelace") == {new_funnel.pk}
    assert ids(search="engines.example") == {new_funnel.pk}
    assert ids(assigned=str(hank.pk)) == ids(assigned="any") == {exceptional.pk}
    assert exceptional.pk not in ids(assigned="none")
    assert ids(flag="urgent") == {urgent.pk}

    bad = client.get("/api/v1/requests/", {"bucket": "maybe", "assigned": "him"}, **rita)
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"bucket", "assigned"}


def test_a_request_comes_with_its_messages_reasons_and_flags(client, rita):
    request = CandidateRequestFactory(
        subject="Coffee?",
        reasons=[{"text": "Asks for a chat", "evidence": ["coffee"]}],
        flags={"urgent": {"text": "A deadline", "evidence": ["by Friday"], "action": ""}},
    )
    add_message(request, "Could we have a coffee by Friday?")
    data = client.get(f"/api/v1/requests/{request.pk}/", **rita).json()
    assert data["subject"] == "Coffee?"
    assert data["reasons"] == [{"text": "Asks for a chat", "evidence": ["coffee"]}]
    assert data["flags"] == ["urgent"]
    assert data["flag_details"][0]["evidence"] == ["by Friday"]
    assert [m["text"] for m in data["messages"]] == ["Could we have a coffee by Friday?"]
    assert data["candidate"]["email"] == request.candidate.email
    assert data["replies"] == [] and data["outcomes"] == []


def test_cursor_pagination_walks_10000_requests_at_a_constant_query_count(client, rita):
    people = Candidate.objects.bulk_create(
        Candidate(email=f"p{i}@mail.example", name=f"Person {i}") for i in range(100)
    )
    start = timezone.now()
    CandidateRequest.objects.bulk_create(
        CandidateRequest(
            candidate=people[i % 100],
            subject=f"Request {i}",
            received_at=start - timedelta(seconds=i),
            suggested_bucket="funnel",
            suggested_rule="funnel_default",
            final_bucket="funnel",
        )
        for i in range(10_000)
    )
    seen, counts = [], []
    url = "/api/v1/requests/?page_size=500"
    while url:
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url, **rita)
        assert answer.status_code == 200
        page = answer.json()
        counts.append(len(queries))
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 10_000
    assert seen[0] == CandidateRequest.objects.order_by("-received_at").first().pk
    assert len(counts) == 20
    assert len(set(counts)) == 1, counts  # the last page costs what the first did
    assert counts[0] <= 10


# --- Replies --------------------------------------------------------------------------------


def test_a_reply_is_queued_through_the_pages_service_once_per_person(
    client, rita, profile, outbox_dir, django_capture_on_commit_callbacks
):
    request = CandidateRequestFactory()
    add_message(request)
    other = CandidateRequestFactory(candidate=request.candidate)  # the same person, twice
    add_message(other)
    body = {"request": request.pk, "subject": "Thanks", "body": "Thanks for writing."}
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/v1/replies/", body, content_type="application/json", **rita)
    assert answer.status_code == 201, answer.json()
    reply = Reply.objects.get()
    assert answer.json()["id"] == reply.pk
    assert (reply.subject, reply.sent_by.username, reply.status) == ("Thanks", "rita", "sent")
    request.refresh_from_db()
    assert request.status == "replied"

    again = client.post("/api/v1/replies/", body, content_type="application/json", **rita)
    assert again.status_code == 409
    assert again.json()["code"] == "already_answered"

    # Their other request: they have not written since our answer, so one is enough.
    second = {**body, "request": other.pk}
    refused = client.post("/api/v1/replies/", second, content_type="application/json", **rita)
    assert refused.status_code == 409
    assert refused.json()["code"] == "person_answered"
    assert "Send anyway" in refused.json()["detail"]
    anyway = client.post(
        "/api/v1/replies/",
        {**second, "send_anyway": True},
        content_type="application/json",
        **rita,
    )
    assert anyway.status_code == 201
    assert Reply.objects.count() == 2


def test_do_not_contact_and_bad_input_are_clear_4xx(client, rita, recruiter, profile):
    request = CandidateRequestFactory()
    candidates.set_do_not_contact(candidate=request.candidate, value=True, by=recruiter)
    body = {"request": request.pk, "subject": "Hi", "body": "Hello"}
    refused = client.post("/api/v1/replies/", body, content_type="application/json", **rita)
    assert refused.status_code == 409
    assert refused.json()["code"] == "do_not_contact"
    assert not Reply.objects.exists()

    bad = client.post(
        "/api/v1/replies/", {"request": 999999}, content_type="application/json", **rita
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["request"] == ['Invalid pk "999999" - object does not exist.']
    no_text = client.post(
        "/api/v1/replies/", {"request": request.pk}, content_type="application/json", **rita
    )
    assert no_text.json()["errors"]["non_field_errors"] == [
        "Give a subject and a body, or a template to render them from."
    ]


def test_a_reply_can_be_rendered_from_a_template(
    client, rita, profile, django_capture_on_commit_callbacks
):
    template = ReplyTemplateFactory(subject="Re: {{ original_subject }}", body="Hi {{ company }}")
    request = CandidateRequestFactory(subject="A question")
    add_message(request)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/replies/",
            {"request": request.pk, "template": template.pk},
            content_type="application/json",
            **rita,
        )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["subject"] == "Re: A question"
    assert answer.json()["body"].startswith("Hi Acme Orbital")


# --- Rules and openings ---------------------------------------------------------------------


def test_rules_are_listed_and_a_change_is_dry_run_without_saving(client, rita, profile):
    rules = client.get("/api/v1/rules/", **rita).json()
    assert rules and all(rule["builtin"] for rule in rules)
    request = CandidateRequestFactory(subject="Quantum", body="I work on quantum sensors.")
    request.rules_text = "I work on quantum sensors."
    request.save()
    change = {
        "title": "Quantum people",
        "bucket": "exceptional",
        "conditions": [{"on": "body", "test": "any", "words": ["quantum"]}],
    }
    answer = client.post("/api/v1/rules/dry-run/", change, content_type="application/json", **rita)
    assert answer.status_code == 200, answer.json()
    result = answer.json()
    assert result["moved"] == 1
    [moved] = result["moves"]
    assert (moved["request_id"], moved["new_bucket"], moved["new_rule"]) == (
        request.pk,
        "exceptional",
        "Quantum people",
    )
    assert client.get("/api/v1/rules/", **rita).json() == rules  # nothing saved

    bad = client.post(
        "/api/v1/rules/dry-run/",
        {**change, "conditions": [{"on": "body", "test": "regex", "pattern": "(unclosed"}]},
        content_type="application/json",
        **rita,
    )
    assert bad.status_code == 400 and "conditions" in bad.json()["errors"]
    builtin = client.post(
        "/api/v1/rules/dry-run/",
        {"rule": rules[0]["id"], "conditions": []},
        content_type="application/json",
        **rita,
    )
    assert builtin.status_code == 400


def test_openings_are_listed(client, rita):
    Opening.objects.create(title="Data Analyst", url="https://jobs.example/9", skills=["SQL"])
    [opening] = client.get("/api/v1/openings/", **rita).json()["results"]
    assert (opening["title"], opening["skills"], opening["is_open"]) == (
        "Data Analyst",
        ["SQL"],
        True,
    )


# --- Throttling, the schema and its docs ----------------------------------------------------


def test_each_user_is_throttled_on_their_own(client, rita, hank, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    answers = [client.get("/api/v1/requests/", **rita).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/requests/", **rita)
    assert limited.json()["code"] == "throttled" and int(limited["Retry-After"]) > 0
    assert client.get("/api/v1/requests/", **bearer(hank)).status_code == 200


def test_the_openapi_schema_validates_and_names_every_endpoint(client, rita):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = set(schema["paths"])
    for path in (
        "/api/v1/requests/",
        "/api/v1/requests/{id}/",
        "/api/v1/candidates/",
        "/api/v1/replies/",
        "/api/v1/rules/",
        "/api/v1/rules/dry-run/",
        "/api/v1/openings/",
        "/api/v1/dashboard/",
    ):
        assert path in paths
    assert "apiToken" in schema["components"]["securitySchemes"]
    served = client.get("/api/schema/", HTTP_ACCEPT="application/json", **rita)
    assert served.status_code == 200
    assert client.get("/api/schema/").status_code == 401


def test_the_docs_page_is_served_from_our_own_static_files(client, recruiter):
    assert client.get("/api/docs/").url.startswith("/login/")
    client.force_login(recruiter)
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # the init script is a file of its own (CSP: script-src self)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_an_unknown_id_is_a_json_404(client, rita):
    answer = client.get("/api/v1/requests/999999/", **rita)
    assert answer.status_code == 404
    assert answer.json() == {
        "detail": "No CandidateRequest matches the given query.",
        "code": "not_found",
    }


def test_api_reads_and_the_integrations_writes_are_audited(client, recruiter, settings):
    from triage.models import AuditEntry
    from triage.services import outgoing_webhooks

    token, key = api_tokens.create_token(user=recruiter, name="report")
    request = CandidateRequestFactory()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(f"/api/v1/requests/{request.pk}/", **auth)
    client.get(f"/api/v1/candidates/{request.candidate_id}/", **auth)
    client.get("/api/v1/requests/", **auth)  # a list names nobody in particular: not logged
    outgoing_webhooks.register_endpoint(
        name="Bus",
        url="https://hooks.example/",
        event_names=["reply.sent"],
        format="json",
        by=recruiter,
    )
    api_tokens.revoke_token(token=token, by=recruiter)
    entries = [
        (e.action, e.target_type, e.user.username) for e in AuditEntry.objects.order_by("pk")
    ]
    assert entries == [
        ("changed_api_token", "apitoken", "rita"),
        ("viewed_request", "candidaterequest", "rita"),
        ("viewed_candidate", "candidate", "rita"),
        ("changed_webhook", "webhookendpoint", "rita"),
        ("changed_api_token", "apitoken", "rita"),
    ]
