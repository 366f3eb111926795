"""For the menu: `{{ unread_notifications }}` (the person's unread count, one indexed query) and
`{{ supervises }}` (whether to show the urge desk, extension and look-back queues). Both lazy: a page that
does not show them does not pay for them."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from taizhang.org.models import Role
from taizhang.org.scope import scope_of
from taizhang.supervision.selectors import unread_count
from taizhang.web.auth import user_of


def notifications(request: HttpRequest) -> dict[str, object]:
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user_of(request))),
        "supervises": SimpleLazyObject(lambda: _supervises(request)),
    }


def _supervises(request: HttpRequest) -> bool:
    scope = scope_of(user_of(request))
    return scope.is_superuser or scope.has_role(Role.SUPERVISOR)
