import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.core.management import call_command
from django.http import HttpRequest

from triage import access
from triage.models import CandidateRequest, TriageProfile


def authenticate(**credentials):
    """As the login page does: the login throttle (django-axes) needs the request."""
    return django_authenticate(HttpRequest(), **credentials)


pytestmark = pytest.mark.django_db


def test_it_loads_a_demo_inbox_once_and_prints_a_login(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out

    requests = CandidateRequest.objects.all()
    assert 45 <= requests.count() <= 60
    assert {r.final_bucket for r in requests} == {"funnel", "network", "exceptional"}
    assert all(r.reasons for r in requests)
    assert TriageProfile.load() is not None
    assert "Demo login: demo / demo-recruiter" in first
    assert "0 new requests" in second
    assert authenticate(username="demo", password="demo-recruiter") is not None
    hank = authenticate(username="hank", password="demo-hiring-manager")
    assert "Demo hiring manager (sees only what is assigned to them): hank /" in first
    assert hank is not None and not access.is_recruiter(hank)
    assert list(access.hiring_managers()) == [hank]
    assert access.is_recruiter(authenticate(username="demo", password="demo-recruiter"))


@pytest.mark.parametrize(
    ("name", "reason_words"),
    [
        ("Rahul Banerjee", ("core developers", "mixed-integer programming")),
        ("Anneke de Vries", ("chair", "IEC 61850")),
    ],
)
def test_the_demos_distinguished_people_are_exceptional_and_say_why(name, reason_words):
    """Issue 13: a core developer of a solver and a standards-committee chair, each in one of
    the demo company's hard-to-fill skills, are exceptional with reasons a recruiter accepts."""
    call_command("seed_demo")
    request = CandidateRequest.objects.get(candidate__name=name)

    assert (request.suggested_bucket, request.suggested_rule) == (
        "exceptional",
        "distinguished_record",
    )
    reasons = " ".join(r["text"] for r in request.reasons)
    assert "Distinguished record, a recognised role" in reasons
    for words in reason_words:
        assert words in reasons
    assert all(e in request.body for r in request.reasons for e in r["evidence"])


def test_the_demo_has_follow_ups_due_replies_sent_and_notifications(capsys):
    """Issue 16: on `make run` the digest lists people to follow up and the dashboard has
    replies to count; the demo recruiter's bell has the exceptional requests and the outcome
    the demo hiring manager recorded."""
    from django.utils import timezone

    from triage.models import Notification, Reply
    from triage.selectors.talent import due_follow_ups

    call_command("seed_demo")

    due = {e.candidate.name: e.follow_up for e in due_follow_ups(timezone.localdate())}
    assert set(due) == {"Freya Lund", "Marco Esposito", "Leila Nasser"}  # Owen is not due
    assert due["Leila Nasser"] == timezone.localdate()
    statuses = sorted(Reply.objects.values_list("status", flat=True))
    assert statuses.count("sent") == 15 and statuses.count("failed") == 1
    assert "bounced" in statuses
    exceptional = CandidateRequest.objects.filter(final_bucket="exceptional").count()
    mine = Notification.objects.filter(user__username="demo")
    assert mine.filter(kind="exceptional").count() == exceptional > 0
    assert mine.filter(kind="outcome").count() == 1  # the demo hiring manager's, below

    call_command("seed_demo")
    assert Reply.objects.count() == 17  # a second run adds nothing


def test_the_demo_hiring_manager_has_requests_of_their_roles_to_see(client, capsys):
    """Hank's "Assigned to me" page is not empty: the newest exceptional requests he is the
    suggested assignee of (he manages their roles), assigned by the demo recruiter, one with
    an outcome. A second run assigns nothing more."""
    from html import escape

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from triage.models import HiringOutcome
    from triage.services import assignment, profiles

    call_command("seed_demo")
    out = capsys.readouterr().out

    hank = get_user_model().objects.get(username="hank")
    assigned = CandidateRequest.objects.filter(assigned_to=hank).select_related("assigned_by")
    assert assigned.count() == 3
    assert "3 exceptional requests assigned to hank." in out
    profile = profiles.load_profile()
    for request in assigned:
        assert request.final_bucket == "exceptional"
        assert request.assigned_by.username == "demo" and request.assigned_at is not None
        assert assignment.suggested_assignee(request, profile) == hank
    outcomes = HiringOutcome.objects.filter(request__in=assigned)
    assert [(o.kind, o.recorded_by) for o in outcomes] == [("talked", hank)]

    client.force_login(hank)
    response = client.get(reverse("triage:inbox"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("triage:assigned")
    assert page.count('class="assigned-row"') == 3
    assert all(escape(r.subject) in page and escape(r.candidate.name) in page for r in assigned)
    assert "Talked with them" in page and "by Maya Okonkwo" in page

    call_command("seed_demo")
    assert assigned.count() == 3 and outcomes.count() == 1
    assert "assigned to hank" not in capsys.readouterr().out
