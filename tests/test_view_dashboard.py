"""The dashboard: exact figures on a hand-built data set, the CSV of each chart, and a
number of queries that does not grow with the data."""

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateFactory, CandidateRequestFactory, UserFactory
from triage.models import CandidateRequest, HiringOutcome, Reply
from triage.selectors import dashboard
from triage.services import outbox, rulebook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    """Each view computes its figures (the cache is tried in one test of its own)."""
    settings.DASHBOARD_CACHE_SECONDS = 0


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def request(received_at, *, rule="funnel_default", suggested="funnel", final=None, **fields):
    return CandidateRequestFactory(
        received_at=received_at,
        suggested_rule=rule,
        suggested_bucket=suggested,
        final_bucket=final or suggested,
        **fields,
    )


def reply(req, *, after=None, status=Reply.Status.SENT, kind=Reply.Kind.ANSWER, created=None):
    sent_at = req.received_at + after if after is not None else None
    made = Reply.objects.create(
        request=req,
        kind=kind,
        to_email=req.candidate.email,
        subject="Re: hello",
        body="Thank you.",
        status=status,
        sent_at=sent_at if status in (Reply.Status.SENT, Reply.Status.BOUNCED) else None,
        message_id=f"<reply-{Reply.objects.count()}@test.example>",
    )
    Reply.objects.filter(pk=made.pk).update(created_at=created or sent_at or req.received_at)
    if made.sent_at is not None:
        outbox.record_sent(made)  # as the outbox does once it is sent: the first reply time
    return made


@pytest.fixture
def known():
    """Two past weeks, A and B (the current week is left empty: its days may be ahead)."""
    period = dashboard.Period.last(12)
    week_a, week_b = period.weeks[-3], period.weeks[-2]
    recruiter = UserFactory(username="rita")
    replied, new = CandidateRequest.Status.REPLIED, CandidateRequest.Status.NEW

    r1 = request(at(week_a, 9), status=replied)
    reply(r1, after=timedelta(hours=2))
    r2 = request(at(week_a, 10), status=replied)
    reply(r2, after=timedelta(hours=4), status=Reply.Status.BOUNCED)
    r3 = request(at(week_a, 11), rule="relevant_skills_no_job_ask", suggested="network")
    CandidateRequest.objects.filter(pk=r3.pk).update(status=replied)
    reply(r3, after=timedelta(hours=10))
    r4 = request(  # the rules said exceptional, a recruiter moved it: acted on, not kept
        at(week_a + timedelta(days=1), 10),
        rule="notable_person",
        suggested="exceptional",
        final="funnel",
        final_bucket_set_by=recruiter,
        final_bucket_set_at=at(week_a + timedelta(days=1), 12),
    )
    r5 = request(at(week_a + timedelta(days=2), 8))  # untouched: says nothing about its rule
    reply(r5, status=Reply.Status.FAILED, created=at(week_a + timedelta(days=2), 9))

    r6 = request(at(week_b, 9), rule="distinguished_record", suggested="exceptional")
    CandidateRequest.objects.filter(pk=r6.pk).update(status=replied)
    reply(r6, after=timedelta(days=1))
    r7 = request(at(week_b, 9, 30), status=replied)
    reply(r7, after=timedelta(minutes=30))
    r8 = request(
        at(week_b + timedelta(days=3), 15), rule="employee_introduction", suggested="network"
    )
    reply(r8, kind=Reply.Kind.ROLE_OPENED, after=timedelta(hours=1))  # told about a role
    r9 = request(
        at(week_b + timedelta(days=4), 16),
        final="network",
        final_bucket_set_by=recruiter,
        final_bucket_set_at=at(week_b + timedelta(days=4), 17),
    )
    # The pool's path: r3's person kept in touch, agreed, and was hired; r9's person talked.
    r3.candidate.consent_given_at = at(week_a, 23)
    r3.candidate.save()
    HiringOutcome.objects.create(request=r3, kind=HiringOutcome.Kind.HIRING)
    HiringOutcome.objects.create(request=r9, kind=HiringOutcome.Kind.TALKED)

    # Before the period: counted nowhere but "waiting now" (and it is not waiting).
    before = request(at(period.weeks[0] - timedelta(days=3), 9), status=replied)
    reply(before, after=timedelta(hours=1))
    assert all(r.status == new for r in (r4, r5, r8, r9) if r.refresh_from_db() is None)
    return {"period": period, "a": week_a.isoformat(), "b": week_b.isoformat(), "r4": r4}


def rows_by_week(figure):
    return {row[0]: row[1:] for row in figure.rows}


def test_requests_per_bucket_per_week_are_exact(known):
    figure = dashboard.requests_per_bucket(known["period"])

    assert figure.columns == [
        "Week",
        "Apply through funnel",
        "Network later",
        "Exceptional skill",
        "Total",
    ]
    weeks = rows_by_week(figure)
    assert len(weeks) == 12
    assert weeks[known["a"]] == [4, 1, 0, 5]
    assert weeks[known["b"]] == [1, 2, 1, 4]
    assert sum(row[4] for row in figure.rows) == 9  # the request before the period is out
    assert figure.chart["datasets"][0]["data"][-3:] == [4, 1, 0]


def test_time_to_first_reply_is_the_nearest_rank_median_and_90th_percentile(known):
    figure = dashboard.reply_times(known["period"])

    weeks = rows_by_week(figure)
    # Week A: 2, 4 (bounced, but it was sent) and 10 hours. Week B: 30 minutes and a day.
    assert weeks[known["a"]] == [3, 4.0, 10.0]
    assert weeks[known["b"]] == [2, 0.5, 24.0]
    assert sum(row[1] for row in figure.rows) == 5
    assert figure.chart["datasets"][1]["data"][-3:] == [10.0, 24.0, None]


def test_waiting_now_gives_the_oldest_new_request_per_bucket(known):
    now = at(known["r4"].received_at.date() + timedelta(days=10), 10)
    figure = dashboard.oldest_new(now=now)

    assert figure.rows[0] == [
        "Apply through funnel",
        2,
        timezone.localtime(known["r4"].received_at).strftime("%Y-%m-%d %H:%M"),
        10.0,
    ]
    assert figure.rows[1][:2] == ["Network later", 2]
    assert figure.rows[2] == ["Exceptional skill", 0, "", None]
    assert figure.chart == {"oldest_days": 10.0}


def test_each_rules_precision_counts_only_what_recruiters_acted_on(known):
    figure = dashboard.rule_precision(known["period"])

    names = rulebook.titles()
    a, b = known["a"], known["b"]
    assert figure.rows == sorted(
        [
            [a, names["funnel_default"], 2, 2, 0, 100.0],
            [a, names["relevant_skills_no_job_ask"], 1, 1, 0, 100.0],
            [a, names["notable_person"], 1, 0, 1, 0.0],
            [b, names["distinguished_record"], 1, 1, 0, 100.0],
            [b, names["funnel_default"], 2, 1, 1, 50.0],
        ],
        key=lambda row: (row[0], row[1].lower()),
    )
    series = {d["key"]: d["data"][-3:] for d in figure.chart["datasets"]}
    assert series["funnel_default"] == [100.0, 50.0, None]
    assert "employee_introduction" not in series  # r8 is untouched


def test_the_network_path_follows_the_pool_as_far_as_the_app_knows(known):
    figure = dashboard.network_path(known["period"])

    assert [row[1] for row in figure.rows] == [3, 1, 1, 1, 2, 1]
    assert figure.rows[0][0] == "In the pool (network later)"


def test_replies_per_week_by_what_became_of_them(known):
    figure = dashboard.reply_outcomes(known["period"])

    assert figure.columns == ["Week", "Sent", "Bounced", "Failed", "Unknown"]
    weeks = rows_by_week(figure)
    assert weeks[known["a"]] == [2, 1, 1, 0]
    assert weeks[known["b"]] == [3, 0, 0, 0]  # two answers and "a role opened"


def test_the_page_shows_each_chart_with_its_table(recruiter_client, known):
    response = recruiter_client.get(reverse("triage:dashboard"))

    assert response.status_code == 200
    page = response.content.decode()
    for key in ("buckets", "reply-time", "rule-precision", "network-path", "replies"):
        assert f'<canvas id="chart-{key}" data-chart="data-{key}"' in page
        assert f'<script id="data-{key}" type="application/json">' in page
        assert f'id="table-{key}"' in page
        assert reverse("triage:dashboard-csv", args=[key]) + "?weeks=12" in page
    assert "<script>" not in page and "style=" not in page  # CSP: no inline script or style
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in page
    assert '<option value="12" selected>Last 12 weeks</option>' in page


def test_a_period_outside_the_list_is_refused_beside_the_field(recruiter_client, known):
    response = recruiter_client.get(reverse("triage:dashboard"), {"weeks": "9999"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="weeks-error"' in page and "Choose one of the periods in the list." in page
    assert 'id="table-buckets"' in page  # the default period, still shown


def test_a_shorter_period_leaves_the_older_weeks_out(recruiter_client, known):
    response = recruiter_client.get(reverse("triage:dashboard-csv", args=["buckets"]), {"weeks": 4})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 + 4
    assert response["Content-Disposition"] == 'attachment; filename="buckets-4-weeks.csv"'


def test_each_chart_downloads_as_csv_with_the_tables_numbers(recruiter_client, known):
    response = recruiter_client.get(reverse("triage:dashboard-csv", args=["reply-time"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Week", "Answered", "Median (hours)", "90th percentile (hours)"]
    assert [known["a"], "3", "4.0", "10.0"] in rows
    assert [known["b"], "2", "0.5", "24.0"] in rows
    assert rows[-1][1:] == ["0", "", ""]  # this week: none answered, blanks not "None"

    path = recruiter_client.get(reverse("triage:dashboard-csv", args=["network-path"]))
    assert list(csv.reader(io.StringIO(path.content.decode())))[1:] == [
        ["In the pool (network later)", "3"],
        ["Kept in touch (reply sent)", "1"],
        ["Agreed to stay in touch", "1"],
        ["Told about a role that opened", "1"],
        ["Talked with a hiring manager", "2"],
        ["Moved into the hiring process", "1"],
    ]
    waiting = recruiter_client.get(reverse("triage:dashboard-csv", args=["waiting"]))
    assert waiting.content.decode().splitlines()[0] == (
        "Bucket,New requests,Oldest received,Oldest age (days)"
    )


def test_an_unknown_chart_is_not_found(recruiter_client):
    response = recruiter_client.get(reverse("triage:dashboard-csv", args=["nothing"]))
    assert response.status_code == 404


def test_it_requires_login_and_a_recruiter(client):
    response = client.get(reverse("triage:dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_takes_the_same_number_of_queries_for_ten_times_the_data(recruiter_client, known):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = recruiter_client.get(reverse("triage:dashboard"))
        assert response.status_code == 200
        return len(queries)

    small = count_queries()
    week = known["period"].weeks[-4]
    for n in range(60):
        made = request(
            at(week, 8) + timedelta(minutes=n),
            candidate=CandidateFactory(),
            rule=("funnel_default", "notable_person", "employee_introduction")[n % 3],
            suggested=("funnel", "exceptional", "network")[n % 3],
            status=CandidateRequest.Status.REPLIED,
        )
        reply(made, after=timedelta(hours=n % 7 + 1))
        if n % 5 == 0:
            HiringOutcome.objects.create(request=made, kind=HiringOutcome.Kind.TALKED)
    large = count_queries()

    assert small == large
    # Session and user, the recruiter check, the bell, rule titles, and the figures:
    # buckets, two for reply times, waiting, precision, the pool's path, replies.
    assert large <= 12


def test_the_figures_are_kept_briefly_then_computed_again(recruiter_client, settings, known):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    url = reverse("triage:dashboard-csv", args=["buckets"])
    before = recruiter_client.get(url).content.decode()

    request(at(known["period"].weeks[-2], 12), final="exceptional")
    assert recruiter_client.get(url).content.decode() == before  # from the cache

    cache.clear()
    assert recruiter_client.get(url).content.decode() != before
