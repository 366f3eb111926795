from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from taizhang.core.admin import ConfigurationAdmin
from taizhang.org import services
from taizhang.org.models import Person, RoleAssignment, Unit


@admin.register(Unit)
class UnitAdmin(ConfigurationAdmin[Unit]):
    list_display = ("indented_name", "code", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit: Unit) -> str:
        return "　" * unit.depth + unit.name

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        # The materialised path is maintained by the services, never by the form.
        if not change:
            created = services.unit_create(
                name=obj.name, code=obj.code, parent=obj.parent, kind=obj.kind, sort_order=obj.sort_order
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        previous = Unit.objects.get(pk=obj.pk)
        parent = obj.parent
        obj.parent = previous.parent
        obj.path, obj.depth = previous.path, previous.depth
        obj.save()
        if parent != previous.parent:
            services.unit_move(unit=obj, new_parent=parent)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # units are deactivated, never deleted: the ledger refers to them


class RoleInline(admin.TabularInline[RoleAssignment, Person]):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ("unit",)


@admin.register(Person)
class PersonAdmin(UserAdmin[Person], ConfigurationAdmin[Person]):
    list_display = ("username", "name", "unit", "title", "is_active")
    list_filter = ("is_active", "is_staff", "roles__role")
    search_fields = ("username", "name", "title")
    inlines = (RoleInline,)
    autocomplete_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "unit", "title", "phone", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser makes superusers: an administrator cannot raise anyone (or themself) above admin.
        fields = super().get_readonly_fields(request, obj)
        if not (isinstance(request.user, Person) and request.user.is_superuser):
            return (*fields, "is_superuser", "is_staff")
        return fields

    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "unit", "password1", "password2")}),
    )
