"""/healthz for a load balancer or an uptime check: no login, JSON, 200 when every check
passes and 503 when one does not (triage/selectors/health.py says what is checked)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from triage.selectors import health


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health.health()
    return JsonResponse(report.as_json(), status=200 if report.ok else 503)
