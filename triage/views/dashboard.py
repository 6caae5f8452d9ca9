"""The dashboard: figures per week as charts, each with its table and a CSV download."""

import csv

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from triage.forms import DashboardForm
from triage.selectors import dashboard as reads


def _period(request: HttpRequest) -> tuple[DashboardForm, int]:
    form = DashboardForm({"weeks": request.GET.get("weeks", reads.DEFAULT_WEEKS)})
    weeks = form.cleaned_data["weeks"] if form.is_valid() else reads.DEFAULT_WEEKS
    return form, weeks


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, weeks = _period(request)
    context = {"form": form, **reads.dashboard_page(weeks=weeks)}
    return render(request, "triage/dashboard.html", context, status=400 if form.errors else 200)


@require_GET
def dashboard_csv(request: HttpRequest, chart: str) -> HttpResponse:
    _form, weeks = _period(request)
    figure = reads.figure(chart, weeks=weeks)
    if figure is None:
        raise Http404("No such chart.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{figure.key}.csv" if figure.key == "waiting" else f"{figure.key}-{weeks}-weeks.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    for row in figure.csv_rows():
        writer.writerow(["" if cell is None else cell for cell in row])
    return response
