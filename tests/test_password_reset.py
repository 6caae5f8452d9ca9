"""Password reset by email: Django's views with our pages, the email sent through the
project's mail settings (a real SMTP server here, or the .eml outbox), the link followed."""

import email
import email.policy
import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://triage\.acme\.example/password-reset/[^/\s]+/[^/\s]+/")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://triage.acme.example"


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", first_name="Rita", email="rita@acme-orbital.example")


def outbox_messages(folder):
    return (
        [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))
        ]
        if folder.exists()
        else []
    )


def ask(client, address="rita@acme-orbital.example"):
    response = client.post(reverse("password_reset"), {"email": address})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    return response


def test_the_login_page_links_to_it(client):
    page = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("password_reset")}"' in page
    assert "Reset your password" in client.get(reverse("password_reset")).content.decode()


def test_the_link_arrives_by_smtp_and_sets_a_new_password(client, rita, smtp):
    ask(client)

    [(recipients, message)] = smtp.messages
    assert recipients == ["rita@acme-orbital.example"]
    assert message["Subject"] == "Reset your Recruiter Inbox password"
    body = message.get_content()
    assert "Hello Rita," in body
    link = LINK.search(body).group(0)

    form = client.get(link.removeprefix("https://triage.acme.example"), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")

    response = client.post(
        reverse("login"), {"username": "rita", "password": "a new long passphrase 42"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_link_works_once(client, rita, outbox_dir):
    ask(client)
    [message] = outbox_messages(outbox_dir)
    path = LINK.search(message.get_content()).group(0).removeprefix("https://triage.acme.example")
    form = client.get(path, follow=True)
    set_password = form.redirect_chain[-1][0]
    client.post(
        set_password,
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )

    again = client.get(path, follow=True)

    assert "This link does not work" in again.content.decode()


def test_a_weak_new_password_is_refused_beside_the_field(client, rita, outbox_dir):
    ask(client)
    [message] = outbox_messages(outbox_dir)
    path = LINK.search(message.get_content()).group(0).removeprefix("https://triage.acme.example")
    set_password = client.get(path, follow=True).redirect_chain[-1][0]

    response = client.post(set_password, {"new_password1": "rita", "new_password2": "rita"})

    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, rita, outbox_dir):
    response = ask(client, "nobody@example.com")

    page = client.get(response["Location"]).content.decode()
    assert "If an account has that address" in page
    assert outbox_messages(outbox_dir) == []


def test_the_link_uses_site_url_not_the_host_asked_for(client, rita, outbox_dir, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    client.post(reverse("password_reset"), {"email": rita.email}, HTTP_HOST="other.example")

    [message] = outbox_messages(outbox_dir)
    assert "other.example" not in message.get_content()
    assert LINK.search(message.get_content())


def test_too_many_requests_from_one_address_are_refused(client, rita, outbox_dir, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"
    ask(client)
    ask(client)

    response = client.post(reverse("password_reset"), {"email": rita.email})

    assert response.status_code == 429
    assert "Too many reset requests from your address" in response.content.decode()
    assert len(outbox_messages(outbox_dir)) == 2


def test_the_link_expires(client, rita, outbox_dir, settings):
    ask(client)
    [message] = outbox_messages(outbox_dir)
    path = LINK.search(message.get_content()).group(0).removeprefix("https://triage.acme.example")
    settings.PASSWORD_RESET_TIMEOUT = -1  # as if its time had passed

    response = client.get(path, follow=True)

    assert "This link does not work" in response.content.decode()
