"""The bulk import service: the same rows and event chains as the one-by-one services, the same workflow
table, and no way to close an item out."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.core import clock
from taizhang.core.errors import DomainError, InvalidInput, NotPermitted
from taizhang.ledger import services as ledger
from taizhang.ledger import workflow
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Problem
from taizhang.ledger.workflow import Action, Actor, Facts, State, WorkflowError
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_category

pytestmark = pytest.mark.django_db


def draft(units: Org, **fields: object) -> ledger.ProblemDraft:
    values: dict[str, object] = {
        "title": "路灯不亮",
        "category": make_category(),
        "lead_unit": units.plant,
        "deadline": clock.today() + dt.timedelta(days=30),
        "target_quantity": 12,
    }
    values.update(fields)
    return ledger.ProblemDraft(**values)  # type: ignore[arg-type]  # test data


def test_bulk_import_writes_what_the_single_services_write(
    units: Org, supervisor: Person, leader: Person, handler: Person
) -> None:
    category = make_category(evidence_required=False)
    (bulk,) = ledger.problems_import(
        user=supervisor,
        items=[
            ledger.ImportedProblem(
                draft=draft(units, category=category, leader=leader, assisting_units=(units.sibling,)),
                external_ref="file:1",
                started=True,
                progress_note="已修复5盏",
                done_quantity=5,
                provenance={"row": 4},
            )
        ],
    )
    single = ledger.problem_create(
        user=supervisor,
        draft=draft(units, category=category, leader=leader, assisting_units=(units.sibling,)),
        system=True,
    )
    ledger.problem_start(user=supervisor, problem_id=single.pk, system=True)
    ledger.problem_record_progress(
        user=supervisor, problem_id=single.pk, note="已修复5盏", done_quantity=5, system=True
    )
    bulk.refresh_from_db()
    single.refresh_from_db()
    assert bulk.external_ref == "file:1" and single.external_ref is None
    for name in ("state", "done_quantity", "target_quantity", "leader_id", "lead_unit_id", "event_count"):
        assert getattr(bulk, name) == getattr(single, name), name
    assert bulk.started_at is not None
    assert list(bulk.assisting_units.all()) == [units.sibling]
    bulk_events = list(
        bulk.events.order_by("seq").values_list(
            "kind", "from_state", "to_state", "note", "actor", "actor_role"
        )
    )
    single_events = list(
        single.events.order_by("seq").values_list(
            "kind", "from_state", "to_state", "note", "actor", "actor_role"
        )
    )
    assert bulk_events == single_events
    assert bulk.events.get(seq=1).payload["imported"] == {"row": 4}
    assert list(verify_chains()) == []


def test_bulk_import_numbers_codes_in_sequence(units: Org, supervisor: Person) -> None:
    first = ledger.problem_create(user=supervisor, draft=draft(units))
    made = ledger.problems_import(
        user=supervisor,
        items=[ledger.ImportedProblem(draft=draft(units), external_ref=f"r{n}") for n in range(3)],
    )
    after = ledger.problem_create(user=supervisor, draft=draft(units))
    numbers = [int(p.code.rsplit("-", 1)[1]) for p in [first, *made, after]]
    assert numbers == list(range(numbers[0], numbers[0] + 5))


def test_bulk_import_cancels_as_the_supervisor(units: Org, supervisor: Person) -> None:
    (problem,) = ledger.problems_import(
        user=supervisor,
        items=[ledger.ImportedProblem(draft=draft(units), external_ref="x", cancel_reason="中止")],
    )
    problem.refresh_from_db()
    assert problem.state == State.CANCELLED and problem.cancelled_at is not None
    assert problem.events.get(kind="problem.cancelled").actor_role == "supervisor"


def test_bulk_import_needs_a_supervisor_of_every_unit(
    units: Org, outsider: Person, supervisor: Person
) -> None:
    with pytest.raises(NotPermitted):
        ledger.problems_import(
            user=outsider, items=[ledger.ImportedProblem(draft=draft(units), external_ref="x")]
        )
    with pytest.raises(InvalidInput):
        ledger.problems_import(
            user=supervisor,
            items=[ledger.ImportedProblem(draft=draft(units, deadline=None), external_ref="x")],
        )
    assert not Problem.objects.exists()


def test_the_same_external_ref_cannot_be_imported_twice(units: Org, supervisor: Person) -> None:
    ledger.problems_import(
        user=supervisor, items=[ledger.ImportedProblem(draft=draft(units), external_ref="x")]
    )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ledger.problems_import(
            user=supervisor, items=[ledger.ImportedProblem(draft=draft(units), external_ref="x")]
        )


@pytest.mark.parametrize(
    "action",
    [
        Action.REQUEST_CLOSEOUT,
        Action.SIGN,
        Action.VERIFY,
        Action.CONCLUDE_NOTICE,
        Action.REOPEN,
        Action.CANCEL,
    ],
)
def test_the_system_never_closes_an_item_for_an_import(action: Action) -> None:
    """SYSTEM may start and record progress (imports); close-out keeps its own actors. CONCLUDE_NOTICE admits
    the scheduler, but only after a supervisor's verification put the item in notice."""
    states = {row.sources for row in workflow.transitions_for(action)}
    for sources in states:
        for state in sources:
            facts = Facts(state=state, actors=frozenset({Actor.SYSTEM}), now=clock.now())
            if action == Action.CONCLUDE_NOTICE:
                assert state == State.NOTICE
                continue
            with pytest.raises(WorkflowError):
                workflow.check(action, facts)


def test_single_services_start_and_record_progress_as_the_system(
    units: Org, supervisor: Person, outsider: Person
) -> None:
    problem = ledger.problem_create(user=supervisor, draft=draft(units))
    with pytest.raises(NotPermitted):  # a supervisor does not start work himself …
        ledger.problem_start(user=supervisor, problem_id=problem.pk)
    ledger.problem_start(
        user=supervisor, problem_id=problem.pk, system=True, payload={"imported": {"row": 1}}
    )
    event = ledger.problem_record_progress(
        user=supervisor, problem_id=problem.pk, note="进展", system=True, extra={"imported": {"row": 1}}
    ).events.get(kind="problem.progress")
    assert (event.actor, event.actor_role, event.payload["imported"]) == (supervisor, "system", {"row": 1})


def test_category_create(db: None) -> None:
    made = ledger.category_create(name=" 形式主义 ")
    again = ledger.category_create(name="形式主义2")
    assert made.name == "形式主义" and made.code != again.code and made.evidence_required
    with pytest.raises(InvalidInput):
        ledger.category_create(name="  ")
    with pytest.raises(DomainError):
        ledger.category_create(name="长" * 51)
