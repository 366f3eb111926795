"""Who a person is to a problem, and the one way every interface fetches a problem it may act on."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from taizhang.core import clock
from taizhang.core.errors import NotFound
from taizhang.ledger import workflow
from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import problems_visible_to
from taizhang.ledger.workflow import Action, Actor
from taizhang.org.models import Person, Role
from taizhang.org.scope import scope_of

type AnyUser = Person | AnonymousUser


def is_raiser(user: AnyUser, problem: Problem) -> bool:
    if not user.is_authenticated:
        return False
    return problem.opinions.filter(submitter_id=user.pk).exists()


def actors_on(user: AnyUser, problem: Problem) -> frozenset[Actor]:
    """The actors the person is to this problem (see workflow.Actor)."""
    if not user.is_authenticated:
        return frozenset()
    scope = scope_of(user)
    lead_path = problem.lead_unit.path
    actors = {Actor.EMPLOYEE}
    if scope.covers(Role.HANDLER, lead_path) or problem.owner_id == user.pk:
        actors.add(Actor.HANDLER)
    if scope.covers(Role.LEADER, lead_path) or problem.leader_id == user.pk:
        actors.add(Actor.LEADER)
    if scope.covers(Role.SUPERVISOR, lead_path):
        actors.add(Actor.SUPERVISOR)
    if any(
        scope.covers(Role.HANDLER, path) or scope.covers(Role.LEADER, path)
        for path in problem.assisting_units.values_list("path", flat=True)
    ):
        actors.add(Actor.ASSISTANT)
    if is_raiser(user, problem):
        actors.add(Actor.RAISER)
    return frozenset(actors)


def is_outside_unit(user: AnyUser, problem: Problem) -> bool:
    """Separation of duties: the verifier neither belongs to nor works for the responsible unit."""
    if not user.is_authenticated:
        return False
    scope = scope_of(user)
    lead_path = problem.lead_unit.path
    if scope.home_unit_path and scope.home_unit_path.startswith(lead_path):
        return False
    if user.pk in (problem.owner_id, problem.leader_id):
        return False
    return not (scope.covers(Role.HANDLER, lead_path) or scope.covers(Role.LEADER, lead_path))


def offered_actions(user: AnyUser, problem: Problem) -> set[Action]:
    """Buttons to show. The server checks every guard again when one is pressed."""
    facts = workflow.Facts(state=problem.state_enum, actors=actors_on(user, problem), now=clock.now())
    return set(workflow.offered_actions(facts))


def access_problem(user: AnyUser, problem_id: int | str) -> Problem:
    """Fetch a problem the person may see, or NotFound (which never reveals that it exists)."""
    try:
        return problems_visible_to(user).select_related("lead_unit", "category").get(pk=int(problem_id))
    except (Problem.DoesNotExist, ValueError):
        raise NotFound("No such problem.") from None
