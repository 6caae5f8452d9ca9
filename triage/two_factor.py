"""Two-factor sign-in (TOTP, django-otp): the middleware that holds a signed-in user at the
code page until they give their code, and sends staff who must have it
(REQUIRE_2FA_FOR_STAFF) to set it up first.

The password alone signs a user in (so the admin's login and the app's share one path),
but for a user with an authenticator that session is not *verified* (django-otp's
`request.user.is_verified()`), and until it is, every page but the code page and logging
out redirects there: the admin included, so it cannot be a way around."""

from __future__ import annotations

import functools
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from triage.access import RECRUITERS
from triage.models import ConfigVersion, Notification

# The pages a half-signed-in user may reach: giving the code, setting it up, leaving.
OPEN = {"login-code", "two-factor", "logout"}


def required(user) -> bool:
    """Whether this user must have two-factor sign-in."""
    return bool(settings.REQUIRE_2FA_FOR_STAFF and user.is_staff)


class ModelBackend(backends.ModelBackend):
    """Django's, loading the signed-in user in one query with what every page asks about
    them: whether they have an authenticator (the middleware below), whether they are a
    recruiter (access.is_recruiter), their sending settings (outbox.sender_identity), the
    configuration's version (services.config_cache) and their unread notifications (the
    bell, context_processors.notifications): on PostgreSQL each query more is a round trip
    to the server on every page."""

    def get_user(self, user_id):
        user = _signed_in_users().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _signed_in_users():
    """The users with what ModelBackend.get_user loads with them: built once (its
    subqueries cost as much to put together as the page's own queries), filtered and run
    anew on every page."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    recruiter = Group.objects.filter(user=OuterRef("pk"), name=RECRUITERS)
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        get_user_model()
        ._default_manager.select_related("recruiter_profile")
        .annotate(
            has_two_factor=Exists(confirmed),
            in_recruiters=Exists(recruiter),
            config_version=Subquery(ConfigVersion.objects.filter(pk=1).values("token")),
            unread_notification_count=Subquery(unread),
        )
    )


def has_device(user) -> bool:
    known = getattr(user, "has_two_factor", None)
    return user_has_device(user) if known is None else known


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in OPEN:
            return None
        # Public pages (contact, consent, password reset) need no second factor; the admin's
        # pages call themselves public (it checks logins its own way), so they are not.
        if not getattr(view_func, "login_required", True) and match.app_name != "admin":
            return None
        if has_device(user):
            where = f"{reverse('login-code')}?{urlencode({'next': _page_of(request)})}"
        elif required(user):
            where = reverse("two-factor")
        else:
            return None
        if request.headers.get("HX-Request") == "true":
            # As for a signed-out session (config/middleware.py): htmx would swap the code
            # page into the page it came from. static/js/session.js says what to do instead,
            # with a link to `where`.
            response = HttpResponse(
                "Your sign-in needs its code.", status=401, content_type="text/plain"
            )
            response["X-Sign-In-Url"] = where
            return response
        return redirect(where)


def _page_of(request) -> str:
    """The page to come back to after the code: for htmx's own requests (a heartbeat, a
    badge), the page they were sent from (htmx's HX-Current-URL), when it is on this site."""
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()
