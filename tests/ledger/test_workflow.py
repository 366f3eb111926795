"""The transition table, without a database: every transition for every actor, every guard refusing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest

from taizhang.ledger import workflow
from taizhang.ledger.workflow import (
    TRANSITIONS,
    Action,
    Actor,
    Facts,
    Rules,
    State,
    Transition,
    WorkflowError,
)

NOW = dt.datetime(2014, 6, 10, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()
SOMEONE_ELSE = 99

#: Facts under which every guard passes, before the per-action adjustments below.
HAPPY = Facts(
    state=State.OPEN,
    actors=frozenset(),
    now=NOW,
    actor_id=1,
    reason="不是本单位的事",
    completion_note="已全部修复",
    new_deadline=TODAY + dt.timedelta(days=30),
    deadline=TODAY + dt.timedelta(days=5),
    evidence_count=2,
    signed=True,
    closeout_requested_by=SOMEONE_ELSE,
    verifier_outside_unit=True,
)

#: What each action needs beyond HAPPY for its guards to pass.
HAPPY_FOR: dict[Action, dict[str, Any]] = {
    Action.SIGN: {"signed": False},
    Action.APPROVE_EXTENSION: {"pending_extension": True},
    Action.REJECT_EXTENSION: {"pending_extension": True},
    Action.UPHOLD_OBJECTION: {"objection_pending": True},
    Action.DISMISS_OBJECTION: {"objection_pending": True},
    Action.REPLY_URGE: {"urge_waiting": True},
    Action.ESCALATE_URGE: {"urge_waiting": True},
}

#: For each guard, a change of the happy facts that makes exactly that guard refuse.
BREAKS: dict[str, dict[str, Any]] = {
    "reason_given": {"reason": "   "},
    "completion_note_given": {"completion_note": ""},
    "evidence_attached": {"evidence_count": 0},
    "milestones_closed": {"open_children": 2},
    "before_deadline": {"deadline": TODAY - dt.timedelta(days=1)},
    "new_deadline_later": {"new_deadline": TODAY + dt.timedelta(days=5)},
    "no_pending_extension": {"pending_extension": True},
    "extension_pending": {"pending_extension": False},
    "not_signed": {"signed": True},
    "signer_is_not_requester": {"closeout_requested_by": 1},
    "signed": {"signed": False},
    "verifier_outside_unit": {"verifier_outside_unit": False},
    "ratings_allow": {"raisers": 4, "ratings": 1, "rating_window_ends_at": NOW + dt.timedelta(days=1)},
    "raisers_not_unsatisfied": {"raisers": 3, "ratings": 3, "unsatisfied": 2},
    "notice_period_over": {"notice_ends_at": NOW + dt.timedelta(days=2)},
    "no_pending_objection": {"objection_pending": True},
    "objection_pending": {"objection_pending": False},
    "not_rated_yet": {"already_rated": True},
    "urge_waiting": {"urge_waiting": False},
}


def happy(row: Transition, actors: frozenset[Actor], **changes: Any) -> Facts:
    rules = Rules(notice_days=7 if row.target == State.NOTICE else 0)
    values: dict[str, Any] = {
        "state": sorted(row.sources)[0],
        "actors": actors,
        "rules": rules,
        **HAPPY_FOR.get(row.action, {}),
        **changes,
    }
    return dataclasses.replace(HAPPY, **values)


def row_id(row: Transition) -> str:
    return f"{row.action}->{row.target}"


@pytest.mark.parametrize("row", TRANSITIONS, ids=row_id)
@pytest.mark.parametrize("actor", list(Actor), ids=str)
def test_each_transition_is_open_to_exactly_its_actors(row: Transition, actor: Actor) -> None:
    facts = happy(row, frozenset({actor}))
    if actor in row.actors:
        chosen = workflow.check(row.action, facts)
        assert chosen.target_for(facts.state) == row.target_for(facts.state)
        assert chosen.event_kind == row.event_kind
    else:
        with pytest.raises(WorkflowError) as refused:
            workflow.check(row.action, facts)
        assert refused.value.code == "not_permitted"
        assert str(row.label) in str(refused.value.message)


@pytest.mark.parametrize("row", TRANSITIONS, ids=row_id)
def test_each_transition_is_refused_from_every_other_state(row: Transition) -> None:
    actor = sorted(row.actors)[0]
    for state in set(State) - row.sources:
        facts = happy(row, frozenset({actor}), state=state)
        with pytest.raises(WorkflowError) as refused:
            workflow.check(row.action, facts)
        assert refused.value.code == "wrong_state"


GUARDED = [(row, guard) for row in TRANSITIONS for guard in row.guards]


@pytest.mark.parametrize(("row", "guard"), GUARDED, ids=[f"{row_id(r)}:{g.name}" for r, g in GUARDED])
def test_each_guard_refuses_with_its_own_message(row: Transition, guard: workflow.Guard) -> None:
    actor = sorted(row.actors)[0]
    facts = happy(row, frozenset({actor}), **BREAKS[guard.name])
    with pytest.raises(WorkflowError) as refused:
        workflow.check(row.action, facts)
    assert refused.value.code == guard.name
    message = str(refused.value.message)
    assert message and message != guard.name


def test_every_guard_has_a_breaking_case() -> None:
    names = {guard.name for row in TRANSITIONS for guard in row.guards}
    assert names == set(BREAKS)


def test_every_state_but_cancelled_is_reachable_and_active_states_can_be_cancelled() -> None:
    targets = {row.target for row in TRANSITIONS if row.target is not None}
    assert targets | {State.OPEN} == set(State)
    cancel = workflow.transitions_for(Action.CANCEL)[0]
    assert cancel.sources == workflow.ACTIVE_STATES


def test_verify_goes_to_notice_only_when_a_notice_period_is_configured() -> None:
    facts = dataclasses.replace(HAPPY, state=State.REVIEW, actors=frozenset({Actor.SUPERVISOR}))
    assert workflow.check(Action.VERIFY, facts).target == State.CLOSED
    with_notice = dataclasses.replace(facts, rules=Rules(notice_days=7))
    assert workflow.check(Action.VERIFY, with_notice).target == State.NOTICE


def test_the_reopen_path_returns_a_closed_item_to_work() -> None:
    closed = dataclasses.replace(HAPPY, state=State.CLOSED, actors=frozenset({Actor.SUPERVISOR}))
    assert workflow.check(Action.REOPEN, closed).target == State.IN_PROGRESS
    assert workflow.check(Action.LOOK_BACK_HOLD, closed).target_for(State.CLOSED) == State.CLOSED
    with pytest.raises(WorkflowError):
        workflow.check(Action.REOPEN, dataclasses.replace(closed, reason=""))


def test_ratings_allow_verification_once_the_window_has_passed_even_without_ratings() -> None:
    facts = dataclasses.replace(
        HAPPY,
        state=State.REVIEW,
        actors=frozenset({Actor.SUPERVISOR}),
        raisers=5,
        ratings=0,
        rating_window_ends_at=NOW - dt.timedelta(minutes=1),
    )
    assert workflow.check(Action.VERIFY, facts).target == State.CLOSED


def test_unsatisfied_threshold_is_a_setting() -> None:
    facts = dataclasses.replace(
        HAPPY, state=State.REVIEW, actors=frozenset({Actor.SUPERVISOR}), raisers=4, ratings=4, unsatisfied=1
    )
    assert workflow.check(Action.VERIFY, facts)
    strict = dataclasses.replace(facts, rules=Rules(unsatisfied_max_share=0.2))
    with pytest.raises(WorkflowError) as refused:
        workflow.check(Action.VERIFY, strict)
    assert refused.value.code == "raisers_not_unsatisfied"


def test_the_first_failing_guard_is_reported() -> None:
    facts = dataclasses.replace(
        HAPPY,
        state=State.IN_PROGRESS,
        actors=frozenset({Actor.HANDLER}),
        completion_note="",
        evidence_count=0,
    )
    with pytest.raises(WorkflowError) as refused:
        workflow.check(Action.REQUEST_CLOSEOUT, facts)
    assert refused.value.code == "completion_note_given"


def test_offered_actions_follow_state_and_person_not_guards() -> None:
    handler = dataclasses.replace(
        HAPPY, state=State.IN_PROGRESS, actors=frozenset({Actor.HANDLER}), evidence_count=0
    )
    offered = set(workflow.offered_actions(handler))
    assert Action.REQUEST_CLOSEOUT in offered  # shown; refused with a message on submit if no evidence
    assert Action.VERIFY not in offered
    raiser = dataclasses.replace(HAPPY, state=State.REVIEW, actors=frozenset({Actor.RAISER}))
    assert set(workflow.offered_actions(raiser)) == {Action.RATE}


def test_the_module_imports_without_a_database_or_settings() -> None:
    code = "import sys, taizhang.ledger.workflow as w; print(len(w.TRANSITIONS), 'django.db' in sys.modules)"
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True
    )
    assert result.stdout.split() == [str(len(TRANSITIONS)), "False"]
