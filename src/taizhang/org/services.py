"""Writes for units, people and roles."""

from __future__ import annotations

from django.db import transaction

from taizhang.core.errors import InvalidInput
from taizhang.org.models import Person, Role, RoleAssignment, Unit
from taizhang.org.scope import forget_scope


@transaction.atomic
def unit_create(
    *, name: str, code: str, parent: Unit | None = None, kind: str = Unit.Kind.DEPARTMENT, sort_order: int = 0
) -> Unit:
    name = name.strip()
    if not name:
        raise InvalidInput("A unit needs a name.", field="name")
    unit = Unit(
        name=name,
        code=code,
        parent=parent,
        kind=kind,
        sort_order=sort_order,
        depth=(parent.depth + 1) if parent else 0,
        path=f"pending-{code}",
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit | None) -> Unit:
    """Re-hang a unit and its subtree; refuses to hang a unit under its own subtree."""
    if new_parent is not None and new_parent.is_within(unit):
        raise InvalidInput("A unit cannot be moved under itself.", field="parent")
    old_path = unit.path
    new_path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
    depth_change = ((new_parent.depth + 1) if new_parent else 0) - unit.depth
    for node in Unit.objects.select_for_update().filter(path__startswith=old_path):
        node.path = new_path + node.path[len(old_path) :]
        node.depth += depth_change
        node.save(update_fields=["path", "depth"])
    unit.refresh_from_db()
    unit.parent = new_parent
    unit.save(update_fields=["parent"])
    return unit


@transaction.atomic
def person_create(
    *,
    username: str,
    name: str,
    unit: Unit | None,
    password: str | None = None,
    password_hash: str | None = None,
    title: str = "",
    email: str = "",
    is_superuser: bool = False,
) -> Person:
    """A login. `password_hash` (from `make_password`) lets a loader give many people one hash cheaply."""
    person = Person(
        username=username,
        name=name,
        unit=unit,
        title=title,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password_hash:
        person.password = password_hash
    elif password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    return person


@transaction.atomic
def role_grant(*, person: Person, role: Role, unit: Unit) -> RoleAssignment:
    assignment, _created = RoleAssignment.objects.get_or_create(person=person, role=role, unit=unit)
    if role == Role.ADMIN and not person.is_staff:  # administrators configure through the Django admin
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    forget_scope(person)
    return assignment


@transaction.atomic
def role_revoke(*, person: Person, role: Role, unit: Unit) -> None:
    RoleAssignment.objects.filter(person=person, role=role, unit=unit).delete()
    forget_scope(person)
