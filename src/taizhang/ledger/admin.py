from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from taizhang.core.admin import ConfigurationAdmin, ReadOnlyAdmin
from taizhang.ledger.integrity import verify_report
from taizhang.ledger.models import Category, ChainCheck, Event, Problem


@admin.register(Category)
class CategoryAdmin(ConfigurationAdmin[Category]):
    list_display = ("name", "group", "achievement_verb", "measure_word", "evidence_required", "deadline_days")
    list_filter = ("group", "evidence_required")
    search_fields = ("name", "code")


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin[Problem]):
    list_display = ("code", "title", "category", "lead_unit", "state", "deadline")
    list_filter = ("state", "category")
    search_fields = ("code", "title")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin[Event]):
    list_display = ("problem", "seq", "kind", "actor_role", "at")
    list_filter = ("kind",)


@admin.register(ChainCheck)
class ChainCheckAdmin(ReadOnlyAdmin[ChainCheck]):
    """The admin's `taizhang verify`: every problem's chain checked, each break listed (docs/integrity.md)."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = verify_report()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Event chain check"),
            "report": report,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/ledger/chaincheck/report.html", context)
