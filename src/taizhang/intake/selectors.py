"""Reads of opinions, scoped: supervisors over the opinion's unit; everyone their own."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from taizhang.intake.models import Opinion
from taizhang.org.models import Person, Role
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


def my_opinions(user: AnyUser) -> QuerySet[Opinion]:
    if not user.is_authenticated:
        return Opinion.objects.none()
    return (
        Opinion.objects.filter(submitter_id=user.pk).select_related("problem", "unit").order_by("-created_at")
    )
