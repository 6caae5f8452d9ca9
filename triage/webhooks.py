"""URLs for the email providers' webhooks: django-anymail's own views (anymail.urls), each
refused with a 403 until it is secured (see services.inbound.webhook_refusal), and a post
that passes anymail's checks but cannot be parsed answered 400 with nothing stored."""

import logging
from functools import wraps

from anymail import urls as anymail_urls
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.urls import URLPattern
from django.views.decorators.csrf import csrf_exempt

from triage.services import inbound

log = logging.getLogger(__name__)


def refuse_unsecured(view):
    esp_name = view.view_class.esp_name

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if refusal := inbound.webhook_refusal(esp_name=esp_name):
            return HttpResponseForbidden(refusal, content_type="text/plain")
        started = inbound.reached_intake.set(False)
        try:
            return view(request, *args, **kwargs)
        except SuspiciousOperation:
            raise  # anymail's refusal of the credentials or signature: Django's own 400
        except Exception as error:
            if inbound.reached_intake.get():
                raise  # storing failed: the 500 makes the provider post it again
            # Anymail checked the credentials before parsing, so this is a trusted sender's
            # post that its parser could not read.
            log.warning("%s inbound webhook: malformed post refused: %r", esp_name, error)
            return HttpResponseBadRequest(
                f"Not a {esp_name} inbound post this endpoint can read; nothing was stored.",
                content_type="text/plain",
            )
        finally:
            inbound.reached_intake.reset(started)

    # Providers post without a session or a CSRF token; they prove who they are to anymail.
    return login_not_required(csrf_exempt(guarded))


urlpatterns = [
    URLPattern(p.pattern, refuse_unsecured(p.callback), p.default_args, p.name)
    for p in anymail_urls.urlpatterns
]
app_name = anymail_urls.app_name
