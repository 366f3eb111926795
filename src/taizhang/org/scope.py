"""What a person's roles cover: the one place that answers "is this unit within their scope?"."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from taizhang.org.models import Person, Role, Unit

type AnyUser = Person | AnonymousUser

#: The roles whose scope a superuser holds over the whole organisation (administrators act as supervisors).
SUPERUSER_ROLES = (Role.ADMIN, Role.SUPERVISOR)


def everything() -> Q:
    """A filter that matches every row and stays that way when combined: `everything() | q` is everything and
    `~everything()` is nothing. An empty `Q()` is not safe for this: `Q() | q` is just `q` (Django drops the
    empty side), so "everything or the person's own" silently became "only the person's own"."""
    return ~Q(pk__in=[])


def nothing() -> Q:
    """A filter that matches no row (`nothing() | q` is `q`, `~nothing()` is everything)."""
    return Q(pk__in=[])


_CACHE_ATTRIBUTE = "_taizhang_scope"


@dataclass(frozen=True)
class Scope:
    """Unit paths per role. Empty for anonymous visitors and for plain employees."""

    person_id: int | None
    home_unit_path: str | None
    paths: dict[Role, tuple[str, ...]] = field(default_factory=dict)
    is_superuser: bool = False
    _every_unit: tuple[tuple[int, str], ...] | None = field(default=None, compare=False, repr=False)

    def has_role(self, role: Role) -> bool:
        return (self.is_superuser and role == Role.ADMIN) or bool(self.paths.get(role))

    def covers(self, role: Role, unit_path: str) -> bool:
        if self.is_superuser and role in SUPERUSER_ROLES:
            return True
        return any(unit_path.startswith(path) for path in self.paths.get(role, ()))

    def roles_over(self, unit_path: str) -> set[Role]:
        return {role for role in Role if self.covers(role, unit_path)}

    def is_staff_anywhere(self) -> bool:
        return self.is_superuser or any(self.paths.values())

    def unit_q(self, roles: tuple[Role, ...], field_name: str) -> Q:
        """A filter matching rows whose `field_name` (a Unit path lookup) lies in the roles' subtrees.

        The same answer as `covers`: a superuser's administrator and supervisor scope is the whole
        organisation (`everything()`, safe to OR with other conditions); their handler or leader scope is
        only the units they hold those roles in. Never an empty `Q()`, which OR would silently drop.
        """
        if self.is_superuser and any(role in SUPERUSER_ROLES for role in roles):
            return everything()
        paths = {path for role in roles for path in self.paths.get(role, ())}
        query = nothing()
        for path in sorted(paths):
            query |= Q(**{f"{field_name}__startswith": path})
        return query

    def unit_ids(self, roles: tuple[Role, ...]) -> list[int] | None:
        """The ids of the units in the roles' subtrees; None when that is every unit (the same answer as
        `covers`). The unit table is read once per scope (a request)."""
        if self.is_superuser and any(role in SUPERUSER_ROLES for role in roles):
            return None
        paths = tuple({path for role in roles for path in self.paths.get(role, ())})
        if not paths:
            return []
        if self._every_unit is None:
            object.__setattr__(self, "_every_unit", tuple(Unit.objects.values_list("pk", "path")))
        every_unit: tuple[tuple[int, str], ...] = self._every_unit or ()
        ids = [pk for pk, path in every_unit if path.startswith(paths)]
        return None if len(ids) == len(every_unit) else ids

    def unit_ids_q(self, roles: tuple[Role, ...], field_name: str) -> Q:
        """Rows whose `field_name` (a unit id column) is a unit of the roles' subtrees, as a list of unit
        ids: the database reads the column's index (alone or ORed with other indexed conditions) instead of
        joining the unit table and comparing paths row by row (seconds on a million rows). Subtrees that
        cover every unit give `everything()`, no condition at all."""
        ids = self.unit_ids(roles)
        if ids is None:
            return everything()
        return Q(**{f"{field_name}__in": ids}) if ids else nothing()


ANONYMOUS_SCOPE = Scope(person_id=None, home_unit_path=None)


def scope_of(user: AnyUser) -> Scope:
    """The person's scope, computed once per request object."""
    if not user.is_authenticated:
        return ANONYMOUS_SCOPE
    if not isinstance(user, Person):
        raise TypeError(f"unexpected user type {type(user)!r}")
    cached: Scope | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    paths: dict[Role, list[str]] = {}
    for role, path in user.roles.values_list("role", "unit__path"):
        paths.setdefault(Role(role), []).append(path)
    home_path = (
        Unit.objects.filter(pk=user.unit_id).values_list("path", flat=True).first() if user.unit_id else None
    )
    scope = Scope(
        person_id=user.pk,
        home_unit_path=home_path,
        paths={role: tuple(sorted(found)) for role, found in paths.items()},
        is_superuser=user.is_superuser,
    )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user: AnyUser) -> None:
    """Drop the cached scope after the person's roles changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
