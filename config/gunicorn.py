"""gunicorn's settings file (Procfile: `gunicorn -c config/gunicorn.py`): gunicorn's own
lines (started, a worker booted, a worker timed out) in the app's log format, so a log
shipper reads one format. JSON unless LOG_FORMAT=text (or DEBUG on), as config/settings.py
decides. No access lines: the app logs one line per request itself, with its request id
(config/logs.py)."""

import gc
import os

_debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
_format = os.environ.get("LOG_FORMAT", "text" if _debug else "json").strip().lower()

if _format == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "config.logs.JsonFormatter"}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        # Not propagated: the app's own handler sits on the root, and a line is printed once.
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
        "root": {"level": "WARNING", "handlers": []},
    }


def post_worker_init(worker):
    """Each worker, once the app is loaded and before it serves: import scikit-learn and
    read the assistant's model (about two seconds), so no visitor's first request page pays
    for it. Not preload_app: the master would then open database connections its workers
    share.

    Then everything loaded so far (Django, scikit-learn, the model: about 200,000 objects
    that live as long as the worker) is moved out of the garbage collector's reach
    (gc.freeze): a full collection walked them all, about 150 ms on the page it landed on,
    one page in twenty."""
    from django.db import connections

    from triage.services import assistant

    try:
        assistant.warm()
    finally:
        connections.close_all()
        gc.collect()
        gc.freeze()
