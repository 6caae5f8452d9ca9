"""Template context every page gets (settings.TEMPLATES)."""

from django.utils.functional import SimpleLazyObject

from triage.selectors.notifications import unread_count


def notifications(request) -> dict:
    """The unread count under the bell in the nav: counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
