"""Forms of the import pages: the upload, and the mapping and options the person corrects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from taizhang.excel.mapping import FIELD_LABELS, Field
from taizhang.excel.models import ImportJob, ImportMode
from taizhang.excel.opinion_import import IMPORTABLE_CHANNELS
from taizhang.intake.models import Channel
from taizhang.ledger.models import Category

IGNORE = ""


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file"), help_text=_(".xlsx, .xls or .csv (UTF-8 or GBK), with a header row")
    )


class OpinionImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of opinions"),
        help_text=_(
            ".xlsx, .xls or .csv (UTF-8 or GBK), with a header row: 诉求内容 and 来电时间, 地点, 来电人 …"
        ),
    )
    channel = forms.ChoiceField(
        label=_("Channel of rows without one"),
        choices=[(channel.value, channel.label) for channel in IMPORTABLE_CHANNELS],
        initial=Channel.HOTLINE.value,
    )
    check_only = forms.BooleanField(label=_("Only check, write nothing"), required=False)


class MappingForm(forms.Form):
    """One choice per column of the file (which field it fills, or none), then the import's options."""

    year = forms.IntegerField(
        label=_("The ledger's year"),
        min_value=1950,
        max_value=2100,
        help_text=_("Completes dates written without a year, such as 9月底前 or 10月中旬."),
    )
    ledger_name = forms.CharField(
        label=_("Ledger name"),
        max_length=200,
        required=False,
        help_text=_("Identifies this ledger: importing it again under the same name updates its items."),
    )
    default_category = forms.ModelChoiceField(
        label=_("Category for rows without one"), queryset=Category.objects.none(), required=False
    )
    mode = forms.ChoiceField(label=_("How to import"), choices=ImportMode.choices, widget=forms.RadioSelect)
    create_missing = forms.BooleanField(
        label=_("Create the units, people and categories the file names that do not exist yet"),
        required=False,
    )

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        if len(job.sheet_names) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Sheet"),
                choices=[(name, name) for name in job.sheet_names],
                initial=job.sheet,
                help_text=_("Another sheet is read with the mapping proposed for its own header."),
            )
        default_category: Any = self.fields["default_category"]
        default_category.queryset = Category.objects.filter(is_active=True)
        choices = [(IGNORE, _("— not imported —")), *((f.value, FIELD_LABELS[f]) for f in Field)]
        self.columns: list[tuple[str, str, str]] = []
        for index, header in enumerate(job.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=f"{get_column_letter(index + 1)} {header}",
                choices=choices,
                required=False,
                initial=job.mapping.get(str(index), IGNORE),
            )
            self.columns.append((name, get_column_letter(index + 1), header))
        self.initial.setdefault("year", job.options.get("year"))
        self.initial.setdefault("ledger_name", job.options.get("ledger_name", ""))
        self.initial.setdefault("mode", job.options.get("mode", ImportMode.ATOMIC))
        self.initial.setdefault("create_missing", job.options.get("create_missing", False))
        self.initial.setdefault("default_category", job.options.get("default_category"))

    def column_fields(self) -> list[tuple[forms.BoundField, str, str]]:
        return [(self[name], letter, header) for name, letter, header in self.columns]

    def mapping(self) -> dict[int, Field]:
        return {
            index: Field(self.cleaned_data[name])
            for index, (name, _letter, _header) in enumerate(self.columns)
            if self.cleaned_data.get(name)
        }
