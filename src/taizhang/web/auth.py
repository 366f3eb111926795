from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from taizhang.org.models import Person


def user_of(request: HttpRequest) -> Person | AnonymousUser:
    """The request's user with the project's own types (the auth middleware sets one of these)."""
    user = request.user
    if isinstance(user, Person | AnonymousUser):
        return user
    raise TypeError(f"unexpected user type {type(user)!r}")
