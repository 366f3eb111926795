from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from taizhang.core.admin import ConfigurationAdmin, ReadOnlyAdmin
from taizhang.dispatch import services
from taizhang.dispatch.models import DispatchModel, DispatchRule


@admin.register(DispatchRule)
class DispatchRuleAdmin(ConfigurationAdmin[DispatchRule]):
    list_display = ("keyword", "place", "category", "unit", "overrides_model", "is_active")
    list_filter = ("overrides_model", "is_active")
    search_fields = ("keyword",)
    autocomplete_fields = ("place", "unit")

    # Waiting opinions are suggested again when the rules change (inside the admin's transaction).
    def save_model(self, request: HttpRequest, obj: DispatchRule, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.rules_changed()

    def delete_model(self, request: HttpRequest, obj: DispatchRule) -> None:
        super().delete_model(request, obj)
        services.rules_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DispatchRule]) -> None:
        super().delete_queryset(request, queryset)
        services.rules_changed()


@admin.register(DispatchModel)
class DispatchModelAdmin(ReadOnlyAdmin[DispatchModel]):
    """Versions are made by `taizhang dispatch-train` (or the tick) and switched by `dispatch-rollback`."""

    list_display = (
        "version",
        "trained_at",
        "sample_count",
        "category_accuracy",
        "unit_accuracy",
        "is_active",
        "note",
    )
    exclude = ("payload",)
