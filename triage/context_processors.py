"""Template context every page gets (settings.TEMPLATES)."""

from django.utils.functional import SimpleLazyObject

from triage.selectors.notifications import unread_count


def notifications(request) -> dict:
    """The unread count under the bell in the nav. Loaded with the signed-in user (the
    authentication backend, two_factor.ModelBackend) when the request changes nothing; a
    POST may just have marked some read, so it is counted when the page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    loaded = getattr(user, "unread_notification_count", False)
    if request.method in ("GET", "HEAD") and loaded is not False:
        return {"unread_notifications": loaded or 0}  # None: no unread row to count
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
