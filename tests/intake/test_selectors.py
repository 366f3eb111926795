from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from taizhang.intake.selectors import opinions_visible_to
from taizhang.org import services as org
from taizhang.org.models import Person, Role
from tests.conftest import Org
from tests.factories import make_opinion

pytestmark = pytest.mark.django_db


def test_opinions_are_seen_by_their_submitter_and_the_supervisors_over_their_unit(
    units: Org, employee: Person, handler: Person, supervisor: Person, outsider: Person, admin_user: Person
) -> None:
    mine = make_opinion(user=employee, unit=units.workshop)
    anonymous = make_opinion(user=None, unit=units.workshop, anonymous=True)
    elsewhere = make_opinion(user=outsider, unit=units.sibling)
    assert set(opinions_visible_to(employee)) == {mine}
    assert set(opinions_visible_to(handler)) == set()  # handlers work problems, not the desk
    assert set(opinions_visible_to(outsider)) == {elsewhere}
    assert set(opinions_visible_to(supervisor)) == {mine, anonymous, elsewhere}
    assert set(opinions_visible_to(admin_user)) == {mine, anonymous, elsewhere}
    assert set(opinions_visible_to(AnonymousUser())) == set()
    plant_supervisor = org.person_create(username="plant-sup", name="厂督导", unit=units.plant, password="x")
    org.role_grant(person=plant_supervisor, role=Role.SUPERVISOR, unit=units.plant)
    assert set(opinions_visible_to(plant_supervisor)) == {mine, anonymous}
