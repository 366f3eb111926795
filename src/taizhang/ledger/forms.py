"""Forms of the ledger pages: they parse what people typed; the services and the workflow decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from taizhang.campaigns.models import Campaign
from taizhang.intake.forms import MultipleImageField
from taizhang.ledger.models import Category, Priority, Verdict
from taizhang.ledger.services import ProblemDraft, ReopenCause
from taizhang.ledger.workflow import STATE_LABELS, State
from taizhang.org.models import Person, Role, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TEXT = 4000


class MultipleEvidenceField(MultipleImageField):
    """Photos or documents (PDF, Word, Excel): the service checks what each file really is."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = "image/jpeg,image/png,image/webp,application/pdf,.docx,.xlsx"


def staff_people(*roles: Role) -> QuerySet[Person]:
    return (
        Person.objects.filter(is_active=True, roles__role__in=roles).distinct().order_by("unit__path", "name")
    )


class ProblemDraftForm(forms.Form):
    """The ledger row the triage desk fills in (立项)."""

    title = forms.CharField(label=_("Problem"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_TEXT
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.filter(is_active=True))
    source = forms.CharField(label=_("Source"), max_length=100, required=False)
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.filter(is_active=True))
    assisting_units = forms.ModelMultipleChoiceField(
        label=_("Assisting units"), required=False, queryset=Unit.objects.filter(is_active=True)
    )
    leader = forms.ModelChoiceField(
        label=_("Responsible leader"), required=False, queryset=Person.objects.none()
    )
    owner = forms.ModelChoiceField(
        label=_("Responsible person"), required=False, queryset=Person.objects.none()
    )
    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_TEXT
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    is_long_term = forms.BooleanField(label=_("Long-term (长期坚持)"), required=False)
    target_quantity = forms.IntegerField(label=_("Target quantity"), required=False, min_value=0)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    is_public = forms.BooleanField(label=_("Show on the public board"), required=False, initial=True)
    campaign = forms.ModelChoiceField(label=_("Campaign"), required=False, queryset=Campaign.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_people(Role.LEADER)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = staff_people(Role.HANDLER, Role.LEADER)  # type: ignore[attr-defined]

    def to_draft(self) -> ProblemDraft:
        data = self.cleaned_data
        campaign: Campaign | None = data.get("campaign")
        return ProblemDraft(
            title=data["title"],
            description=data.get("description") or "",
            category=data["category"],
            source=data.get("source") or "",
            lead_unit=data["lead_unit"],
            assisting_units=tuple(data.get("assisting_units") or ()),
            leader=data.get("leader"),
            owner=data.get("owner"),
            measures=data.get("measures") or "",
            deadline=data.get("deadline"),
            is_long_term=bool(data.get("is_long_term")),
            target_quantity=data.get("target_quantity"),
            priority=data.get("priority") or Priority.NORMAL,
            is_public=bool(data.get("is_public")),
            campaign_id=campaign.pk if campaign else None,
        )


class VersionedForm(forms.Form):
    """Every form that changes a problem carries the version the person saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NoteForm(VersionedForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=MAX_TEXT
    )


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT)


class ProgressForm(VersionedForm):
    note = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=MAX_TEXT
    )
    done_quantity = forms.IntegerField(label=_("Quantity done so far"), required=False, min_value=0)
    photos = MultipleImageField(label=_("Photos"), required=False)


class CloseoutForm(VersionedForm):
    completion_note = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT
    )
    done_quantity = forms.IntegerField(label=_("Quantity done"), required=False, min_value=0)
    evidence = MultipleEvidenceField(label=_("Evidence: before/after photos or a document"), required=False)


class VerifyForm(VersionedForm):
    note = forms.CharField(
        label=_("Verification note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=MAX_TEXT,
    )
    notice_days = forms.IntegerField(
        label=_("Public notice (days, 0 for none)"), required=False, min_value=0, max_value=90
    )


class LookBackForm(VersionedForm):
    holds = forms.TypedChoiceField(
        label=_("Result"),
        coerce=lambda value: value == "1",
        choices=(("1", _("The fix holds")), ("0", _("It regressed: reopen"))),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What you found"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT
    )
    photos = MultipleImageField(label=_("Photos"), required=False)


class ReopenForm(ReasonForm):
    cause = forms.ChoiceField(
        label=_("Why"),
        choices=(
            (ReopenCause.REGRESSED, _("The problem came back")),
            (ReopenCause.UNSATISFIED, _("The raisers are not satisfied")),
        ),
    )


class RatingForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Your verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=MAX_TEXT
    )


class ReassignForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("New lead unit"), queryset=Unit.objects.filter(is_active=True))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=MAX_TEXT)


class EditForm(VersionedForm):
    """The ledger fields; the service refuses the ones this person may not change."""

    title = forms.CharField(label=_("Problem"), max_length=200, required=False)
    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=MAX_TEXT
    )
    owner = forms.ModelChoiceField(
        label=_("Responsible person"), required=False, queryset=Person.objects.none()
    )
    target_quantity = forms.IntegerField(label=_("Target quantity"), required=False, min_value=0)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_people(Role.HANDLER, Role.LEADER)  # type: ignore[attr-defined]

    def changes(self, allowed: frozenset[str], current: dict[str, Any]) -> dict[str, Any]:
        """The fields the person filled in and may change, that differ from the current values."""
        found = {}
        for name in self.fields:
            if name == "version" or name not in allowed:
                continue
            value = self.cleaned_data.get(name)
            if value in (None, "") and name not in ("owner", "target_quantity"):
                continue
            if value != current.get(name):
                found[name] = value
        return found


class LedgerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Search")}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("Any unit"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), empty_label=_("Any category")
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *[(s.value, STATE_LABELS[s]) for s in State]],
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), required=False, queryset=Campaign.objects.all(), empty_label=_("Any campaign")
    )
    overdue = forms.BooleanField(label=_("Overdue"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            (key, key)
            for key in (
                "deadline",
                "-deadline",
                "code",
                "-code",
                "-updated_at",
                "updated_at",
                "-priority",
                "lead_unit__path",
            )
        ],
    )
