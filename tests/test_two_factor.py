"""Optional two-factor sign-in (TOTP): set up on the user's own page with a QR code and a
confirming code, asked for after the password on every page (the admin too), required for
staff with REQUIRE_2FA_FOR_STAFF. Codes are computed here as the user's app would."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from triage.services import accounts

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or in `steps_ahead` × 30 s: a code not used
    yet, since a code is accepted once and one step either side)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def rita(db):
    return UserFactory(username="rita", first_name="Rita")


@pytest.fixture
def with_two_factor(rita):
    device = TOTPDevice.objects.create(user=rita, name="authenticator", confirmed=True)
    return device


def sign_in(client, username="rita"):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


# --- Setting it up ------------------------------------------------------------------------


def test_the_settings_page_offers_it(client, rita):
    client.force_login(rita)

    page = client.get(reverse("triage:settings")).content.decode()

    assert 'Two-factor sign-in is <strong id="two-factor-state">off</strong>' in page
    assert reverse("two-factor") in page


def test_setting_it_up_shows_a_qr_code_and_the_key(client, rita):
    client.force_login(rita)

    response = client.get(reverse("two-factor"))

    page = response.content.decode()
    device = TOTPDevice.objects.get(user=rita)
    assert not device.confirmed
    assert 'src="data:image/svg+xml;base64,' in page
    assert response.context["secret"] in page
    assert "otpauth://totp/" in device.config_url and "rita" in device.config_url
    # Loading the page again shows the same secret (one pending device, not a new one each time).
    client.get(reverse("two-factor"))
    assert TOTPDevice.objects.filter(user=rita).count() == 1


def test_a_wrong_code_does_not_turn_it_on(client, rita):
    client.force_login(rita)
    client.get(reverse("two-factor"))

    response = client.post(reverse("two-factor"), {"code": "000000"})

    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not accounts.has_two_factor(rita)


def test_not_six_digits_is_said_beside_the_field(client, rita):
    client.force_login(rita)

    response = client.post(reverse("two-factor"), {"code": "12ab"})

    assert response.status_code == 400
    assert "Enter the 6 digits your app shows." in response.content.decode()


def test_the_right_code_turns_it_on(client, rita):
    client.force_login(rita)
    client.get(reverse("two-factor"))
    device = TOTPDevice.objects.get(user=rita)

    response = client.post(reverse("two-factor"), {"code": code(device)}, follow=True)

    assert "Two-factor sign-in is on" in response.content.decode()
    assert accounts.has_two_factor(rita)
    # This session proved it holds the app: it is not asked again.
    assert client.get(reverse("triage:inbox")).status_code == 200
    page = client.get(reverse("triage:settings")).content.decode()
    assert '<strong id="two-factor-state">on</strong>' in page


# --- Signing in -----------------------------------------------------------------------------


def test_without_it_the_password_is_enough(client, rita):
    sign_in(client)

    assert client.get(reverse("triage:inbox")).status_code == 200


def test_with_it_every_page_asks_for_the_code_first(client, with_two_factor):
    sign_in(client)

    for url in (reverse("triage:inbox"), reverse("triage:pool"), reverse("triage:settings")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login-code')}?next={url.replace('/', '%2F')}"
    page = client.get(reverse("login-code")).content.decode()
    assert "enter the code it shows" in page


def test_the_admin_is_no_way_around_it(client, rita, with_two_factor):
    rita.is_staff = rita.is_superuser = True
    rita.save()
    sign_in(client)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-code"))


def test_the_right_code_lets_them_in_and_a_wrong_one_does_not(client, with_two_factor):
    sign_in(client)
    url = reverse("login-code")

    wrong = client.post(url, {"code": "123456", "next": "/pool/"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("triage:inbox")).status_code == 302

    with_two_factor.refresh_from_db()
    with_two_factor.throttling_failure_count = 0  # the wrong code's throttle, skipped
    with_two_factor.throttling_failure_timestamp = None
    with_two_factor.save()
    right = client.post(url, {"code": code(with_two_factor), "next": "/pool/"})

    assert right.status_code == 302 and right["Location"] == "/pool/"
    assert client.get(reverse("triage:inbox")).status_code == 200


def test_a_code_is_used_once(client, with_two_factor):
    used = code(with_two_factor)
    sign_in(client)
    assert client.post(reverse("login-code"), {"code": used}).status_code == 302
    client.logout()

    sign_in(client)
    response = client.post(reverse("login-code"), {"code": used})

    assert response.status_code == 400


def test_wrong_codes_in_a_row_are_throttled(client, with_two_factor):
    sign_in(client)
    client.post(reverse("login-code"), {"code": "000000"})

    # Even the right code is refused while the throttle lasts (a second after a failure).
    response = client.post(reverse("login-code"), {"code": code(with_two_factor)})

    assert response.status_code == 400
    assert "Too many wrong codes in a row" in response.content.decode()


def test_a_redirect_elsewhere_is_not_followed(client, with_two_factor):
    sign_in(client)

    response = client.post(
        reverse("login-code"), {"code": code(with_two_factor), "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("triage:inbox")


def test_public_pages_need_no_code(client, with_two_factor):
    sign_in(client)

    assert client.get(reverse("contact")).status_code == 200


def test_turning_it_off_takes_a_code(client, rita, with_two_factor):
    sign_in(client)
    client.post(reverse("login-code"), {"code": code(with_two_factor)})

    refused = client.post(reverse("two-factor"), {"code": code(with_two_factor)})
    assert refused.status_code == 400  # the code just used to sign in
    assert accounts.has_two_factor(rita)

    with_two_factor.refresh_from_db()
    with_two_factor.throttling_failure_count = 0
    with_two_factor.throttling_failure_timestamp = None
    with_two_factor.save()
    response = client.post(reverse("two-factor"), {"code": code(with_two_factor, steps_ahead=1)})

    assert response.status_code == 302
    assert not accounts.has_two_factor(rita)


# --- Required for staff -------------------------------------------------------------------


def test_staff_must_set_it_up_before_anything_else(client, settings):
    settings.REQUIRE_2FA_FOR_STAFF = True
    staff = UserFactory(username="sam", is_staff=True)
    sign_in(client, "sam")

    for url in (reverse("triage:inbox"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("two-factor")
    page = client.get(reverse("two-factor")).content.decode()
    assert "set up two-factor sign-in before you continue" in page

    device = TOTPDevice.objects.get(user=staff)
    client.post(reverse("two-factor"), {"code": code(device)})

    assert client.get(reverse("triage:inbox")).status_code == 200
    # ...and they cannot turn it off again.
    page = client.get(reverse("two-factor")).content.decode()
    assert "Staff accounts must keep it on." in page
    response = client.post(reverse("two-factor"), {"code": code(device, steps_ahead=1)})
    assert response.status_code == 400 and accounts.has_two_factor(staff)


def test_others_are_not_required_to(client, settings, rita):
    settings.REQUIRE_2FA_FOR_STAFF = True
    sign_in(client)

    assert client.get(reverse("triage:inbox")).status_code == 200


def test_off_by_default_even_for_staff(client):
    UserFactory(username="sam", is_staff=True)
    sign_in(client, "sam")

    assert client.get(reverse("triage:inbox")).status_code == 200


def test_a_hiring_manager_reaches_their_own_two_factor_page(client):
    from triage import access

    UserFactory(username="hank", role=access.HIRING_MANAGERS)
    sign_in(client, "hank")

    page = client.get(reverse("triage:assigned")).content.decode()
    assert reverse("two-factor") in page
    assert client.get(reverse("two-factor")).status_code == 200


def test_htmx_from_a_session_without_its_code_gets_401_and_where_to_give_it(
    client, with_two_factor
):
    # Signed in by password in another tab: the old tab's heartbeat and badge keep coming.
    sign_in(client)

    response = client.get(
        reverse("triage:notification-badge"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/pool/?page=2"},
    )

    # Not the code page, whole, for htmx to swap into the page it came from.
    assert response.status_code == 401
    assert response.content.decode() == "Your sign-in needs its code."
    assert response["X-Sign-In-Url"] == f"{reverse('login-code')}?next=%2Fpool%2F%3Fpage%3D2"
    # Another site's page is never where the code page sends them back to.
    response = client.get(
        reverse("triage:notification-badge"),
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"},
    )
    badge = reverse("triage:notification-badge").replace("/", "%2F")
    assert response["X-Sign-In-Url"] == f"{reverse('login-code')}?next={badge}"
    # A page asked for plainly is still sent to the code page.
    assert client.get(reverse("triage:pool"))["Location"].startswith(reverse("login-code"))


def test_htmx_from_staff_who_must_set_it_up_gets_401_with_the_set_up_page(client, settings):
    settings.REQUIRE_2FA_FOR_STAFF = True
    UserFactory(username="sam", is_staff=True)
    sign_in(client, "sam")

    response = client.get(reverse("triage:inbox"), headers={"HX-Request": "true"})

    assert response.status_code == 401 and response["X-Sign-In-Url"] == reverse("two-factor")
