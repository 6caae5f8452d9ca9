"""Training the assistant on recruiters' decisions: what counts, the command, the task."""

import pytest
from django.core.management import CommandError, call_command

from tests.assistant_cases import CASES, make_request
from triage import assistant
from triage.models import AssistantModel, Reply
from triage.services import assistant as assistant_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions():
    """Every fixture case decided by a recruiter, the rules having said "funnel" to all."""
    return [
        make_request(subject, body, sender, cc, suggested="funnel", final=bucket)
        for subject, body, sender, cc, bucket in CASES
    ]


def test_it_learns_from_moved_and_answered_requests_only(db):
    make_request("a", "moved", "m@x.example", [], suggested="funnel", final="network")
    answered = make_request("b", "answered", "r@x.example", [], suggested="funnel", decided=False)
    Reply.objects.create(
        request=answered, to_email="r@x.example", subject="s", body="b", message_id="<r@x>"
    )
    make_request("c", "untouched", "u@x.example", [], suggested="exceptional", decided=False)

    samples = assistant_service.training_samples()

    assert [s.bucket for s in samples] == ["network", "funnel"]
    assert [s.document.splitlines()[1] for s in samples] == ["moved", "answered"]


def test_the_command_trains_reports_and_saves_the_model(decisions, capsys):
    call_command("train_assistant", "--min-samples", "10")

    out = capsys.readouterr().out
    model = AssistantModel.objects.get()
    assert "Trained on 18 decided requests (funnel 6, network 6, exceptional 6)." in out
    assert f"Cross-validated accuracy (5-fold): {model.cv_accuracy:.1%}" in out
    assert f"Saved as assistant #{model.pk}: now in use." in out
    assert (model.samples, model.cv_folds) == (18, 5)
    assert model.bucket_counts == {"funnel": 6, "network": 6, "exceptional": 6}
    assert model.cv_accuracy >= 0.8
    assert model.sklearn_version == assistant.SKLEARN_VERSION
    # The stored bytes are the working model.
    loaded = assistant.loads(bytes(model.pipeline))
    text = assistant.document(subject="Patents", text="I hold patents.", sender="p@q.example")
    assert assistant.predict(loaded, text).bucket == "exceptional"


def test_it_refuses_with_too_few_decisions_and_saves_nothing(decisions):
    with pytest.raises(CommandError) as refusal:
        call_command("train_assistant")  # the default minimum is 30

    assert str(refusal.value) == (
        "Not trained. Only 18 requests have a recruiter's decision (funnel 6, network 6, "
        "exceptional 6); training needs at least 30. Answer or move more requests first "
        "(or lower --min-samples)."
    )
    assert not AssistantModel.objects.exists()


def test_it_refuses_a_bucket_with_a_single_decision(db):
    for subject, body, sender, cc, bucket in CASES[:7]:  # six funnel, one network
        make_request(subject, body, sender, cc, suggested="funnel", final=bucket)

    with pytest.raises(CommandError, match="“network” has only 1 decision"):
        call_command("train_assistant", "--min-samples", "5")
    assert not AssistantModel.objects.exists()


def test_it_trains_without_a_figure_when_a_bucket_is_too_small_to_cross_validate(db, capsys):
    for subject, body, sender, cc, bucket in CASES[:8]:  # six funnel, two network
        make_request(subject, body, sender, cc, suggested="funnel", final=bucket)

    call_command("train_assistant", "--min-samples", "5")

    out = capsys.readouterr().out
    assert "Cross-validated accuracy: not measured. Cannot cross-validate:" in out
    assert "“network” has only 2 decisions" in out
    model = AssistantModel.objects.get()
    assert model.cv_accuracy is None and "network" in model.cv_note


def test_the_newest_model_is_current_and_loaded_once(decisions, django_assert_num_queries):
    first = assistant_service.train_assistant(min_samples=1)
    assert assistant_service.current_model() is not None
    with django_assert_num_queries(1):  # which model is newest; the cached one is used
        cached = assistant_service.current_model()

    second = assistant_service.train_assistant(min_samples=1)

    with django_assert_num_queries(2):  # a newer one: its bytes are loaded once
        newest = assistant_service.current_model()
    assert second.pk > first.pk and newest is not cached
    with django_assert_num_queries(1):
        assert assistant_service.current_model() is newest


def test_the_weekly_task_trains_and_waits_quietly_when_there_are_too_few(db, caplog):
    from triage.tasks import train_assistant

    caplog.set_level("INFO", logger="triage.tasks")
    train_assistant.enqueue()
    assert not AssistantModel.objects.exists()
    assert "Assistant not retrained: Only 0 requests" in caplog.text

    for copy in (1, 2):
        for subject, body, sender, cc, bucket in CASES:
            sender = sender.replace("@", f"+{copy}@")
            make_request(subject, body, sender, cc, suggested="funnel", final=bucket)
    train_assistant.enqueue()
    assert AssistantModel.objects.get().samples == 36
