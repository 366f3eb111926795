"""Which units a person's reports may cover: the one place that answers it for measures, rankings, the
dashboard, expenses and printed reports.

Reports show whole units, so they need a staff role (handler, unit leader, supervisor, admin) over the unit;
an employee's own submissions are not a unit's figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from taizhang.core.errors import NotPermitted
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import everything, nothing, scope_of

type AnyUser = Person | AnonymousUser

REPORT_ROLES = (Role.HANDLER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class UnitScope:
    """Unit subtrees by their materialised paths; `everything` for superusers (no filter at all)."""

    paths: tuple[str, ...]
    everything: bool = False

    def q(self, field_name: str) -> Q:
        """Rows whose `field_name` (a Unit path lookup) lies in the scope; for `everything` a filter that
        stays "everything" when OR-ed with another (not an empty `Q()`, which OR drops)."""
        if self.everything:
            return everything()
        query = nothing()
        for path in self.paths:
            query |= Q(**{f"{field_name}__startswith": path})
        return query

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(mine) for mine in self.paths)

    def units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(self.q("path"))


def _top_paths(paths: set[str]) -> tuple[str, ...]:
    """Drop paths inside another path of the set, so no subtree is counted twice."""
    return tuple(sorted(p for p in paths if not any(p != o and p.startswith(o) for o in paths)))


def may_report(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    scope = scope_of(user)
    return scope.is_superuser or any(scope.has_role(role) for role in REPORT_ROLES)


def report_scope(user: AnyUser, unit: Unit | None = None) -> UnitScope:
    """The subtrees the person's report covers: `unit`'s, or all of theirs. NotPermitted outside them."""
    if not may_report(user):
        raise NotPermitted(_("Reports are for handlers, unit leaders, supervisors and administrators."))
    scope = scope_of(user)
    if unit is not None:
        if not (scope.is_superuser or any(scope.covers(role, unit.path) for role in REPORT_ROLES)):
            raise NotPermitted(_("%(unit)s is outside the units you work for.") % {"unit": unit.name})
        return _subtrees((unit.path,))
    if scope.is_superuser:
        return UnitScope(paths=(), everything=True)
    return _subtrees(_top_paths({p for role in REPORT_ROLES for p in scope.paths.get(role, ())}))


def _subtrees(paths: tuple[str, ...]) -> UnitScope:
    """Subtrees that hold every unit are `everything`: the reads then filter on no unit at all (an index
    range over the rows instead of a list of every unit id)."""
    scope = UnitScope(paths=paths)
    if paths and not Unit.objects.exclude(scope.q("path")).exists():
        return UnitScope(paths=paths, everything=True)
    return scope


def report_units(user: AnyUser) -> QuerySet[Unit]:
    """Every unit the person may pick for a report (for filter menus)."""
    if not may_report(user):
        return Unit.objects.none()
    return report_scope(user).units().filter(is_active=True).order_by("path")


def top_unit(user: AnyUser) -> Unit | None:
    """The unit a person's reports start from: the highest of their scope (the enterprise for superusers)."""
    return report_units(user).order_by("depth", "path").first()
