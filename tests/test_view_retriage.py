"""The Re-triage page: a preview (dry run) with a confirm button, then a run in the worker."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import CandidateRequestFactory
from triage.models import CandidateRequest, RetriageRun

URL = reverse("triage:retriage")
AWARD = "I won the best paper award for my work on orbit determination."


def stale(**fields):
    return CandidateRequestFactory(subject="Hello", body=AWARD, **fields)


def test_it_requires_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_other_methods(recruiter_client):
    assert recruiter_client.put(URL).status_code == 405


def test_the_preview_shows_the_moves_and_changes_nothing(recruiter_client, profile):
    stale(), stale()

    response = recruiter_client.get(URL, {"preview": "1", "since": ""})

    page = response.content.decode()
    assert "2 untouched requests examined; 2 would get a new verdict, 2 would move" in page
    assert "<td>funnel</td><td>exceptional</td>" in page.replace("\n", "").replace("  ", "")
    assert "Re-triage 2 requests" in page
    assert not CandidateRequest.objects.filter(final_bucket="exceptional").exists()


def test_a_bad_date_is_an_error_beside_the_field(recruiter_client, profile):
    response = recruiter_client.post(URL, {"since": "last tuesday"})

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert not RetriageRun.objects.exists()


def test_confirming_runs_it_in_the_background_and_shows_the_result(
    recruiter_client, recruiter, profile, django_capture_on_commit_callbacks
):
    old = stale(received_at=timezone.now() - timedelta(days=30))
    recent = stale()

    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(URL, {"since": str(timezone.localdate())})

    assert response.status_code == 302
    run = RetriageRun.objects.get()
    assert (run.status, run.started_by, run.result["moved"]) == ("done", recruiter, 1)
    assert CandidateRequest.objects.get(pk=recent.pk).final_bucket == "exceptional"
    assert CandidateRequest.objects.get(pk=old.pk).final_bucket == "funnel"
    page = recruiter_client.get(response.url).content.decode()
    assert f"Re-triage #{run.pk} started." in page
    assert "1 examined, 1 changed, 1 moved; funnel &rarr; exceptional: 1" in page


def test_the_preview_names_each_request_that_would_change(recruiter_client, profile):
    from tests.factories import CandidateFactory

    ada = stale(candidate=CandidateFactory(name="Ada Lovelace", email="ada@mail.example"))
    stale(candidate=CandidateFactory(email="grace@mail.example"))
    # Stays in its bucket, but the factory stored no reasons: the rules give it some.
    CandidateRequestFactory(subject="Plain", body="Could we talk?")

    page = recruiter_client.get(URL, {"preview": "1", "since": ""}).content.decode()

    listed = page.split('id="retriage-changes"')[1].split("</table>")[0]
    assert listed.count('class="retriage-change"') == 3
    assert f'href="{reverse("triage:request", args=[ada.pk])}"' in listed
    assert "Ada Lovelace" in listed and "grace@mail.example" in listed
    assert "Apply through funnel" in listed and "Exceptional skill" in listed
    assert "Everyone else" in listed  # the rule that decided it before, in words
    plain = listed.split("Plain")[1].split("</tr>")[0]
    assert "Everyone else (same bucket, new reasons)" in plain
