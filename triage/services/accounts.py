"""A user's own account: two-factor sign-in with an authenticator app (TOTP, django-otp).

One device per user, named "authenticator". It is created unconfirmed when they start
setting it up and counts only once they confirm it with a code from their app."""

from __future__ import annotations

from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def confirm_two_factor(*, user, token: str) -> TOTPDevice | None:
    """The code from the app proves it holds the secret: two-factor sign-in is on. None
    (nothing changes) when the code is wrong."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk")
    device = pending.select_for_update().first()
    if device is None or not device.verify_token(token.strip()):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device


def check_code(*, user, token: str) -> TOTPDevice | None:
    """The user's device if `token` is its current code (django-otp throttles wrong ones
    and refuses a code used before)."""
    device = confirmed_device(user)
    if device is None:
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device if device.verify_token(token.strip()) else None


def throttled(user) -> bool:
    """Too many wrong codes just now: the next one is refused for a while whatever it is."""
    device = confirmed_device(user)
    return device is not None and not device.verify_is_allowed()[0]


def disable_two_factor(*, user, token: str) -> bool:
    """Turn it off, proven by a current code. False when the code is wrong."""
    if check_code(user=user, token=token) is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True
