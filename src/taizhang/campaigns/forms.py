"""Forms of the campaign pages: they parse what people typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taizhang.campaigns.models import (
    ContactPoint,
    DocumentKind,
    ItemKind,
    MeetingKind,
    StudyKind,
    StudySession,
)
from taizhang.campaigns.services import (
    MAX_DOCUMENT,
    MAX_TEXT,
    MeetingInput,
    StudyInput,
    VisitInput,
    VisitOpinionInput,
)
from taizhang.ledger.forms import DATE, staff_people
from taizhang.ledger.models import Category
from taizhang.org.models import Person, Role, Unit


def _people() -> QuerySet[Person]:
    return Person.objects.filter(is_active=True).select_related("unit").order_by("unit__path", "name")


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]  # django-stubs: ModelChoiceField is generic only in the stubs
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        unit = person.unit.name if person.unit else ""
        return f"{person.display_name}（{unit}）" if unit else person.display_name


class PeopleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # as above
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        unit = person.unit.name if person.unit else ""
        return f"{person.display_name}（{unit}）" if unit else person.display_name


def _multiline(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ContactPointForm(forms.Form):
    leader = PersonChoice(label=pgettext_lazy("contact point", "Leader"), queryset=Person.objects.none())
    unit = forms.ModelChoiceField(label=_("Grassroots unit"), queryset=Unit.objects.none())
    since = forms.DateField(label=_("Since"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_people(Role.LEADER)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class VisitForm(forms.Form):
    contact_point = forms.ModelChoiceField(label=_("Contact point"), queryset=ContactPoint.objects.none())
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    people_met = forms.CharField(
        label=_("People met"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("Names and positions of the people you talked with")}
        ),
    )
    raised = forms.CharField(
        label=_("What was raised"), max_length=MAX_TEXT, required=False, widget=_multiline()
    )

    def __init__(self, *args: Any, points: QuerySet[ContactPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["contact_point"]
        field.queryset = points  # type: ignore[attr-defined]
        field.label_from_instance = lambda point: f"{point.leader.display_name} → {point.unit.name}"  # type: ignore[attr-defined]

    def to_input(self) -> VisitInput:
        data = self.cleaned_data
        return VisitInput(
            visited_on=data["visited_on"], people_met=data["people_met"], raised=data.get("raised") or ""
        )


class VisitOpinionForm(forms.Form):
    text = forms.CharField(label=_("What they said"), max_length=MAX_TEXT, widget=_multiline(4))
    contact_name = forms.CharField(label=_("Who said it (the person met)"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("Their phone (optional)"), max_length=30, required=False)
    anonymous = forms.BooleanField(
        label=_(
            "They asked not to be named (nothing about them is stored, "
            "and the opinion is not linked to this visit)"
        ),
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit concerned"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— the contact point —"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("— the desk decides —"),
    )
    place_text = forms.CharField(label=_("Where?"), max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def to_input(self) -> VisitOpinionInput:
        data = self.cleaned_data
        return VisitOpinionInput(
            text=data["text"],
            unit=data.get("unit"),
            category=data.get("category"),
            place_text=data.get("place_text") or "",
            contact_name=data.get("contact_name") or "",
            contact_phone=data.get("contact_phone") or "",
            anonymous=bool(data.get("anonymous")),
        )


class StudySessionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Organised by"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=StudyKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    speaker = forms.CharField(label=_("Speaker"), max_length=100, required=False)
    attendees = PeopleChoice(
        label=_("Attendees"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    notes = forms.CharField(label=_("Notes"), max_length=MAX_TEXT, required=False, widget=_multiline())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = _people()  # type: ignore[attr-defined]

    def to_input(self) -> StudyInput:
        data = self.cleaned_data
        return StudyInput(
            unit=data["unit"],
            kind=data["kind"],
            topic=data["topic"],
            held_on=data["held_on"],
            speaker=data.get("speaker") or "",
            notes=data.get("notes") or "",
            attendees=tuple(data.get("attendees") or ()),
        )


class ReflectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Your reflection"), max_length=MAX_DOCUMENT, widget=_multiline(12))
    session = forms.ModelChoiceField(
        label=_("After the study session"),
        queryset=StudySession.objects.none(),
        required=False,
        empty_label=_("— none in particular —"),
    )

    def __init__(self, *args: Any, sessions: QuerySet[StudySession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Held by"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    attendees = PeopleChoice(
        label=_("Attendees"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    guests = forms.CharField(
        label=_("Other attendees (no login), e.g. the higher supervision group"),
        max_length=MAX_TEXT,
        required=False,
        widget=_multiline(2),
    )
    minutes = forms.CharField(
        label=_("Minutes"), max_length=MAX_DOCUMENT, required=False, widget=_multiline(6)
    )
    ordinary = forms.BooleanField(
        label=_("An ordinary meeting, not part of the campaign (it still counts in the meeting figures)"),
        required=False,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = _people()  # type: ignore[attr-defined]

    def to_input(self) -> MeetingInput:
        data = self.cleaned_data
        return MeetingInput(
            unit=data["unit"],
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            place=data.get("place") or "",
            attendees=tuple(data.get("attendees") or ()),
            guests=data.get("guests") or "",
            minutes=data.get("minutes") or "",
        )


class MeetingItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)
    speaker = PersonChoice(label=_("Said by"), queryset=Person.objects.none(), required=False)
    speaker_name = forms.CharField(
        label=_("…or the name of a guest who said it"), max_length=100, required=False
    )
    subject = PersonChoice(label=_("Addressed to"), queryset=Person.objects.none(), required=False)
    text = forms.CharField(label=_("What was said"), max_length=MAX_TEXT, widget=_multiline(3))

    def __init__(self, *args: Any, attendees: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = attendees  # type: ignore[attr-defined]
        self.fields["subject"].queryset = attendees  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    text = forms.CharField(label=_("Text (first draft)"), max_length=MAX_DOCUMENT, widget=_multiline(14))
    note = forms.CharField(label=_("Note"), max_length=MAX_TEXT, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RevisionForm(forms.Form):
    text = forms.CharField(label=_("Rewritten text"), max_length=MAX_DOCUMENT, widget=_multiline(16))
    note = forms.CharField(
        label=_("What changed, and why"), max_length=MAX_TEXT, required=False, widget=_multiline(2)
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=MAX_TEXT, widget=_multiline(3))


class ApproveForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=MAX_TEXT, required=False, widget=_multiline(2))


class DiffForm(forms.Form):
    a = forms.IntegerField(label=_("From revision"), min_value=1)
    b = forms.IntegerField(label=_("To revision"), min_value=1)
