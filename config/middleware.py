"""Middleware of the whole site (not of one app)."""

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
