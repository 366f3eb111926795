"""Nobody sees what their role and unit do not allow: scoping, tested with people in sibling units."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from taizhang.core.errors import NotFound
from taizhang.ledger.models import Problem
from taizhang.ledger.permissions import access_problem
from taizhang.ledger.selectors import LedgerFilter, problem_list, problems_visible_to, public_problems
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_problem, raised_problem

pytestmark = pytest.mark.django_db


@dataclass
class Ledger:
    plant_private: Problem  # raised by the employee
    workshop_public: Problem
    sibling_private: Problem
    sibling_assisted_by_plant: Problem


@pytest.fixture
def items(units: Org, supervisor: Person, employee: Person) -> Ledger:
    return Ledger(
        plant_private=raised_problem(
            supervisor=supervisor, raiser=employee, unit=units.plant, is_public=False
        )[0],
        workshop_public=make_problem(supervisor=supervisor, lead_unit=units.workshop, is_public=True),
        sibling_private=make_problem(supervisor=supervisor, lead_unit=units.sibling, is_public=False),
        sibling_assisted_by_plant=make_problem(
            supervisor=supervisor, lead_unit=units.sibling, is_public=False, assisting_units=(units.plant,)
        ),
    )


def codes(problems: object) -> set[str]:
    return {p.code for p in problems}  # type: ignore[attr-defined]  # any iterable of problems


def test_an_employee_works_only_with_what_they_raised(items: Ledger, employee: Person) -> None:
    assert codes(problem_list(employee)) == {items.plant_private.code}
    assert codes(problems_visible_to(employee)) == {items.plant_private.code, items.workshop_public.code}


def test_handlers_and_leaders_see_their_units_subtree_and_what_they_assist(
    items: Ledger, handler: Person, leader: Person
) -> None:
    expected = {items.plant_private.code, items.workshop_public.code, items.sibling_assisted_by_plant.code}
    assert codes(problem_list(handler)) == expected
    assert codes(problem_list(leader)) == expected


def test_the_sibling_unit_sees_none_of_the_plants_private_items(items: Ledger, outsider: Person) -> None:
    assert codes(problem_list(outsider)) == {items.sibling_private.code, items.sibling_assisted_by_plant.code}
    with pytest.raises(NotFound):
        access_problem(outsider, items.plant_private.pk)
    assert access_problem(outsider, items.workshop_public.pk) == items.workshop_public  # the public board


def test_supervisors_see_everything_in_their_scope(
    items: Ledger, supervisor: Person, admin_user: Person
) -> None:
    every = {p.code for p in Problem.objects.all()}
    assert codes(problem_list(supervisor)) == every
    assert codes(problem_list(admin_user)) == every


def test_anonymous_visitors_see_the_public_board_only(items: Ledger) -> None:
    visitor = AnonymousUser()
    assert codes(problem_list(visitor)) == set()
    assert codes(problems_visible_to(visitor)) == {items.workshop_public.code}
    assert codes(public_problems()) == {items.workshop_public.code}
    with pytest.raises(NotFound):
        access_problem(visitor, items.sibling_private.pk)
    with pytest.raises(NotFound):
        access_problem(visitor, "not-a-number")


def test_the_unit_filter_takes_the_subtree(items: Ledger, units: Org, supervisor: Person) -> None:
    in_plant = problem_list(supervisor, LedgerFilter(unit=units.plant))
    assert codes(in_plant) == {
        items.plant_private.code,
        items.workshop_public.code,
        items.sibling_assisted_by_plant.code,
    }
    assert codes(problem_list(supervisor, LedgerFilter(unit=units.workshop))) == {items.workshop_public.code}


def test_filters_combine_with_scope(items: Ledger, outsider: Person) -> None:
    found = problem_list(outsider, LedgerFilter(text=items.plant_private.title))
    assert items.plant_private.code not in codes(found)


def test_listing_the_ledger_takes_a_fixed_number_of_queries(
    items: Ledger, supervisor: Person, units: Org, django_assert_max_num_queries: object
) -> None:
    for _ in range(10):
        make_problem(supervisor=supervisor, lead_unit=units.workshop)
    with django_assert_max_num_queries(2):  # type: ignore[operator]  # pytest-django fixture
        rows = [(p.code, p.lead_unit.name, p.category.name, p.leader) for p in problem_list(supervisor)]
    assert len(rows) == 14
