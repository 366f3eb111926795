from __future__ import annotations

from django.contrib import admin

from taizhang.core.admin import ConfigurationAdmin, ReadOnlyAdmin
from taizhang.dispatch.models import DispatchModel, DispatchRule


@admin.register(DispatchRule)
class DispatchRuleAdmin(ConfigurationAdmin[DispatchRule]):
    list_display = ("keyword", "place", "category", "unit", "overrides_model", "is_active")
    list_filter = ("overrides_model", "is_active")
    search_fields = ("keyword",)
    autocomplete_fields = ("place", "unit")


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
