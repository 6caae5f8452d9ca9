"""Logs a machine can read: one JSON object per line, each carrying the id of the request
that wrote it, so a line from a view, the ORM or a service can be traced back to its request
(and, with X-Request-ID from the proxy, to the proxy's line too)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# A proxy's id is kept only when it is a plain token: it goes into every line and a header.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")

# The attributes every LogRecord has; anything else was passed in `extra=` and is logged.
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    # Django's request logger passes the request itself: its repr carries the query string
    # (what someone searched for). The request id and the request line already say which.
    "request",
}


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request_id,
    pid, the `extra=` fields, and the traceback as one string when there is one. The pid
    tells apart gunicorn's workers, which share one name in a process manager's output and
    may log the same line in the same millisecond (each one's start-up, say)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an extra that is not JSON (a date, a model) is logged, not a crash.
        return json.dumps(entry, default=str, ensure_ascii=False)


request_log = logging.getLogger("triage.request")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when it is a plain token), answers
    it in the X-Request-ID header, and logs one line per request: method, path, status and
    time taken. The path only, never the query string, which may hold what someone searched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SAFE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
