import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from triage import access
from triage.models import CandidateRequest, TriageProfile

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
