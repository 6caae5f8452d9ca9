"""Errors as JSON a program can act on: `{"detail": "...", "code": "..."}` and, for invalid
input, the fields with their messages."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "This conflicts with the current state."
    default_code = "conflict"


# Django's own Http404 and PermissionDenied, which DRF answers but carry no code.
STATUS_CODES = {403: "permission_denied", 404: "not_found"}


def exception_handler(error, context):
    response = drf_handler(error, context)
    if response is None:
        return None  # a real bug: Django's 500 handler (logged), never a traceback to users
    if isinstance(error, exceptions.ValidationError):
        response.data = {
            "detail": "Invalid input.",
            "code": "invalid",
            "errors": response.data,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = error.detail if isinstance(error, exceptions.APIException) else None
        code = getattr(detail, "code", None) or STATUS_CODES.get(response.status_code, "error")
        response.data = {"detail": str(response.data["detail"]), "code": code} | {
            k: v for k, v in response.data.items() if k != "detail"
        }
    return response
