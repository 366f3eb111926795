from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    Document,
    Meeting,
    Phase,
    Reflection,
    Revision,
    StudySession,
    Visit,
)
from taizhang.campaigns.services import PhaseInput, phase_errors
from taizhang.core.admin import ConfigurationAdmin, ReadOnlyAdmin


class PhaseFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]  # django-stubs: generic only in the stubs
    """The phases as edited in the admin obey the same rule as `campaign_create` (one place for it)."""

    def clean(self) -> None:
        super().clean()
        campaign: Campaign = self.instance
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if any(not data.get("starts_on") or not data.get("ends_on") for data in kept):
            return  # the field errors already say what is missing
        kept.sort(key=lambda data: data.get("order") or 0)
        phases = [PhaseInput(data.get("name") or "", data["starts_on"], data["ends_on"]) for data in kept]
        if campaign.starts_on is not None and (
            errors := phase_errors(campaign.starts_on, campaign.ends_on, phases)
        ):
            raise ValidationError([str(error) for error in errors])


class PhaseInline(admin.TabularInline[Phase, Campaign]):
    model = Phase
    extra = 1
    formset = PhaseFormSet


@admin.register(Campaign)
class CampaignAdmin(ConfigurationAdmin[Campaign]):
    list_display = ("name", "starts_on", "ends_on", "organiser")
    inlines = (PhaseInline,)


# The campaign's records change only through the services; administrators look.


@admin.register(ContactPoint)
class ContactPointAdmin(ReadOnlyAdmin[ContactPoint]):
    list_display = ("leader", "unit", "campaign", "since")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin[Visit]):
    list_display = ("visited_on", "contact_point", "recorded_by")
    date_hierarchy = "visited_on"


@admin.register(StudySession)
class StudySessionAdmin(ReadOnlyAdmin[StudySession]):
    list_display = ("held_on", "topic", "kind", "unit")


@admin.register(Reflection)
class ReflectionAdmin(ReadOnlyAdmin[Reflection]):
    list_display = ("written_on", "title", "author", "unit")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin[Meeting]):
    list_display = ("held_on", "title", "kind", "unit")
    list_filter = ("kind",)
    date_hierarchy = "held_on"


class RevisionInline(admin.TabularInline[Revision, Document]):
    model = Revision
    fields = ("number", "created_at", "author", "note")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin[Document]):
    list_display = ("title", "kind", "author", "unit", "approved_at")
    inlines = (RevisionInline,)
