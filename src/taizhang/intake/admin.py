from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from taizhang.core.admin import ConfigurationAdmin, ReadOnlyAdmin
from taizhang.intake.models import Opinion, Place


@admin.register(Place)
class PlaceAdmin(ConfigurationAdmin[Place]):
    list_display = ("name", "code", "unit", "is_active", "posters")
    search_fields = ("name", "code")
    autocomplete_fields = ("unit",)

    @admin.display(description=_("QR poster"))
    def posters(self, place: Place) -> str:
        links = [
            (reverse("intake:place_poster", args=[place.code, kind]), kind.upper()) for kind in ("pdf", "png")
        ]
        return format_html_join(" ", '<a href="{}" target="_blank">{}</a>', links)


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin[Opinion]):
    """Read-only: opinions change through the triage desk, which records what it does."""

    list_display = ("receipt_display", "channel", "state", "unit", "created_at")
    list_filter = ("state", "channel")
    search_fields = ("text", "receipt_code")
    exclude = ("submitter", "contact_name", "contact_phone", "idempotency_key")
