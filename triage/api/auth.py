"""Who is calling: a personal token (`Authorization: Bearer <key>`) or the browser's session,
and how often they may."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from triage.services import api_tokens


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` (or `Token <key>`) with a key from My settings."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Give the key after “Bearer ”, nothing else.")
        try:
            key = parts[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed("That is not an API key.") from error
        user = api_tokens.user_for_key(key)
        if user is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API key.")
        return user, None

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal key made on the My settings page.",
        }


class PerUserThrottle(throttling.UserRateThrottle):
    """API_THROTTLE_RATE per user, counted in the database cache every process shares (the
    default cache is per process)."""

    cache = caches["ratelimit"]

    def get_rate(self):
        return settings.API_THROTTLE_RATE  # read at each call, so a changed setting applies
