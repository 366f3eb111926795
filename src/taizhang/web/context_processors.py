from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from taizhang.intake.selectors import triage_queue
from taizhang.ledger.selectors import inbox_counts
from taizhang.org.models import Role
from taizhang.org.scope import scope_of
from taizhang.web.auth import user_of


class Menu:
    """The menu's counts, computed only if the page shows them, once per request."""

    def __init__(self, request: HttpRequest) -> None:
        self.user = user_of(request)

    @cached_property
    def is_supervisor(self) -> bool:
        if not self.user.is_authenticated:
            return False
        scope = scope_of(self.user)
        return scope.is_superuser or scope.has_role(Role.SUPERVISOR)

    @cached_property
    def is_staff(self) -> bool:
        return self.user.is_authenticated and scope_of(self.user).is_staff_anywhere()

    @cached_property
    def waiting(self) -> int:
        """Items waiting on this person (work merely in progress is not counted)."""
        counts = inbox_counts(self.user)
        return sum(count for key, count in counts.items() if key != "in_progress")

    @cached_property
    def triage(self) -> int:
        return triage_queue(self.user).count() if self.is_supervisor else 0


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_TITLE": settings.SITE_TITLE, "menu": Menu(request)}
