"""The one place the web pages turn domain errors into what a person sees."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from taizhang.core.errors import DomainError, InvalidInput


def add_to_form(form: forms.Form, error: DomainError) -> None:
    """Field errors go next to their fields (when the form has them); the rest above the form."""
    if isinstance(error, InvalidInput) and error.errors:
        for field, field_messages in error.errors.items():
            target = field if field in form.fields else None
            for message in field_messages:
                form.add_error(target, str(message))
        return
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def attempt[T](
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: str | None = None,
    form: forms.Form | None = None,
) -> T | None:
    """Run a service call; on a domain error show it (on the form, or as a message) and return None."""
    try:
        result = action()
    except DomainError as error:
        if form is not None:
            add_to_form(form, error)
        else:
            messages.error(request, str(error.message))
        return None
    if success:
        messages.success(request, success)
    return result
