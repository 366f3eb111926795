"""Reads of opinions, scoped: supervisors over the opinion's unit; everyone their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from taizhang.core import hooks
from taizhang.intake.models import Opinion
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser


def opinions_visible_to(user: AnyUser) -> QuerySet[Opinion]:
    """Opinions a person may read: their own, and all of a unit subtree they supervise (the triage desk).

    Anonymous visitors see none here; they follow their opinion by receipt code.
    """
    if not user.is_authenticated:
        return Opinion.objects.none()
    scope = scope_of(user)
    if scope.is_superuser:
        return Opinion.objects.all()
    return Opinion.objects.filter(scope.unit_q((Role.SUPERVISOR,), "unit__path") | Q(submitter_id=user.pk))


def triage_units(user: AnyUser) -> QuerySet[Unit]:
    """The units whose opinions the person triages (a supervisor's subtrees)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(scope_of(user).unit_q((Role.SUPERVISOR,), "path"))


def triage_queue(user: AnyUser, *, state: str = Opinion.State.NEW) -> QuerySet[Opinion]:
    """The triage desk: opinions of the supervisor's units in the given state, oldest first."""
    if not user.is_authenticated:
        return Opinion.objects.none()
    scope = scope_of(user)
    opinions = (
        Opinion.objects.all()
        if scope.is_superuser
        else Opinion.objects.filter(scope.unit_ids_q((Role.SUPERVISOR,), "unit_id"))
    )
    return (
        opinions.filter(state=state)
        .select_related("unit", "place", "category", "problem")
        .prefetch_related("photos")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class TriageFilter:
    category_id: int | None = None
    place_id: int | None = None
    unit: Unit | None = None  # the unit concerned's subtree
    channel: str = ""
    text: str = ""


def triage_list(user: AnyUser, filters: TriageFilter | None = None) -> QuerySet[Opinion]:
    """The triage desk's list: the person's queue, narrowed by the filters; with a text, best match first."""
    filters = filters or TriageFilter()
    opinions = triage_queue(user)
    if filters.category_id:
        opinions = opinions.filter(category_id=filters.category_id)
    if filters.place_id:
        opinions = opinions.filter(place_id=filters.place_id)
    if filters.unit is not None:
        opinions = opinions.filter(unit__path__startswith=filters.unit.path)
    if filters.channel:
        opinions = opinions.filter(channel=filters.channel)
    text = filters.text.strip()
    if text:  # full-text and ranked when the search app provides it, else a substring filter
        matched = hooks.match_text(opinions, text, user)
        if matched is not None:
            return cast(QuerySet[Opinion], matched)
        opinions = opinions.filter(Q(text__icontains=text) | Q(place_text__icontains=text))
    return opinions


def my_opinions(user: AnyUser) -> QuerySet[Opinion]:
    if not user.is_authenticated:
        return Opinion.objects.none()
    return (
        Opinion.objects.filter(submitter_id=user.pk).select_related("problem", "unit").order_by("-created_at")
    )
