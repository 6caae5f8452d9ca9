"""Notifications: who hears about what, the bell's count and the list, marking read, and the
email for those who chose it (after the commit, through the task)."""

import email
import email.policy

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CandidateRequestFactory, UserFactory, hiring_manager
from tests.test_intake_truth import TRUTH, ingest, sent_reply
from tests.test_threading import raw, take_in
from triage.models import CandidateRequest, Notification, RecruiterProfile, Reply
from triage.selectors import notifications as reads
from triage.services import assignment, outbox

pytestmark = pytest.mark.django_db

VERA = "Vera Stellar <vera@stellar.example>"  # a notable person of the tests' profile


def read_outbox(outbox_dir):
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox_dir.glob("*.eml"))
    ]


def bell(client) -> str:
    """The bell as the inbox's nav shows it."""
    page = client.get(reverse("triage:inbox")).content.decode()
    start = page.index('id="notifications-nav"')
    return page[start : page.index("</a>", start)]


def test_an_exceptional_request_shows_under_the_bell_and_in_the_list(
    profile, recruiter, recruiter_client
):
    colleague = UserFactory(username="raj")
    take_in(raw(sender=VERA, subject="Coffee?", message_id="<vera-1@stellar.example>"))
    take_in(raw(subject="Any roles?", message_id="<sam-1@mail.example>"))  # funnel: nothing

    [note] = Notification.objects.filter(user=recruiter)
    assert note.kind == Notification.Kind.EXCEPTIONAL
    assert note.text == "New exceptional request from Vera Stellar: Coffee?"
    assert Notification.objects.filter(user=colleague).count() == 1  # every recruiter
    assert 'data-unread="1"' in bell(recruiter_client)
    assert 'aria-label="Notifications, 1 unread"' in bell(recruiter_client)

    page = recruiter_client.get(reverse("triage:notifications")).content.decode()
    assert "New exceptional request from Vera Stellar: Coffee?" in page
    assert f'value="{reverse("triage:request", args=[note.request_id])}"' in page


def test_a_failed_reply_tells_the_recruiter_who_sent_it(profile, recruiter, recruiter_client, smtp):
    colleague = UserFactory(username="raj")
    request = CandidateRequestFactory(subject="Hello", candidate__name="Ada Lovelace")
    smtp.script = ["550 5.1.1 No such user"]

    reply = outbox.queue_reply(
        request=request, template=None, subject="Re: Hello", body="Thank you.", by=recruiter
    )
    outbox.send_reply(reply.pk)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.FAILED and smtp.messages == []
    [note] = Notification.objects.all()
    assert (note.user, note.kind, note.request_id) == (
        recruiter,
        Notification.Kind.REPLY_FAILED,
        request.pk,
    )
    assert note.text.startswith("Our reply to Ada Lovelace failed: ")
    assert "No such user" in note.text
    assert not Notification.objects.filter(user=colleague).exists()
    assert 'data-unread="1"' in bell(recruiter_client)
    page = recruiter_client.get(reverse("triage:notifications")).content.decode()
    assert "Our reply to Ada Lovelace failed" in page and "No such user" in page


def test_a_bounce_tells_the_recruiter_who_sent_the_reply(profile):
    reply = sent_reply(to="ada.gone@example.net", message_id="<reply-ada-1@acme-orbital.example>")

    ingest(TRUTH / "bounces/dsn-nested-in-forward.eml")

    [note] = Notification.objects.all()
    assert (note.user_id, note.kind) == (reply.sent_by_id, Notification.Kind.REPLY_BOUNCED)
    assert note.text.endswith("bounced: ada.gone@example.net could not be reached")


def test_an_outcome_tells_the_recruiter_who_assigned_it_not_the_manager(profile, recruiter):
    UserFactory(username="raj")
    manager = hiring_manager("hank")
    request = CandidateRequestFactory(final_bucket="exceptional", candidate__name="Ada")
    assignment.assign_request(request=request, to=manager, by=recruiter)

    assignment.record_outcome(request=request, kind="hiring", note="", by=manager)

    [note] = Notification.objects.all()
    assert (note.user, note.kind) == (recruiter, Notification.Kind.OUTCOME)
    assert note.text == "Outcome for Ada: Moved into the hiring process"


def test_an_answer_tells_whoever_sent_our_last_reply(profile, recruiter):
    colleague = UserFactory(username="raj")
    take_in(raw(message_id="<one@mail.example>"))
    request = CandidateRequest.objects.get()
    Reply.objects.create(
        request=request,
        to_email="sam@mail.example",
        subject="Re: Coffee chat?",
        body="Apply on the site.",
        status=Reply.Status.SENT,
        message_id="<our-reply@triage.localhost>",
        sent_by=colleague,
    )

    take_in(
        raw(
            subject="Re: Coffee chat?",
            body="Thanks, I did!",
            message_id="<two@mail.example>",
            In_Reply_To="<our-reply@triage.localhost>",
        )
    )

    [note] = Notification.objects.all()
    assert (note.user, note.kind) == (colleague, Notification.Kind.ANSWERED)
    assert note.text == "Sam Sender answered: Coffee chat?"


def test_nobody_is_told_about_what_they_did_themselves(profile, recruiter):
    manager = hiring_manager("hank")
    request = CandidateRequestFactory()
    # A recruiter who is also the one recording the outcome (no one assigned it by hand).
    assignment.record_outcome(request=request, kind="talked", note="", by=recruiter)

    assert not Notification.objects.filter(user=recruiter).exists()
    assert not Notification.objects.filter(user=manager).exists()  # not a recruiter


def test_email_goes_out_after_the_commit_to_those_who_chose_it(
    profile, recruiter, outbox_dir, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://triage.example"
    recruiter.email = "rita@acme-orbital.example"
    recruiter.save()
    RecruiterProfile.objects.create(
        user=recruiter, notification_email=RecruiterProfile.NotificationEmail.IMMEDIATELY
    )
    UserFactory(username="raj", email="raj@acme-orbital.example")  # left it off

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        take_in(raw(sender=VERA, subject="Coffee?", message_id="<vera-1@stellar.example>"))
        assert read_outbox(outbox_dir) == []  # nothing leaves inside the transaction
    for callback in callbacks:
        callback()

    [message] = read_outbox(outbox_dir)
    assert str(message["To"]) == "rita@acme-orbital.example"
    assert str(message["Subject"]) == "New exceptional request from Vera Stellar: Coffee?"
    note = Notification.objects.get(user=recruiter)
    body = message.get_content()
    assert f"https://triage.example/requests/{note.request_id}/" in body
    assert "https://triage.example/settings/" in body
    assert note.emailed_at is not None


def test_a_notification_is_emailed_once_even_if_the_task_runs_twice(profile, recruiter, outbox_dir):
    from triage.services import notifications

    recruiter.email = "rita@acme-orbital.example"
    recruiter.save()
    RecruiterProfile.objects.create(user=recruiter, notification_email="immediately")
    take_in(raw(sender=VERA, message_id="<vera-1@stellar.example>"))
    note = Notification.objects.get(user=recruiter)

    assert notifications.email_notification(note.pk) is True
    assert notifications.email_notification(note.pk) is False
    assert len(read_outbox(outbox_dir)) == 1


def test_my_settings_saves_the_email_choice(recruiter_client, recruiter):
    page = recruiter_client.get(reverse("triage:settings")).content.decode()
    assert "Notifications by email" in page and 'value="immediately"' in page

    response = recruiter_client.post(
        reverse("triage:settings"), {"notification_email": "immediately"}
    )

    assert response.status_code == 302
    assert recruiter.recruiter_profile.notification_email == "immediately"
    bad = recruiter_client.post(reverse("triage:settings"), {"notification_email": "hourly"})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()


@pytest.fixture
def two_notes(profile, recruiter):
    take_in(raw(sender=VERA, subject="One", message_id="<vera-1@stellar.example>"))
    other = CandidateRequestFactory(subject="Two")
    Notification.objects.create(user=recruiter, kind="answered", request=other, text="Two")
    return list(Notification.objects.filter(user=recruiter).order_by("pk"))


def test_mark_read_with_htmx_returns_the_list_and_the_bell(recruiter_client, recruiter, two_notes):
    first, _ = two_notes
    assert reads.unread_count(recruiter) == 2

    response = recruiter_client.post(
        reverse("triage:notification-read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="notification-list"' in html
    assert 'hx-swap-oob="true"' in html and 'data-unread="1"' in html
    assert reads.unread_count(recruiter) == 1
    first.refresh_from_db()
    assert first.is_read


def test_opening_a_notification_marks_it_read_and_goes_to_its_request(
    recruiter_client, recruiter, two_notes
):
    note = two_notes[0]
    target = reverse("triage:request", args=[note.request_id])

    response = recruiter_client.post(
        reverse("triage:notification-read", args=[note.pk]), {"next": target}
    )
    assert (response.status_code, response["Location"]) == (302, target)
    evil = recruiter_client.post(
        reverse("triage:notification-read", args=[note.pk]), {"next": "https://evil.example/"}
    )
    assert evil["Location"] == reverse("triage:notifications")


def test_mark_all_read_clears_the_bell_and_touches_only_mine(
    recruiter_client, recruiter, two_notes
):
    colleague = UserFactory(username="raj")
    Notification.objects.create(user=colleague, kind="exceptional", text="Theirs")
    theirs = Notification.objects.get(user=colleague, text="Theirs")
    recruiter_client.post(reverse("triage:notification-read", args=[theirs.pk]))

    response = recruiter_client.post(reverse("triage:notifications-read-all"))

    assert response.status_code == 302
    assert reads.unread_count(recruiter) == 0
    assert reads.unread_count(colleague) == 1
    assert "data-unread" not in bell(recruiter_client)
    unread = recruiter_client.get(reverse("triage:notifications"), {"show": "unread"})
    assert "Nothing here." in unread.content.decode()


def test_the_bell_alone_is_served_for_htmx_to_refresh(recruiter_client, two_notes):
    response = recruiter_client.get(reverse("triage:notification-badge"))
    assert response.status_code == 200
    assert 'data-unread="2"' in response.content.decode()


def test_reading_them_needs_a_post_and_a_login(recruiter_client, two_notes):
    assert recruiter_client.get(reverse("triage:notifications-read-all")).status_code == 405
    response = Client().get(reverse("triage:notifications"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_hiring_manager_sees_their_own_list(client):
    manager = hiring_manager("hank")
    client.force_login(manager)
    response = client.get(reverse("triage:notifications"))
    assert response.status_code == 200
    assert "Nothing here." in response.content.decode()


def test_the_badge_count_is_one_query(recruiter, two_notes, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert reads.unread_count(recruiter) == 2


def test_a_page_reads_the_bells_count_with_the_signed_in_user(recruiter_client, two_notes):
    recruiter_client.get(reverse("triage:inbox"))  # the configuration in memory
    with CaptureQueriesContext(connection) as queries:
        page = recruiter_client.get(reverse("triage:inbox")).content.decode()

    assert 'data-unread="2"' in page
    counts = [q["sql"] for q in queries if '"triage_notification"' in q["sql"]]
    assert len(counts) == 1 and '"auth_user"' in counts[0]  # no query of its own


def test_after_marking_one_read_the_bell_counts_afresh(recruiter_client, two_notes):
    # The count loaded with the user was read before the POST marked one: not that one.
    recruiter_client.get(reverse("triage:inbox"))
    first, _ = two_notes

    response = recruiter_client.post(
        reverse("triage:notification-read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )

    assert 'data-unread="1"' in response.content.decode()
    assert 'data-unread="1"' in bell(recruiter_client)
