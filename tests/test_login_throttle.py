"""Login throttling (django-axes): wrong passwords for one username from one address lock
that pair for the cool-off, on the app's login and the admin's; the lockout page says so."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.http import HttpRequest
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", is_staff=True, is_superuser=True)


def sign_in(client, password, username="rita", url="login", address="127.0.0.1"):
    return client.post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, times, **kwargs):
    """`times` wrong passwords; the fifth gets the lockout page instead of the form."""
    for n in range(1, times + 1):
        response = sign_in(client, "wrong password", **kwargs)
        if n < 5:
            assert response.status_code == 200  # the form again, with Django's message
            assert "Please enter a correct username and password" in response.content.decode()
        else:
            assert response.status_code == 429


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_from_that_address(client, rita):
    fail(client, 5)

    response = sign_in(client, PASSWORD)  # even the right password, during the cool-off

    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "After 5 wrong passwords for <strong>rita</strong>" in page
    assert "paused for 15 minutes" in page
    assert reverse("password_reset") in page
    assert not signed_in(client)


def test_four_are_not_enough(client, rita):
    fail(client, 4)

    response = sign_in(client, PASSWORD)

    assert response.status_code == 302 and signed_in(client)


def test_the_lock_is_for_that_username_and_address_only(client, rita, django_user_model):
    UserFactory(username="omar")
    fail(client, 5)

    assert sign_in(client, PASSWORD, address="10.0.0.9").status_code == 302  # rita, elsewhere
    client.logout()
    assert sign_in(client, PASSWORD, username="omar").status_code == 302  # someone else, here


def test_after_the_cool_off_the_real_user_signs_in(client, rita):
    fail(client, 5)
    assert sign_in(client, PASSWORD).status_code == 429

    # Fifteen minutes and a moment later:
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()

    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_success_clears_the_count(client, rita):
    fail(client, 4)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    fail(client, 4)

    assert sign_in(client, PASSWORD).status_code == 302


def test_the_cool_off_is_a_setting(client, rita, settings):
    settings.AXES_COOLOFF_TIME = timedelta(hours=2)
    fail(client, 5)

    assert "paused for 2 hours" in sign_in(client, PASSWORD).content.decode()


def test_the_admin_login_is_throttled_too(client, rita):
    fail_admin = {"url": "admin:login"}
    for _ in range(4):
        assert sign_in(client, "wrong password", **fail_admin).status_code == 200
    assert sign_in(client, "wrong password", **fail_admin).status_code == 429

    response = sign_in(client, PASSWORD, **fail_admin)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # ...and the lock is the same one: the app's login refuses rita from here as well.
    assert sign_in(client, PASSWORD).status_code == 429


def test_attempts_are_rows_in_the_database(client, rita):
    fail(client, 2)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "rita",
        "127.0.0.1",
        2,
    )


def test_tests_still_sign_in_with_force_login_or_login_with_a_request(client, rita):
    client.force_login(rita)
    assert client.get(reverse("triage:inbox")).status_code == 200
    client.logout()

    assert client.login(request=HttpRequest(), username="rita", password=PASSWORD)
    assert client.get(reverse("triage:inbox")).status_code == 200


def test_the_environment_sets_the_limit_and_the_cool_off(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), s.AXES_HANDLER)"
    )
    result = run_python(
        code, tmp_path, VAR_DIR=str(tmp_path), AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="30"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "1800", "axes.handlers.database.AxesDatabaseHandler"]
