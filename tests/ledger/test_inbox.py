""" "What waits on me" and the menu's counts, against the definition recomputed in Python.

Random workflows (tests/workflows.py) leave problems in every state at three units; for each person the
inbox's sections and the menu's counts (`inbox_counts`, one query of per-section counts) must equal what the
workflow table says waits on them, evaluated problem by problem with `Scope.covers`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from taizhang.ledger.models import DeadlineExtension, Problem, Rating
from taizhang.ledger.selectors import inbox, inbox_counts
from taizhang.org.models import Person, Role
from taizhang.org.scope import scope_of
from tests.conftest import Org
from tests.factories import make_category
from tests.workflows import Workflow

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _expected(person: Person) -> dict[str, int]:
    scope = scope_of(person)
    me = person.pk
    raised = set(Problem.objects.filter(opinions__submitter_id=me).values_list("pk", flat=True).distinct())
    pending = set(
        DeadlineExtension.objects.filter(status=DeadlineExtension.Status.PENDING).values_list(
            "problem_id", flat=True
        )
    )
    rated = set(Rating.objects.filter(opinion__submitter_id=me).values_list("problem_id", "round"))

    def covers(problem: Problem, *roles: Role) -> bool:
        return any(scope.covers(role, problem.lead_unit.path) for role in roles)

    def working(p: Problem) -> bool:
        return covers(p, Role.HANDLER, Role.LEADER) or me in (p.owner_id, p.leader_id)

    def supervising(p: Problem) -> bool:
        return covers(p, Role.SUPERVISOR)

    sections: dict[str, Callable[[Problem], bool]] = {
        "to_start": lambda p: working(p) and p.state == "open",
        "in_progress": lambda p: working(p) and p.state == "in_progress",
        "to_sign": lambda p: (
            (covers(p, Role.LEADER) or p.leader_id == me)
            and p.state == "review"
            and p.signed_at is None
            and p.closeout_requested_by_id != me
        ),
        "to_verify": lambda p: supervising(p) and p.state == "review" and p.signed_at is not None,
        "returned": lambda p: supervising(p) and p.state == "returned",
        "extensions": lambda p: supervising(p) and p.pk in pending,
        "objections": lambda p: supervising(p) and p.state == "notice" and p.objection_pending,
        "to_rate": lambda p: (
            p.pk in raised and (p.pk, p.closeout_round) not in rated and p.state in ("review", "notice")
        ),
    }
    problems = list(Problem.objects.select_related("lead_unit"))
    return {key: sum(1 for p in problems if wanted(p)) for key, wanted in sections.items()}


@pytest.mark.parametrize("seed", [4, 5])
def test_each_persons_counts_are_what_waits_on_them(
    seed: int, units: Org, workflow_people: dict[str, Person]
) -> None:
    workflow = Workflow(seed, units, workflow_people, [make_category(name="类别", evidence_required=False)])
    seen: dict[str, int] = dict.fromkeys(_expected(workflow_people["admin"]), 0)
    for _ in range(8):  # compared every 25 steps: work waits in different sections as the items move on
        for _ in range(25):
            workflow.step()
        for name, cast in workflow_people.items():
            person = Person.objects.get(pk=cast.pk)  # a fresh scope
            expected = _expected(person)
            counts = inbox_counts(person)
            assert counts == expected, name
            assert {section.key: section.problems.count() for section in inbox(person)} == expected, name
            for key, n in counts.items():
                seen[key] += n
    # The workflows left work in every section for someone: the comparison saw real numbers.
    assert all(seen[key] > 0 for key in ("to_start", "in_progress", "to_sign", "to_verify", "to_rate")), seen


def test_an_administrator_sees_every_close_out_to_verify_but_only_their_own_items_to_start(
    units: Org, workflow_people: dict[str, Person]
) -> None:
    workflow = Workflow(6, units, workflow_people, [make_category(name="类别", evidence_required=False)])
    for _ in range(80):
        workflow.step()
    admin = workflow_people["admin"]
    counts = inbox_counts(admin)
    assert counts["to_verify"] == Problem.objects.filter(state="review", signed_at__isnull=False).count()
    assert (
        counts["to_start"]
        == Problem.objects.filter(state="open", owner=admin).count()
        + Problem.objects.filter(state="open", leader=admin).exclude(owner=admin).count()
    )
