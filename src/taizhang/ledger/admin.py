from __future__ import annotations

from django.contrib import admin

from taizhang.core.admin import ConfigurationAdmin, ReadOnlyAdmin
from taizhang.ledger.models import Category, Event, Problem


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
