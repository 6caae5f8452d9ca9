"""The client address of the request being served, for the audit log and the login throttle.

Services that write audit entries take `by=` but not the HTTP request, so the address rides
along in a context variable set by a middleware, as the request id does for the logs
(config/logs.py). Outside a request (a command, the worker) it is None."""

from __future__ import annotations

from contextvars import ContextVar
from ipaddress import ip_address

from django.conf import settings

client_address_var: ContextVar[str | None] = ContextVar("client_address", default=None)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a proxy the header named by
    RATELIMIT_IP_META_KEY (the contact page's rate limit reads the same one). With
    X-Forwarded-For, the address the proxy appended last; None if it is not an address."""
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    value = request.META.get(key, "") or ""
    value = value.split(",")[-1].strip()
    try:
        return str(ip_address(value))
    except ValueError:
        return None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_address_var.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_address_var.reset(token)
