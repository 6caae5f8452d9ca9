"""The public contact page: no login, CSRF-protected, rate-limited per client address, with
a honeypot for bots. A submission enters through intake like any email."""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views import defaults
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from triage import documents
from triage.forms import ContactForm
from triage.models import TriageProfile
from triage.services import contact, profiles

log = logging.getLogger(__name__)


def contact_rate(group: str, request: HttpRequest) -> str:
    return settings.CONTACT_RATE_LIMIT  # read per request, so tests and admins can change it


def rate_period(rate: str) -> timedelta:
    """The window of a django-ratelimit rate: "5/h" is an hour, "20/10m" ten minutes."""
    match = re.fullmatch(r"\d+/(\d*)([smhd]?)", rate.strip().lower())
    if match is None:
        return timedelta(hours=1)
    unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    return timedelta(seconds=int(match.group(1) or 1) * unit)


def _count_post(request: HttpRequest, *, increment: bool) -> bool:
    """Whether this address has used up its posts (before this one). Only posts that went
    through (and the honeypot's) are counted: five typos must not lock a candidate out."""
    usage = get_usage(
        request,
        group="triage.contact",
        key="ip",
        rate=contact_rate,
        method="POST",
        increment=increment,
    )
    if usage is None:  # not a POST, or rate limiting is off
        return False
    return usage["should_limit"] or usage["count"] >= usage["limit"]


@login_not_required
@require_http_methods(["GET", "POST"])
def contact_page(request: HttpRequest) -> HttpResponse:
    profile = TriageProfile.load()
    context = {"company": profile.company if profile else "us"}
    if _count_post(request, increment=False):
        period = rate_period(settings.CONTACT_RATE_LIMIT)
        context["retry_in"] = timesince(timezone.now() - period)
        response = render(request, "triage/contact_limited.html", context, status=429)
        response["Retry-After"] = str(int(period.total_seconds()))
        return response
    form = ContactForm(
        request.POST or None, request.FILES or None, max_resume_bytes=settings.ATTACHMENT_MAX_BYTES
    )
    if request.method == "POST" and request.POST.get("website"):
        log.warning("Contact page: honeypot filled from %s; nothing stored", _client(request))
        _count_post(request, increment=True)
        return redirect("contact-thanks")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact.submit(
                name=data["name"],
                email=data["email"],
                profile_url=data["profile_url"],
                message=data["message"],
                resume=_resume(data["resume"]),
            )
        except profiles.ProfileMissing:
            form.add_error(None, "The contact page is not ready yet: please write to us later.")
            return render(request, "triage/contact.html", {**context, "form": form}, status=503)
        _count_post(request, increment=True)
        return redirect("contact-thanks")
    status = 400 if request.method == "POST" else 200
    return render(request, "triage/contact.html", {**context, "form": form}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler (handler400). A contact post too large to read is refused by
    Django before any view runs (DATA_UPLOAD_MAX_MEMORY_SIZE, in the CSRF check), which
    would show a bare "Bad Request (400)": it gets the form back, the reason beside the
    message. Nothing of it could be read, so nothing is kept and it is not counted toward
    the rate limit. Every other bad request gets Django's own page."""
    too_large = isinstance(exception, (RequestDataTooBig, TooManyFieldsSent))
    if not (too_large and request.path == reverse("contact")):
        return defaults.bad_request(request, exception)
    form = ContactForm(max_resume_bytes=settings.ATTACHMENT_MAX_BYTES)
    limit = form.fields["message"].max_length
    form.refuse_unread(
        "message",
        f"What you sent was too large to read, so nothing was sent: a message can be up to "
        f"{limit:,} characters. Please shorten it and send it again.",
    )
    profile = TriageProfile.load()
    context = {"company": profile.company if profile else "us", "form": form}
    return render(request, "triage/contact.html", context, status=413)


@login_not_required
def contact_thanks(request: HttpRequest) -> HttpResponse:
    profile = TriageProfile.load()
    context = {"company": profile.company if profile else "us", "profile": profile}
    return render(request, "triage/contact_thanks.html", context)


def _resume(upload) -> contact.Resume | None:
    if upload is None:
        return None
    content = upload.read()
    # The type we checked (ContactForm.clean_resume), not the one the browser claimed.
    kind = documents.sniff(content)
    return contact.Resume(filename=upload.name, content_type=kind.content_type, content=content)


def _client(request: HttpRequest) -> str:
    return request.META.get(getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR", "")
