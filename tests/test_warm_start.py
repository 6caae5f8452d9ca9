"""A serving process imports scikit-learn and reads the assistant's model as it starts, so
the first request page does not wait for them; commands and tests never do."""

import gc

import pytest

import config.gunicorn
from triage.apps import serving_in_development
from triage.services import assistant


@pytest.mark.parametrize(
    ("argv", "environ", "serving"),
    [
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, True),  # the reloader's child
        (["manage.py", "runserver", "--noreload"], {}, True),
        (["manage.py", "runserver"], {}, False),  # the reloader itself serves nothing
        (["manage.py", "migrate"], {"RUN_MAIN": "true"}, False),
        (["manage.py", "db_worker"], {}, False),
        (["pytest"], {}, False),
    ],
)
def test_only_the_development_server_warms_up(argv, environ, serving):
    assert serving_in_development(argv, environ) is serving


def test_each_gunicorn_worker_warms_the_assistant_before_it_serves(monkeypatch):
    called = []
    monkeypatch.setattr(assistant, "warm", lambda: called.append(True))
    try:
        config.gunicorn.post_worker_init(worker=None)

        assert called == [True]
        # ...and then puts what it loaded out of the collector's way.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


@pytest.mark.django_db
def test_warming_reads_the_model_in_use(monkeypatch):
    monkeypatch.setattr(assistant, "_default", None)

    assistant.warm()

    assert assistant._default is not None and assistant._default[1] is not None
