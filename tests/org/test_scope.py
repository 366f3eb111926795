"""`Scope.unit_q` (and the reports' `UnitScope.q`) stay right when combined with other conditions.

An administrator's scope once came back as the empty `Q()`; `Q() | own` is just `own` in Django, so "all
notices, or the ones I own" became "only the ones I own". The filters are now explicit, and these tests hold
every combination a caller writes (`|`, `&`, `~`) to what `Scope.covers` says.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import inbox
from taizhang.org.models import Person, Role
from taizhang.org.scope import everything, nothing, scope_of
from taizhang.reports.scope import UnitScope
from tests.conftest import Org
from tests.factories import make_problem

pytestmark = pytest.mark.django_db

ALL_ROLES = (Role.HANDLER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


@pytest.fixture
def problems(units: Org, supervisor: Person) -> dict[str, Problem]:
    """One problem led by each unit."""
    return {
        name: make_problem(supervisor=supervisor, lead_unit=getattr(units, name), title=f"{name} 的问题")
        for name in ("root", "plant", "workshop", "sibling", "office")
    }


def ids(query: Q) -> set[int]:
    return set(Problem.objects.filter(query).values_list("pk", flat=True))


def test_everything_and_nothing_survive_every_combination(problems: dict[str, Problem]) -> None:
    every = {problem.pk for problem in problems.values()}
    one = Q(pk=problems["office"].pk)
    assert ids(everything()) == every
    assert ids(everything() | one) == every
    assert ids(one | everything()) == every
    assert ids(everything() & one) == {problems["office"].pk}
    assert ids(~everything()) == set()
    assert ids(~everything() | one) == {problems["office"].pk}
    assert ids(nothing() | one) == {problems["office"].pk}
    assert ids(~nothing()) == every
    # what went wrong before: the empty Q() loses "everything" as soon as anything is OR-ed to it
    assert ids(Q() | one) == {problems["office"].pk}


def test_an_administrators_combined_scope_still_includes_everything(
    admin_user: Person, problems: dict[str, Problem]
) -> None:
    scope = scope_of(admin_user)
    every = {problem.pk for problem in problems.values()}
    own = Q(owner_id=admin_user.pk) | Q(leader_id=admin_user.pk)
    for roles in ((Role.ADMIN,), (Role.SUPERVISOR,), ALL_ROLES):
        in_scope = scope.unit_q(roles, "lead_unit__path")
        assert ids(in_scope) == every, roles
        assert ids(in_scope | own) == every, roles
        assert ids(own | in_scope) == every, roles
        assert ids(in_scope | Q(pk=problems["sibling"].pk)) == every, roles
        assert ids(~in_scope) == set(), roles
    # the reports' scope: the same promise
    whole = UnitScope(paths=(), everything=True)
    assert ids(whole.q("lead_unit__path") | Q(pk=problems["plant"].pk)) == every
    assert ids(~whole.q("lead_unit__path")) == set()


def test_unit_q_agrees_with_covers_for_every_person_and_role(
    units: Org,
    problems: dict[str, Problem],
    admin_user: Person,
    supervisor: Person,
    handler: Person,
    leader: Person,
    outsider: Person,
    employee: Person,
) -> None:
    """Each role alone, OR-ed with one outside problem: exactly the covered problems plus that one."""
    extra = problems["office"]
    for person in (admin_user, supervisor, handler, leader, outsider, employee):
        scope = scope_of(person)
        for role in Role:
            covered = {
                problem.pk for problem in problems.values() if scope.covers(role, problem.lead_unit.path)
            }
            in_scope = scope.unit_q((role,), "lead_unit__path")
            assert ids(in_scope) == covered, (person.username, role)
            assert ids(in_scope | Q(pk=extra.pk)) == covered | {extra.pk}, (person.username, role)
            assert ids(~in_scope) == {problem.pk for problem in problems.values()} - covered


def test_an_administrators_inbox_supervises_everything_but_works_only_their_own(
    units: Org, supervisor: Person, admin_user: Person, outsider: Person
) -> None:
    """Administrators act as supervisors over the whole organisation, so an extension asked for in any unit
    waits on them; the handler's sections ("to start") hold only what they own or lead, not every open one."""
    asked = make_problem(supervisor=supervisor, lead_unit=units.sibling, title="二厂的问题")
    ledger.problem_start(user=outsider, problem_id=asked.pk)
    ledger.problem_request_extension(
        user=outsider,
        problem_id=asked.pk,
        new_deadline=clock.today() + dt.timedelta(days=90),
        reason="材料未到",
    )
    waiting = make_problem(supervisor=supervisor, lead_unit=units.sibling, title="待开始的问题")
    mine = make_problem(supervisor=supervisor, lead_unit=units.office, title="我负责的问题")
    Problem.objects.filter(pk=mine.pk).update(leader=admin_user)

    sections = {
        section.key: set(section.problems.values_list("pk", flat=True)) for section in inbox(admin_user)
    }
    assert sections["extensions"] == {asked.pk}
    assert sections["to_start"] == {mine.pk}
    assert waiting.pk not in sections["to_start"]
    # the sibling unit's own handler: their unit's open item, no extension to decide
    theirs = {section.key: set(section.problems.values_list("pk", flat=True)) for section in inbox(outsider)}
    assert theirs["to_start"] == {waiting.pk} and theirs["extensions"] == set()
