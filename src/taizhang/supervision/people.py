"""Who is told: the unit's people, its leaders, the supervision group over it, and that group's superior.

Roles are held over unit subtrees, so "the handlers over a unit" are the holders of the role on the unit or
any unit above it. Supervision is the nearest group: the supervisors on the deepest unit above the problem
that has any, so a branch's own supervision group is told before the enterprise's.

The superior of a supervision group (escalation level 2, 抄报上级) is the nearest group above it: the
supervisors on the nearest proper ancestor unit that has any; at the top, the leaders over the root unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from taizhang.ledger.models import Problem
from taizhang.org.models import Person, Role, RoleAssignment, Unit


def ancestor_paths(path: str) -> list[str]:
    """ "/1/4/9/" → ["/1/", "/1/4/", "/1/4/9/"] (the unit itself last)."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[: index + 1]) + "/" for index in range(len(parts))]


def holders(role: Role, unit: Unit) -> QuerySet[Person]:
    """Active people holding `role` over `unit` (on it or on a unit above it)."""
    return Person.objects.filter(
        is_active=True, roles__role=role, roles__unit__path__in=ancestor_paths(unit.path)
    ).distinct()


def _unique(people: Iterable[Person | None]) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in people:
        if person is not None and person.is_active and person.pk not in seen:
            seen[person.pk] = person
    return list(seen.values())


def unit_workers(problem: Problem) -> list[Person]:
    """Who works the item: its responsible person and the handlers over the lead unit; failing those, the
    leaders (someone must receive the notice)."""
    people = _unique([problem.owner, *holders(Role.HANDLER, problem.lead_unit)])
    return people or unit_leaders(problem)


def unit_leaders(problem: Problem) -> list[Person]:
    """The responsible leader (责任领导) and the leaders over the lead unit."""
    return _unique([problem.leader, *holders(Role.LEADER, problem.lead_unit)])


def supervision_unit(unit: Unit) -> Unit | None:
    """The deepest unit at or above `unit` on which someone holds the supervisor role."""
    paths = ancestor_paths(unit.path)
    found = (
        RoleAssignment.objects.filter(role=Role.SUPERVISOR, unit__path__in=paths, person__is_active=True)
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    return found.unit if found else None


def supervisors_on(unit: Unit) -> list[Person]:
    return list(
        Person.objects.filter(is_active=True, roles__role=Role.SUPERVISOR, roles__unit=unit).distinct()
    )


def supervisors_for(problem: Problem) -> list[Person]:
    """The nearest supervision group over the problem's lead unit."""
    unit = supervision_unit(problem.lead_unit)
    return supervisors_on(unit) if unit else []


def issuing_unit(person: Person | None, problem: Problem) -> Unit | None:
    """The supervision unit a notice speaks for: the issuer's deepest supervisor scope over the problem, or
    (for a rule) the nearest supervision group."""
    if person is not None:
        paths = ancestor_paths(problem.lead_unit.path)
        found = (
            RoleAssignment.objects.filter(person=person, role=Role.SUPERVISOR, unit__path__in=paths)
            .select_related("unit")
            .order_by("-unit__depth")
            .first()
        )
        if found is not None:
            return found.unit
    return supervision_unit(problem.lead_unit)


def superiors(unit: Unit | None) -> list[Person]:
    """The supervisors above a supervision unit (nearest group first found), else the root's leaders."""
    if unit is not None:
        above = ancestor_paths(unit.path)[:-1]
        found = (
            RoleAssignment.objects.filter(role=Role.SUPERVISOR, unit__path__in=above, person__is_active=True)
            .select_related("unit")
            .order_by("-unit__depth")
            .first()
        )
        if found is not None:
            return supervisors_on(found.unit)
    root = Unit.objects.filter(parent__isnull=True).order_by("sort_order", "pk").first()
    if root is None:
        return []
    return list(Person.objects.filter(is_active=True, roles__role=Role.LEADER, roles__unit=root).distinct())
