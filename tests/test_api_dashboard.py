"""/api/v1/dashboard/: the page's figures (the same selector), for recruiters only, at a
number of queries that does not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CandidateFactory, hiring_manager
from tests.test_api import bearer
from tests.test_view_dashboard import at, known, reply, request  # noqa: F401 (known: a fixture)
from triage.models import CandidateRequest
from triage.selectors import dashboard

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/"


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    settings.DASHBOARD_CACHE_SECONDS = 0


def test_the_figures_are_the_pages(client, recruiter, known):  # noqa: F811
    answer = client.get(URL, {"weeks": 12}, **bearer(recruiter))

    assert answer.status_code == 200
    body = answer.json()
    page = dashboard.dashboard_page(weeks=12)
    expected = [page["waiting"], *page["figures"]]
    assert body["weeks"] == 12
    assert (
        [f["key"] for f in body["figures"]]
        == [f.key for f in expected]
        == [
            "waiting",
            "buckets",
            "reply-time",
            "rule-precision",
            "network-path",
            "replies",
        ]
    )
    for given, figure in zip(body["figures"], expected, strict=True):
        assert given["title"] == figure.title
        assert given["columns"] == figure.columns
        assert given["rows"] == [list(row) for row in figure.rows]
    by_key = {f["key"]: f for f in body["figures"]}
    # The known data set's exact figures, as the page's tests read them.
    reply_times = {row[0]: row[1:] for row in by_key["reply-time"]["rows"]}
    assert reply_times[known["a"]] == [3, 4.0, 10.0]
    assert reply_times[known["b"]] == [2, 0.5, 24.0]
    assert [row[1] for row in by_key["network-path"]["rows"]] == [3, 1, 1, 1, 2, 1]
    assert body["start"].startswith(known["period"].weeks[0].isoformat())


def test_the_period_defaults_to_twelve_weeks_and_must_be_in_the_list(client, recruiter):
    key = bearer(recruiter)
    default = client.get(URL, **key).json()
    assert default["weeks"] == 12
    assert len(default["figures"][1]["rows"]) == 12
    assert len(client.get(URL, {"weeks": 4}, **key).json()["figures"][1]["rows"]) == 4

    refused = client.get(URL, {"weeks": 5}, **key)
    assert refused.status_code == 400
    assert "Choose 4, 12, 26 or 52 weeks." in str(refused.json())


def test_it_is_for_recruiters_only(client):
    assert client.get(URL).status_code == 401
    refused = client.get(URL, **bearer(hiring_manager("hank")))
    assert refused.status_code == 403
    assert "figures" not in refused.json()


def test_it_takes_the_same_number_of_queries_for_more_data(client, recruiter, known):  # noqa: F811
    key = bearer(recruiter)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(URL, **key)
        assert answer.status_code == 200
        return len(queries)

    client.get(URL, **key)  # the first call notes the key's use; count the ones after
    small = count_queries()
    week = known["period"].weeks[-4]
    for n in range(40):
        made = request(
            at(week, 8) + timedelta(minutes=n),
            candidate=CandidateFactory(),
            rule=("funnel_default", "employee_introduction")[n % 2],
            suggested=("funnel", "network")[n % 2],
            status=CandidateRequest.Status.REPLIED,
        )
        reply(made, after=timedelta(hours=n % 5 + 1))
    large = count_queries()

    assert small == large
