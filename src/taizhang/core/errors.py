"""Domain errors: services raise them, each interface (web, JSON API, Open311) maps them in one place."""

from __future__ import annotations

from django.utils.functional import Promise

type Message = str | Promise


class DomainError(Exception):
    """A rule refused the request; nothing was written."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: Message, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    """Input that fails validation, with the field it concerns when there is one."""

    code = "invalid_input"

    def __init__(
        self,
        message: Message,
        *,
        field: str | None = None,
        code: str | None = None,
        errors: dict[str, list[Message]] | None = None,
    ) -> None:
        super().__init__(message, code=code, field=field)
        self.errors: dict[str, list[Message]] = errors or ({field: [message]} if field else {})


class NotPermitted(DomainError):
    """The person may not do this (or may not see the object at all)."""

    code = "not_permitted"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class Conflict(DomainError):
    """Someone else changed the object since the caller read it (optimistic locking)."""

    code = "conflict"
    http_status = 409
