"""Outgoing webhooks: a delivery per matching endpoint, written with the change; signed posts a
real receiver on loopback verifies (and a replay it refuses); retries with backoff; an
endpoint switched off after failures in a row; Slack's format; the management pages."""

from datetime import timedelta

import pytest
import requests
from django.db import transaction
from django.utils import timezone

from tests.factories import CandidateRequestFactory, UserFactory, hiring_manager
from tests.webhook_receiver import start_receiver, verify
from triage import events
from triage.models import Bucket, WebhookDelivery, WebhookEndpoint
from triage.services import outgoing_webhooks, privacy, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True  # the receiver is on loopback
    server = start_receiver()
    yield server.hook
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(receiver, recruiter):
    made = outgoing_webhooks.register_endpoint(
        name="HR bus",
        url=receiver.url,
        event_names=[events.BUCKET_CHANGED, events.REQUEST_CREATED],
        format=WebhookEndpoint.Format.JSON,
        by=recruiter,
    )
    receiver.secret = made.secret
    return made


def move(request, by, bucket=Bucket.EXCEPTIONAL):
    review.override_bucket(request=request, bucket=bucket, by=by)


def test_an_event_is_posted_signed_and_the_receiver_verifies_it(
    endpoint, receiver, recruiter, django_capture_on_commit_callbacks
):
    request = CandidateRequestFactory(final_bucket=Bucket.FUNNEL)
    with django_capture_on_commit_callbacks(execute=True):
        move(request, recruiter)

    [post] = receiver.received
    assert post["valid"] is True
    assert post["headers"]["X-Triage-Event"] == "request.bucket_changed"
    assert post["json"]["event"] == "request.bucket_changed"
    assert post["json"]["request_id"] == request.pk
    assert post["json"]["data"] == {"was": "funnel", "bucket": "exceptional"}
    assert post["json"]["links"]["request"].endswith(f"/requests/{request.pk}/")
    delivery = WebhookDelivery.objects.get()
    assert post["json"]["id"] == delivery.pk
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("delivered", 200, 1)
    assert delivery.response_snippet == "status 200"


def test_the_receiver_refuses_a_replay_a_stale_timestamp_and_a_changed_body(
    endpoint, receiver, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(CandidateRequestFactory(), recruiter)
    [post] = receiver.received
    header, body = post["headers"]["X-Triage-Signature"], post["body"]

    # The same captured request, posted again as it was: refused.
    answer = requests.post(
        receiver.url, data=body, headers={"X-Triage-Signature": header}, timeout=5
    )
    assert answer.status_code == 401
    assert receiver.received[-1]["valid"] is False
    # A changed body, or the right signature an hour later, or another secret: refused.
    assert not verify(endpoint.secret, header, body.replace(b"exceptional", b"funnel"), set())
    assert not verify(endpoint.secret, header, body, set(), now=timezone.now().timestamp() + 3600)
    assert not verify("whsec_other", header, body, set())
    assert verify(endpoint.secret, header, body, set())  # fresh, untouched, unseen: good


def test_only_endpoints_that_want_the_event_get_it_and_a_rollback_sends_nothing(
    endpoint, receiver, recruiter, django_capture_on_commit_callbacks
):
    outgoing_webhooks.register_endpoint(
        name="Replies only",
        url=receiver.url,
        event_names=[events.REPLY_SENT],
        format="json",
        by=recruiter,
    )
    request = CandidateRequestFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        move(request, recruiter)
        raise RuntimeError("the change fails after the event")
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []

    request.refresh_from_db()  # the move was rolled back
    with django_capture_on_commit_callbacks(execute=True):
        move(request, recruiter)
    assert [d.endpoint.name for d in WebhookDelivery.objects.all()] == ["HR bus"]


def test_a_failed_post_is_retried_with_backoff_until_it_is_delivered(
    endpoint, receiver, recruiter, django_capture_on_commit_callbacks
):
    receiver.script = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        move(CandidateRequestFactory(), recruiter)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying"
    assert (delivery.response_status, delivery.error) == (500, "HTTP 500")
    first_retry = delivery.next_attempt_at
    assert first_retry - delivery.last_attempt_at == timedelta(minutes=1)

    # Not before its time, even if a task runs early.
    assert outgoing_webhooks.deliver(delivery.pk, now=first_retry - timedelta(seconds=5)) is None
    second = outgoing_webhooks.deliver(delivery.pk, now=first_retry)
    assert (second.status, second.attempts, second.response_status) == ("retrying", 2, 503)
    assert second.next_attempt_at == first_retry + timedelta(minutes=2)
    assert WebhookEndpoint.objects.get().consecutive_failures == 2

    # Two minutes later, the periodic sweep enqueues what is due (the tests' backend runs it
    # at once).
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert outgoing_webhooks.send_due_webhooks() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 200)
    assert WebhookEndpoint.objects.get().consecutive_failures == 0
    assert len(receiver.received) == 3
    assert all(post["valid"] for post in receiver.received)  # each try signed afresh


def test_a_silent_receiver_times_out_and_the_delivery_gives_up_after_its_tries(
    endpoint, receiver, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.script = [1.0, 500]
    with django_capture_on_commit_callbacks(execute=True):
        move(CandidateRequestFactory(), recruiter)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.error) == ("retrying", "No answer within 0.3 s.")
    last = outgoing_webhooks.deliver(delivery.pk, now=delivery.next_attempt_at)
    assert (last.status, last.attempts, last.next_attempt_at) == ("failed", 2, None)


def test_an_endpoint_failing_too_often_in_a_row_is_switched_off_with_a_note(
    endpoint, receiver, recruiter, settings, recruiter_client, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER = 3
    receiver.script = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            move(CandidateRequestFactory(), recruiter)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "after 3 failed deliveries in a row (the last: HTTP 500)" in endpoint.disabled_reason
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}

    # Switched off: new events make no delivery; the page says why.
    with django_capture_on_commit_callbacks(execute=True):
        move(CandidateRequestFactory(), recruiter)
    assert WebhookDelivery.objects.count() == 3
    page = recruiter_client.get(f"/integrations/webhooks/{endpoint.pk}/")
    assert "after 3 failed deliveries in a row" in page.content.decode()

    # Switched on again from the page: counting starts over, events flow.
    receiver.script = []
    recruiter_client.post(f"/integrations/webhooks/{endpoint.pk}/switch/", {"active": "1"})
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures, endpoint.disabled_reason) == (
        True,
        0,
        "",
    )
    with django_capture_on_commit_callbacks(execute=True):
        move(CandidateRequestFactory(), recruiter)
    assert WebhookDelivery.objects.filter(status="delivered").count() == 1


def test_slack_format_posts_a_text_message(receiver, recruiter, django_capture_on_commit_callbacks):
    outgoing_webhooks.register_endpoint(
        name="Slack",
        url=receiver.url,
        event_names=[events.BUCKET_CHANGED],
        format=WebhookEndpoint.Format.SLACK,
        by=recruiter,
    )
    request = CandidateRequestFactory()
    with django_capture_on_commit_callbacks(execute=True):
        move(request, recruiter)
    [post] = receiver.received
    assert list(post["json"]) == ["text"]
    assert post["json"]["text"].startswith("*request.bucket_changed*: A recruiter moved")
    assert f"/requests/{request.pk}/|Open in Triage>" in post["json"]["text"]


@pytest.mark.parametrize(
    "url", ["ftp://files.example/hook", "file:///etc/passwd", "javascript:alert(1)", "http://"]
)
def test_only_http_urls_are_taken(url, recruiter):
    with pytest.raises(outgoing_webhooks.BadEndpoint):
        outgoing_webhooks.register_endpoint(
            name="x", url=url, event_names=[events.REPLY_SENT], format="json", by=recruiter
        )


def test_register_shows_the_secret_once_and_the_test_event_lands_in_the_log(
    recruiter_client, receiver, django_capture_on_commit_callbacks
):
    answer = recruiter_client.post(
        "/integrations/webhooks/",
        {
            "name": "",
            "url": receiver.url,
            "events": ["reply.sent", "person.erased"],
            "format": "json",
        },
    )
    endpoint = WebhookEndpoint.objects.get()
    assert answer.status_code == 302 and answer.url == f"/integrations/webhooks/{endpoint.pk}/"
    assert endpoint.name == "127.0.0.1"
    assert endpoint.events == ["person.erased", "reply.sent"]
    first = recruiter_client.get(answer.url).content.decode()
    assert endpoint.secret in first
    assert endpoint.secret not in recruiter_client.get(answer.url).content.decode()

    receiver.secret = endpoint.secret
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(f"/integrations/webhooks/{endpoint.pk}/test/")
    [post] = receiver.received
    assert post["valid"] and post["json"]["event"] == "webhook.test"
    log = recruiter_client.get(answer.url).content.decode()
    assert "webhook.test" in log and "Delivered" in log and "HTTP 200" in log


def test_a_bad_registration_is_answered_beside_the_field(recruiter_client):
    answer = recruiter_client.post(
        "/integrations/webhooks/", {"url": "ftp://files.example/x", "format": "json"}
    )
    assert answer.status_code == 400
    form = answer.context["form"]
    assert form.errors["url"] and form.errors["events"]
    assert WebhookEndpoint.objects.count() == 0


def test_webhooks_are_for_recruiters(client):
    client.force_login(hiring_manager("hank"))
    assert client.get("/integrations/webhooks/").status_code == 403
    client.force_login(UserFactory(username="rita2"))
    assert client.get("/integrations/webhooks/").status_code == 200


def test_erasing_a_person_takes_their_deliveries_out_of_the_log(
    receiver, recruiter, django_capture_on_commit_callbacks
):
    outgoing_webhooks.register_endpoint(
        name="All",
        url=receiver.url,
        event_names=[events.BUCKET_CHANGED, events.PERSON_ERASED],
        format="json",
        by=recruiter,
    )
    erased, kept = CandidateRequestFactory(), CandidateRequestFactory()
    move(erased, recruiter)
    move(kept, recruiter)
    assert WebhookDelivery.objects.count() == 2
    privacy.erase_candidate(candidate=erased.candidate, by=recruiter)
    left = sorted((d.event, d.payload["request_id"]) for d in WebhookDelivery.objects.all())
    assert left == [("person.erased", None), ("request.bucket_changed", kept.pk)]


def test_a_webhook_to_the_apps_own_network_is_refused(
    endpoint, receiver, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    with django_capture_on_commit_callbacks(execute=True):
        move(CandidateRequestFactory(), recruiter)
    delivery = WebhookDelivery.objects.get()
    assert delivery.error == (
        "Refused: 127.0.0.1 is not a public address (WEBHOOK_ALLOW_PRIVATE_NETWORKS)."
    )
    assert receiver.received == []
    assert outgoing_webhooks.private_address("http://169.254.169.254/latest/meta-data/")
    assert outgoing_webhooks.private_address("http://10.0.0.5:8080/")
    assert outgoing_webhooks.private_address("http://[::1]/")


def test_deleting_an_endpoint_forgets_it_and_its_log(recruiter_client, endpoint, recruiter):
    move(CandidateRequestFactory(), recruiter)  # a delivery waiting (on_commit not run)
    answer = recruiter_client.post(f"/integrations/webhooks/{endpoint.pk}/delete/")
    assert answer.status_code == 302 and answer.url == "/integrations/webhooks/"
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    assert recruiter_client.get(f"/integrations/webhooks/{endpoint.pk}/delete/").status_code == 405
