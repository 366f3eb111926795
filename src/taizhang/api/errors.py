"""The one error format of the JSON API, and the one place domain errors become responses.

{"error": {"code": "wrong_state", "message": "…in the caller's language…", "fields": {"title": ["…"]}}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from taizhang.core.errors import DomainError, InvalidInput

logger = logging.getLogger(__name__)


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class ErrorOut(Schema):
    error: ErrorBody


#: 429 comes from the rate limiter (middleware.py) in the same format.
ERROR_STATUSES = (400, 401, 403, 404, 409, 429)
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys(ERROR_STATUSES, ErrorOut)


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return api.create_response(request, body, status=status)


def _validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "payload", "query", "path", "form", "filters")
        ]
        fields.setdefault(".".join(location) or "request", []).append(str(error.get("msg", "")))
    return fields


def install(api: NinjaAPI) -> None:
    """Register the handlers: every error of every endpoint leaves through here."""

    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        fields = (
            {name: [str(message) for message in messages] for name, messages in exc.errors.items()}
            if isinstance(exc, InvalidInput)
            else {}
        )
        return error_response(
            api, request, status=exc.http_status, code=exc.code, message=str(exc.message), fields=fields
        )

    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(
            api,
            request,
            status=400,
            code="invalid_input",
            message=_("The request is not valid; see the fields."),
            fields=_validation_fields(list(exc.errors)),
        )

    def authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("Sign in, or send a valid API token (Bearer).")
        return error_response(api, request, status=401, code="not_authenticated", message=message)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {403: "not_permitted", 404: "not_found", 405: "method_not_allowed"}
        code = codes.get(exc.status_code, "invalid")
        return error_response(api, request, status=exc.status_code, code=code, message=str(exc.message))

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=_("Not found."))

    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        message = _("Something went wrong on our side.")
        return error_response(api, request, status=500, code="server_error", message=message)

    api.add_exception_handler(DomainError, domain)  # type: ignore[arg-type]  # ninja types handlers loosely
    api.add_exception_handler(ValidationError, validation)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, authentication)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, not_found)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, unexpected)  # type: ignore[arg-type]
