from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from taizhang.ledger.selectors import STAFF_ROLES
from taizhang.org.models import Person, Role
from taizhang.org.scope import scope_of

__all__ = ["STAFF_ROLES", "has_any_role", "role_required", "user_of"]


def user_of(request: HttpRequest) -> Person | AnonymousUser:
    """The request's user with the project's own types (the auth middleware sets one of these)."""
    user = request.user
    if isinstance(user, Person | AnonymousUser):
        return user
    raise TypeError(f"unexpected user type {type(user)!r}")


def has_any_role(user: Person | AnonymousUser, roles: tuple[Role, ...]) -> bool:
    """The person holds one of `roles` over some unit (administrators hold every role)."""
    if not user.is_authenticated:
        return False
    scope = scope_of(user)
    return scope.is_superuser or any(scope.has_role(role) for role in roles)


def role_required[V: Callable[..., HttpResponseBase]](*roles: Role) -> Callable[[V], V]:
    """A page for people holding one of `roles` somewhere: anyone else gets 403 before anything is looked up,
    so the answer never depends on the object in the URL. Goes under `login_required`.

    Which objects the person then sees is still the selectors' scoping; this only keeps plain employees (and
    roles the page is not for) off work pages (see web/access.py)."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not has_any_role(user_of(request), roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(V, wrapped)

    return decorate
