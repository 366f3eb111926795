from django.contrib import admin

from taizhang.reports.models import ExpenseKind, ExpenseRecord


@admin.register(ExpenseKind)
class ExpenseKindAdmin(admin.ModelAdmin[ExpenseKind]):
    """The kinds of figures the organisation tracks (公车运行费, 会议次数 …)."""

    list_display = (
        "name",
        "code",
        "unit_of_measure",
        "decimals",
        "lower_is_better",
        "sort_order",
        "is_active",
        "meetings_from",
    )
    list_editable = ("sort_order", "is_active")


@admin.register(ExpenseRecord)
class ExpenseRecordAdmin(admin.ModelAdmin[ExpenseRecord]):
    """Read-only here: figures are entered through the month form or an import, which check the unit."""

    list_display = ("month", "unit", "kind", "amount", "updated_at", "updated_by")
    list_filter = ("kind", "month")
    list_select_related = ("unit", "kind", "updated_by")
    date_hierarchy = "month"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: ExpenseRecord | None = None) -> bool:
        return False
