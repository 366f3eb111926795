"""Forms of the intake pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from taizhang.intake.models import Channel, Opinion, Place
from taizhang.intake.services import MAX_PHOTOS, MAX_TEXT, OpinionInput
from taizhang.ledger.models import Category
from taizhang.org.models import Unit


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input (Django's documented pattern); the service checks what they are."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class OpinionForm(forms.Form):
    text = forms.CharField(
        label=_("What should be fixed or improved?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": _(
                    "e.g. The street lamps on the east side of living area 3 have been out for a week."
                ),
            }
        ),
    )
    place_text = forms.CharField(label=_("Where?"), max_length=200, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit concerned"), queryset=Unit.objects.none(), required=False, empty_label=_("— not sure —")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("— let us suggest —"),
    )
    photos = MultipleImageField(label=format_lazy(_("Photos (up to {max})"), max=MAX_PHOTOS), required=False)
    anonymous = forms.BooleanField(
        label=_("Submit anonymously (nothing about you is stored)"), required=False
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    place = forms.CharField(widget=forms.HiddenInput, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if signed_in:
            self.fields["anonymous"].label = _("Submit anonymously (your name is not stored with it)")

    def place_object(self) -> Place | None:
        code = self.cleaned_data.get("place") or ""
        return Place.objects.filter(code=code, is_active=True).first() if code else None

    def to_input(self, channel: str) -> OpinionInput:
        data = self.cleaned_data
        return OpinionInput(
            text=data["text"],
            channel=channel,
            anonymous=bool(data.get("anonymous")),
            place=self.place_object(),
            place_text=data.get("place_text") or "",
            unit=data.get("unit"),
            category=data.get("category"),
            contact_name=data.get("contact_name") or "",
            contact_phone=data.get("contact_phone") or "",
        )


def channel_for(place: Place | None) -> str:
    return Channel.QR if place is not None else Channel.WEB


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "placeholder": "ABCDE-FGHJK"}
        ),
    )


class AdditionForm(forms.Form):
    text = forms.CharField(
        label=_("Add to your opinion"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Answer / reason (the submitter reads it)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttachForm(forms.Form):
    problem = forms.CharField(label=_("Problem code"), max_length=30)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Receipt code of the opinion it repeats"), max_length=20)


class OpinionFilterForm(forms.Form):
    state = forms.ChoiceField(choices=Opinion.State.choices, required=False)
    q = forms.CharField(required=False, max_length=100)


class TriageFilterForm(forms.Form):
    """The triage desk's filters: the search box and what an opinion says about itself."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Search")}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), empty_label=_("Any category")
    )
    place = forms.ModelChoiceField(
        label=_("Place"),
        required=False,
        queryset=Place.objects.filter(is_active=True),
        empty_label=_("Any place"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit concerned"),
        required=False,
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("Any unit"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        """`units`: the units whose opinions the person triages; only they and their places are offered."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["place"].queryset = Place.objects.filter(is_active=True, unit__in=units)  # type: ignore[attr-defined]
