"""Django admin access for the organisation's administrators (role "admin"), not only for superusers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from taizhang.org.models import Person, Role
from taizhang.org.scope import scope_of


def is_administrator(request: HttpRequest) -> bool:
    user = request.user
    return (
        isinstance(user, Person)
        and user.is_active
        and (user.is_superuser or scope_of(user).has_role(Role.ADMIN))
    )


class ConfigurationAdmin[M: Model](admin.ModelAdmin[M]):
    """Configuration (units, people, categories, places, campaigns): administrators may change it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)


class ReadOnlyAdmin[M: Model](admin.ModelAdmin[M]):
    """Records that change only through the services (problems, events, opinions): administrators look."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
