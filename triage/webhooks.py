"""URLs for the email providers' webhooks: django-anymail's own views (anymail.urls), each
refused with a 403 until it is secured (see services.inbound.webhook_refusal)."""

from functools import wraps

from anymail import urls as anymail_urls
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseForbidden
from django.urls import URLPattern
from django.views.decorators.csrf import csrf_exempt

from triage.services import inbound


def refuse_unsecured(view):
    esp_name = view.view_class.esp_name

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if refusal := inbound.webhook_refusal(esp_name=esp_name):
            return HttpResponseForbidden(refusal, content_type="text/plain")
        return view(request, *args, **kwargs)

    # Providers post without a session or a CSRF token; they prove who they are to anymail.
    return login_not_required(csrf_exempt(guarded))


urlpatterns = [
    URLPattern(p.pattern, refuse_unsecured(p.callback), p.default_args, p.name)
    for p in anymail_urls.urlpatterns
]
app_name = anymail_urls.app_name
