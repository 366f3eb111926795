from __future__ import annotations

import pytest

from taizhang.core.errors import InvalidInput
from taizhang.org import services as org
from taizhang.org.models import Unit
from taizhang.org.scope import scope_of
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree(units: Org) -> None:
    assert units.workshop.path == f"/{units.root.pk}/{units.plant.pk}/{units.workshop.pk}/"
    assert units.workshop.is_within(units.plant) and not units.workshop.is_within(units.sibling)
    assert units.workshop.depth == 2


def test_moving_a_unit_moves_its_subtree(units: Org) -> None:
    org.unit_move(unit=units.plant, new_parent=units.sibling)
    workshop = Unit.objects.get(pk=units.workshop.pk)
    assert workshop.path.startswith(Unit.objects.get(pk=units.sibling.pk).path)
    assert workshop.depth == 3


def test_a_unit_cannot_move_under_itself(units: Org) -> None:
    with pytest.raises(InvalidInput):
        org.unit_move(unit=units.plant, new_parent=units.workshop)
    assert Unit.objects.get(pk=units.plant.pk).parent == units.root


def test_scopes_cover_subtrees_only(units: Org, handler: object, outsider: object) -> None:
    from taizhang.org.models import Person, Role

    assert isinstance(handler, Person) and isinstance(outsider, Person)
    assert scope_of(handler).covers(Role.HANDLER, units.workshop.path)
    assert not scope_of(handler).covers(Role.HANDLER, units.sibling.path)
    assert not scope_of(handler).covers(Role.LEADER, units.plant.path)
    assert scope_of(outsider).roles_over(units.sibling.path) == {Role.HANDLER, Role.LEADER}
