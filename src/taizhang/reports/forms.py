"""Forms of the reports pages: the report filters, a month's expense figures, an import file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from taizhang.campaigns.models import Campaign
from taizhang.org.models import Unit
from taizhang.reports.models import ExpenseKind


class ReportFilterForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Unit"))
    campaign = forms.ModelChoiceField(queryset=Campaign.objects.all(), required=False, label=_("Campaign"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        unit_field.queryset = units

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return cleaned


class ExpenseMonthForm(forms.Form):
    """One field per active kind; blank removes a stored figure."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        kinds: list[ExpenseKind],
        counted: Mapping[int, Decimal] | None = None,
        **kwargs: Any,
    ) -> None:
        """`counted`: the figures counted from meeting records for the month shown (by kind id), shown
        read-only; the service refuses a figure entered for such a kind and month."""
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        unit_field.queryset = units
        self.kinds = kinds
        for kind in kinds:
            field = forms.CharField(
                label=f"{kind.name} ({kind.unit_of_measure})", required=False, max_length=30
            )
            if kind.meetings_from is not None:
                field.help_text = _("Counted from the meeting records from %(month)s on.") % {
                    "month": f"{kind.meetings_from:%Y-%m}"
                }
            if counted is not None and kind.pk in counted:
                field.disabled = True
                field.initial = f"{counted[kind.pk]:f}"
                field.help_text = _(
                    "Counted from the meeting records: the meetings the unit held this month."
                )
            self.fields[f"kind_{kind.pk}"] = field

    def figures(self) -> dict[int, str]:
        return {
            kind.pk: self.cleaned_data.get(f"kind_{kind.pk}") or ""
            for kind in self.kinds
            if not self.fields[f"kind_{kind.pk}"].disabled
        }


class ExpenseImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"), help_text=_("Columns: unit, month, kind, amount."))
    valid_rows_only = forms.BooleanField(
        label=_("Import the valid rows and skip the bad ones"), required=False
    )
