"""Middleware of the whole site (not of one app)."""

from django.contrib.auth import middleware as auth_middleware
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers


def no_store(get_response):
    """Every response Django renders gets `Cache-Control: no-store` (with Django's other
    never-cache headers), unless the view set its own caching. Pages, exports and downloads
    all show candidates' data; the few public pages (login, contact) carry a CSRF token, which
    must not be cached either. Static files are answered before this by WhiteNoise."""

    def middleware(request):
        response = get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return middleware


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, except that a request htmx sends for a signed-out session gets 401, not a
    redirect. htmx follows a redirect and swaps what it gets: the login page, whole, would land
    inside the page (the request page's heartbeat put it in the "also viewing" box, its
    autofocused username field taking the keys the recruiter typed next). htmx swaps no 4xx
    answer, and static/js/session.js tells the person they are signed out."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse("You are signed out.", status=401, content_type="text/plain")
        return super().handle_no_permission(request, view_func)
