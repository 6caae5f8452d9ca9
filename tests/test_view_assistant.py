"""The request page shows the assistant's second opinion beside the rules' verdict."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assistant_cases import CASES, make_request
from triage.models import AssistantModel
from triage.services import assistant as assistant_service

pytestmark = pytest.mark.django_db

PATENTS = ("Hello", "I hold patents and an award in orbit determination.")


@pytest.fixture
def trained(db):
    for subject, body, sender, cc, bucket in CASES:
        make_request(subject, body, sender, cc, suggested="funnel", final=bucket)
    return assistant_service.train_assistant(min_samples=1)


def page(client, request):
    response = client.get(reverse("triage:request", args=[request.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_second_opinion_where_the_assistant_disagrees(
    recruiter_client, profile, trained
):
    request = make_request(*PATENTS, "new@else.example", [], suggested="funnel", decided=False)
    opinion = assistant_service.second_opinion(request=request, thread=list(request.messages.all()))

    html = page(recruiter_client, request)

    assert opinion.bucket == "exceptional" and not opinion.agrees
    assert f"Second opinion: Exceptional skill ({opinion.percent}%)" in html
    assert re.search(r"Second opinion: Exceptional skill \(\d{2,3}%\)", html)
    terms = ", ".join(f"“{term}”" for term in opinion.terms)
    assert "patents" in opinion.terms and f"mostly because of {terms}." in html
    assert "It changes nothing: the bucket is yours to set." in html
    # Only an opinion: the request keeps the rules' bucket.
    request.refresh_from_db()
    assert (request.final_bucket, request.final_bucket_set_by) == ("funnel", None)


def test_it_only_notes_agreement_discreetly(recruiter_client, profile, trained):
    request = make_request(*PATENTS, "new@else.example", [], suggested="exceptional", decided=False)

    html = page(recruiter_client, request)

    assert "Second opinion" not in html
    assert re.search(r"The assistant agrees \(\d{2,3}%\)\.", html)


def test_without_a_model_of_its_own_the_default_model_gives_its_opinion(recruiter_client, profile):
    request = make_request(
        "Any openings?",
        "Hi, I am looking for a job, any position. Can you refer me? Resume attached.",
        "new@else.example",
        [],
        suggested="network",
        decided=False,
    )
    opinion = assistant_service.second_opinion(request=request, thread=list(request.messages.all()))

    html = page(recruiter_client, request)

    assert opinion.from_default and opinion.bucket == "funnel" and not opinion.agrees
    assert f"Second opinion: Apply through funnel ({opinion.percent}%)" in html
    assert "trained on example companies' labeled requests (its default model" in html


def test_without_any_usable_model_the_page_shows_nothing_of_it(
    recruiter_client, profile, monkeypatch
):
    monkeypatch.setattr(assistant_service, "DEFAULT_MODEL_DIR", Path("/nonexistent"))
    monkeypatch.setattr(assistant_service, "_default", None)
    request = make_request(*PATENTS, "new@else.example", [], suggested="funnel", decided=False)

    html = page(recruiter_client, request)

    assert 'id="second-opinion"' not in html
    assert "Second opinion" not in html and "The assistant agrees" not in html


def test_a_model_that_cannot_be_read_is_skipped_not_shown_as_an_error(
    recruiter_client, profile, trained
):
    AssistantModel.objects.filter(pk=trained.pk).update(pipeline=b"not a model")
    request = make_request(*PATENTS, "new@else.example", [], suggested="funnel", decided=False)

    html = page(recruiter_client, request)

    assert 'id="second-opinion"' not in html
    assert "I hold patents" in html


def test_a_model_from_another_scikit_learn_is_not_used(recruiter_client, profile, trained):
    AssistantModel.objects.filter(pk=trained.pk).update(sklearn_version="0.1")
    request = make_request(*PATENTS, "new@else.example", [], suggested="funnel", decided=False)

    opinion = assistant_service.second_opinion(request=request, thread=[])

    assert opinion.from_default  # the shipped model speaks instead
    html = page(recruiter_client, request)
    said = "(its default model" if not opinion.agrees else "Its default model, trained on"
    assert said in html


def test_the_second_opinion_costs_the_page_no_query_once_loaded(recruiter_client, profile, trained):
    request = make_request(*PATENTS, "new@else.example", [], suggested="funnel", decided=False)
    page(recruiter_client, request)  # loads the model into this process
    with CaptureQueriesContext(connection) as with_model:
        html = page(recruiter_client, request)

    AssistantModel.objects.all().delete()  # a configuration change: read again once
    with CaptureQueriesContext(connection) as after_delete:
        page(recruiter_client, request)
    with CaptureQueriesContext(connection) as without_model:
        page(recruiter_client, request)

    assert "Second opinion" in html
    # Which model is newest is kept with the configuration (services.config_cache).
    assert not [q for q in with_model.captured_queries if "triage_assistantmodel" in q["sql"]]
    asked = [q["sql"] for q in after_delete.captured_queries if "triage_assistantmodel" in q["sql"]]
    assert len(asked) == 1 and '"pipeline"' not in asked[0]
    assert len(with_model) == len(without_model)


def test_the_page_asks_a_retrained_model_and_reads_a_message_added_since(
    recruiter_client, profile, trained
):
    # The opinion is remembered per model and document (assistant.predict_remembered): a
    # newer model, or a new message from the person, is asked again.
    request = make_request(*PATENTS, "new@else.example", [], suggested="funnel", decided=False)
    before = page(recruiter_client, request)
    swap = {"funnel": "exceptional", "exceptional": "funnel", "network": "network"}
    for decided in assistant_service.decided_requests().exclude(pk=request.pk):
        decided.final_bucket = swap[decided.final_bucket]
        decided.save(update_fields=["final_bucket"])
    assistant_service.train_assistant(min_samples=1)

    after = page(recruiter_client, request)
    request.messages.update(text="Looking for a job, resume attached, any position.")
    with_new_text = page(recruiter_client, request)

    assert "Second opinion: Exceptional skill" in before
    assert "Second opinion" not in after and "The assistant agrees" in after  # says funnel
    assert "Second opinion: Exceptional skill" in with_new_text  # the swapped model's job
