"""Request logging and the JSON log format (LOG_FORMAT=json; see docs/deploy.md).

Every request is logged once, by `RequestLogMiddleware`, on the `taizhang.request` logger: request id, method,
path, status and duration. Never the client's address, user agent, referrer, query string or person, and
a receipt code in a path (the only handle on an anonymous opinion) is masked: the logs must not let anyone tie
an anonymous opinion to whoever sent it. Every other record written while the request runs carries its id.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_logger = logging.getLogger("taizhang.request")

_current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# An id from the proxy in front (nginx's $request_id) is kept, so its log and ours can be joined.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Paths that hold a receipt code or an Open311 token: the code is masked, the shape of the path kept.
_SECRET_SEGMENTS = re.compile(
    r"(?P<prefix>/r/|/api/v1/opinions/|/open311/v2/requests/|/open311/v2/tokens/)(?P<secret>[^/.?]+)"
)

# The attributes every LogRecord has; anything else was passed in `extra=` and is ours to consider.
_RECORD_FIELDS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# Fields of `extra=` that are written to the JSON line. Django passes `request` and others: never written.
_EXTRA_FIELDS = ("method", "path", "status", "duration_ms")


def mask_path(path: str) -> str:
    return _SECRET_SEGMENTS.sub(lambda m: m.group("prefix") + "*", path)


def current_request_id() -> str | None:
    return _current_request_id.get()


NO_REQUEST = "-"


class RequestIdFilter(logging.Filter):
    """Puts the running request's id on every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, and for request
    records method, path, status and duration_ms. Messages are masked like paths."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_path(record.getMessage()),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id and request_id != NO_REQUEST:
            entry["request_id"] = request_id
        for field in _EXTRA_FIELDS:
            if field in record.__dict__ and field not in _RECORD_FIELDS:
                entry[field] = record.__dict__[field]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The human-readable format, masked the same way."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_path(super().format(record))


class RequestLogMiddleware:
    """First in the chain: times the whole request and logs it once when the response leaves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        token = _current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = mask_path(request.path)
            request_logger.info(
                "%s %s %s %.1fms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _current_request_id.reset(token)
