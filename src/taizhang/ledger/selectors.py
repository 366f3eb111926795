"""Reads of the ledger, every one starting from the scoping selectors below."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from taizhang.core import clock, hooks
from taizhang.core.counting import count_each
from taizhang.intake.models import Opinion
from taizhang.ledger.models import DeadlineExtension, Event, Problem, Rating
from taizhang.ledger.workflow import ACTIVE_STATES, State
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser

STAFF_ROLES = (Role.HANDLER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


def _work_scope_q(user: AnyUser) -> Q | None:
    """Problems the person works with or raised; None means everything (superuser)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    scope = scope_of(user)
    if scope.is_superuser:
        return None
    raised = Opinion.objects.filter(submitter_id=user.pk, problem__isnull=False).values("problem_id")
    if not scope.is_staff_anywhere():
        return Q(pk__in=raised)
    units = scope.unit_ids(STAFF_ROLES)
    if units is None:
        return None  # every unit lies in the person's subtrees: no filter at all
    return Q(pk__in=raised.union(_led_or_assisted_by(units), all=True))


def _led_or_assisted_by(units: list[int] | QuerySet[Unit, Any]) -> QuerySet[Problem]:
    """Ids of the problems these units lead or assist, as one subquery.

    A union of id sets, each read through its own index: ORed conditions (lead unit OR an EXISTS over the
    assisting units) make the database scan the whole ledger instead (3.6 s at 1M problems)."""
    led = Problem.objects.filter(lead_unit_id__in=units).values("pk")
    assisted = Problem.assisting_units.through.objects.filter(unit_id__in=units).values("problem_id")
    return cast(QuerySet[Problem], led.union(assisted, all=True))


def problems_in_scope(user: AnyUser) -> QuerySet[Problem]:
    """The ledger a person works with: their units' subtrees (lead or assisting) and what they raised.

    Employees see only the problems they raised here; the public board is `public_problems()`.
    """
    query = _work_scope_q(user)
    return Problem.objects.all() if query is None else Problem.objects.filter(query)


def problems_visible_to(user: AnyUser) -> QuerySet[Problem]:
    """Everything the person may open: their scope plus public problems."""
    query = _work_scope_q(user)
    return Problem.objects.all() if query is None else Problem.objects.filter(query | Q(is_public=True))


def public_problems() -> QuerySet[Problem]:
    return Problem.objects.filter(is_public=True).exclude(state=State.CANCELLED)


def can_see_internals(user: AnyUser, problem: Problem) -> bool:
    """Full history and internal notes: the person's work scope (not only the public board)."""
    query = _work_scope_q(user)
    return query is None or Problem.objects.filter(query, pk=problem.pk).exists()


@dataclass(frozen=True)
class LedgerFilter:
    unit: Unit | None = None  # the unit's subtree, lead or assisting
    category_id: int | None = None
    state: str | None = None
    overdue: bool = False
    campaign_id: int | None = None
    text: str = ""


def problem_list(user: AnyUser, filters: LedgerFilter | None = None) -> QuerySet[Problem]:
    filters = filters or LedgerFilter()
    problems = problems_in_scope(user)
    if filters.unit is not None:
        subtree = Unit.objects.filter(path__startswith=filters.unit.path).values("pk")
        problems = problems.filter(pk__in=_led_or_assisted_by(subtree))
    if filters.category_id:
        problems = problems.filter(category_id=filters.category_id)
    if filters.state:
        problems = problems.filter(state=filters.state)
    if filters.overdue:
        problems = overdue(problems, today=clock.today())
    if filters.campaign_id:
        problems = problems.filter(campaign_id=filters.campaign_id)
    if filters.text.strip():
        problems = _matching_text(problems, filters.text, user)
    return problems.select_related("lead_unit", "category", "leader", "owner")


def _matching_text(problems: QuerySet[Problem], text: str, user: AnyUser) -> QuerySet[Problem]:
    """Full-text and ranked (best first) when the search app provides it, else every word as a substring."""
    matched = hooks.match_text(problems, text, user)
    if matched is not None:
        return cast(QuerySet[Problem], matched)
    for word in text.split():
        problems = problems.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(code__iexact=word)
        )
    return problems


def overdue(problems: QuerySet[Problem], *, today: dt.date) -> QuerySet[Problem]:
    return problems.filter(state__in=[s.value for s in ACTIVE_STATES], deadline__lt=today)


def problem_timeline(problem: Problem) -> QuerySet[Event]:
    return problem.events.select_related("actor").order_by("seq")


@dataclass(frozen=True)
class InboxSection:
    key: str
    label: str
    condition: Q

    @property
    def problems(self) -> QuerySet[Problem]:
        return (
            Problem.objects.filter(self.condition)
            .select_related("lead_unit", "category")
            .order_by("deadline")
        )


def inbox(user: AnyUser) -> list[InboxSection]:
    """What waits on me: each section is work the workflow now expects from this person."""
    if not user.is_authenticated:
        return []
    scope = scope_of(user)
    # unit_ids_q answers as Scope.covers: a superuser supervises everything (everything(), safe under |)
    # but handles and leads only where they hold those roles or own/lead the item.
    working = (
        scope.unit_ids_q((Role.HANDLER, Role.LEADER), "lead_unit_id")
        | Q(owner_id=user.pk)
        | Q(leader_id=user.pk)
    )
    leading = scope.unit_ids_q((Role.LEADER,), "lead_unit_id") | Q(leader_id=user.pk)
    supervising = scope.unit_ids_q((Role.SUPERVISOR,), "lead_unit_id")
    # The problems this person raised, as ids (a person raises few): cheaper than a subquery per row.
    raised = Q(
        pk__in=Opinion.objects.filter(submitter_id=user.pk, problem__isnull=False).values("problem_id")
    )
    rated = Q(
        Exists(
            Rating.objects.filter(
                problem=OuterRef("pk"), round=OuterRef("closeout_round"), opinion__submitter_id=user.pk
            )
        )
    )
    pending_extension = Q(
        Exists(
            DeadlineExtension.objects.filter(problem=OuterRef("pk"), status=DeadlineExtension.Status.PENDING)
        )
    )
    return [
        InboxSection("to_start", _("To start"), working & Q(state=State.OPEN)),
        InboxSection("in_progress", _("In progress"), working & Q(state=State.IN_PROGRESS)),
        InboxSection(
            "to_sign",
            _("Close-outs to sign"),
            leading & Q(state=State.REVIEW, signed_at__isnull=True) & ~Q(closeout_requested_by_id=user.pk),
        ),
        InboxSection(
            "to_verify",
            _("Close-outs to verify"),
            supervising & Q(state=State.REVIEW, signed_at__isnull=False),
        ),
        InboxSection("returned", _("Returned, to reassign"), supervising & Q(state=State.RETURNED)),
        InboxSection("extensions", _("Extensions to decide"), supervising & pending_extension),
        InboxSection(
            "objections",
            _("Objections to decide"),
            supervising & Q(state=State.NOTICE, objection_pending=True),
        ),
        InboxSection(
            "to_rate", _("Fixes to rate"), raised & ~rated & Q(state__in=[State.REVIEW, State.NOTICE])
        ),
    ]


def inbox_counts(user: AnyUser) -> dict[str, int]:
    """Every section's count (the menu shows them on every page), each counted on its own, in one query:
    a section's condition is a state and a unit or person, which an index answers, where one aggregate
    over every unfinished problem reads all the conditions on each row (over a second at a million)."""
    sections = inbox(user)
    counts = count_each([Problem.objects.filter(section.condition) for section in sections])
    return {section.key: n for section, n in zip(sections, counts, strict=True)}
