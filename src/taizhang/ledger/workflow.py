"""The close-out workflow (销号管理): states, actions, who may act, and the guards — as data.

Pure Python: no ORM, importable and testable without a database. Services gather the `Facts` about a
problem and the person acting, call `check()`, and apply the transition it returns; nothing else changes a
problem's state. `docs/workflow.md` is generated from this module (`taizhang workflow-doc`).

Separation of duties, as Chinese close-out practice requires: the unit that did the work asks, its leader
signs, a supervisor from outside the unit verifies, and the raisers' ratings can stop verification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

type Message = str | Promise


class State(StrEnum):
    OPEN = "open"  # 已立项
    IN_PROGRESS = "in_progress"  # 整改中
    REVIEW = "review"  # 申请销号 (signed or not: see Facts.signed)
    NOTICE = "notice"  # 公示
    CLOSED = "closed"  # 已销号
    RETURNED = "returned"  # 退回
    CANCELLED = "cancelled"  # 中止


STATE_LABELS: dict[State, Message] = {
    State.OPEN: _("Open"),
    State.IN_PROGRESS: _("In progress"),
    State.REVIEW: _("Close-out requested"),
    State.NOTICE: _("Public notice"),
    State.CLOSED: _("Closed out"),
    State.RETURNED: _("Returned"),
    State.CANCELLED: _("Cancelled"),
}

#: States in which the work is not finished: these count as "open" for deadlines, urging and Open311.
ACTIVE_STATES = frozenset({State.OPEN, State.IN_PROGRESS, State.REVIEW, State.NOTICE, State.RETURNED})
FINAL_STATES = frozenset({State.CLOSED, State.CANCELLED})


class Actor(StrEnum):
    """What a person is *to this problem* (computed by `ledger.permissions.actors_on`)."""

    EMPLOYEE = "employee"  # any signed-in person who can see the problem
    RAISER = "raiser"  # raised one of the problem's opinions (also anonymously, through the receipt code)
    ASSISTANT = "assistant"  # handler or leader of an assisting unit (协办)
    HANDLER = "handler"  # handler over the lead unit (主办), or the problem's owner (责任人)
    LEADER = "leader"  # leader over the lead unit, or the problem's leader (责任领导)
    SUPERVISOR = "supervisor"  # supervision group / campaign office over the lead unit
    SYSTEM = "system"  # scheduled tasks, and imports of a ledger file on behalf of the importing supervisor


ACTOR_LABELS: dict[Actor, Message] = {
    Actor.EMPLOYEE: _("Employee"),
    Actor.RAISER: _("Raiser"),
    Actor.ASSISTANT: _("Assisting unit"),
    Actor.HANDLER: _("Handler"),
    Actor.LEADER: _("Unit leader"),
    Actor.SUPERVISOR: _("Supervisor"),
    Actor.SYSTEM: _("System"),
}


class Action(StrEnum):
    START = "start"
    RETURN = "return"
    REASSIGN = "reassign"
    EDIT = "edit"
    PROGRESS = "progress"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    REQUEST_CLOSEOUT = "request_closeout"
    SIGN = "sign"
    REJECT = "reject"
    VERIFY = "verify"
    OBJECT = "object"
    UPHOLD_OBJECTION = "uphold_objection"
    DISMISS_OBJECTION = "dismiss_objection"
    CONCLUDE_NOTICE = "conclude_notice"
    LOOK_BACK_HOLD = "look_back_hold"
    REOPEN = "reopen"
    CANCEL = "cancel"
    URGE = "urge"
    REPLY_URGE = "reply_urge"
    ESCALATE_URGE = "escalate_urge"
    RATE = "rate"


@dataclass(frozen=True)
class Rules:
    """The organisation's thresholds (settings.TAIZHANG), passed in so this module stays pure."""

    rating_quorum: float = 0.5
    unsatisfied_max_share: float = 0.5
    notice_days: int = 0


@dataclass(frozen=True)
class Facts:
    """Everything a guard may look at. Services fill it from the database and the request."""

    state: State
    actors: frozenset[Actor]
    now: dt.datetime
    rules: Rules = field(default_factory=Rules)
    actor_id: int | None = None
    # the request
    reason: str = ""
    completion_note: str = ""
    new_deadline: dt.date | None = None
    # the problem
    deadline: dt.date | None = None
    is_long_term: bool = False
    open_children: int = 0
    evidence_count: int = 0
    evidence_required: bool = True
    signed: bool = False
    closeout_requested_by: int | None = None
    pending_extension: bool = False
    objection_pending: bool = False
    urge_waiting: bool = False  # an urge notice (supervision) waits for the unit's reply
    notice_ends_at: dt.datetime | None = None
    rating_window_ends_at: dt.datetime | None = None
    # the people
    verifier_outside_unit: bool = False
    raisers: int = 0
    ratings: int = 0
    unsatisfied: int = 0
    already_rated: bool = False

    @property
    def today(self) -> dt.date:
        return self.now.date()


@dataclass(frozen=True)
class Guard:
    name: str
    description: Message
    refuse: Callable[[Facts], Message | None]


def _guard(name: str, description: Message) -> Callable[[Callable[[Facts], Message | None]], Guard]:
    def wrap(function: Callable[[Facts], Message | None]) -> Guard:
        return Guard(name=name, description=description, refuse=function)

    return wrap


@_guard("reason_given", _("A reason is given."))
def REASON_GIVEN(facts: Facts) -> Message | None:  # noqa: N802  # guards are constants of the table
    return None if facts.reason.strip() else _("Give a reason.")


@_guard("completion_note_given", _("The request describes what was done."))
def COMPLETION_NOTE_GIVEN(facts: Facts) -> Message | None:  # noqa: N802
    return None if facts.completion_note.strip() else _("Describe what was done to fix the problem.")


@_guard(
    "evidence_attached",
    _("Evidence (before/after photos or a document) is attached, unless the category says none is needed."),
)
def EVIDENCE_ATTACHED(facts: Facts) -> Message | None:  # noqa: N802
    if not facts.evidence_required or facts.evidence_count > 0:
        return None
    return _("Attach evidence of the fix (before/after photos or a document) before requesting close-out.")


@_guard("milestones_closed", _("A long-term item's milestones are all closed out or cancelled."))
def MILESTONES_CLOSED(facts: Facts) -> Message | None:  # noqa: N802
    if facts.open_children == 0:
        return None
    return _("This long-term item still has %(count)d open milestone(s); it is closed out in stages.") % {
        "count": facts.open_children
    }


@_guard("before_deadline", _("Requested on or before the current deadline."))
def BEFORE_DEADLINE(facts: Facts) -> Message | None:  # noqa: N802
    if facts.deadline is None:
        return _("A long-term item has no deadline to extend.")
    if facts.today > facts.deadline:
        return _("An extension must be requested before the deadline (%(deadline)s); it has passed.") % {
            "deadline": facts.deadline.isoformat()
        }
    return None


@_guard("new_deadline_later", _("The new deadline is later than the current one."))
def NEW_DEADLINE_LATER(facts: Facts) -> Message | None:  # noqa: N802
    if facts.new_deadline is None:
        return _("Give the new deadline.")
    if facts.deadline is not None and facts.new_deadline <= facts.deadline:
        return _("The new deadline must be later than the current one (%(deadline)s).") % {
            "deadline": facts.deadline.isoformat()
        }
    return None


@_guard("no_pending_extension", _("No other extension request is waiting."))
def NO_PENDING_EXTENSION(facts: Facts) -> Message | None:  # noqa: N802
    return _("An extension request is already waiting for a decision.") if facts.pending_extension else None


@_guard("extension_pending", _("An extension request is waiting."))
def EXTENSION_PENDING(facts: Facts) -> Message | None:  # noqa: N802
    return None if facts.pending_extension else _("There is no extension request to decide.")


@_guard("not_signed", _("The leader has not signed yet."))
def NOT_SIGNED(facts: Facts) -> Message | None:  # noqa: N802
    return _("The leader has already signed this close-out request.") if facts.signed else None


@_guard("signer_is_not_requester", _("The leader who signs is not the person who requested close-out."))
def SIGNER_IS_NOT_REQUESTER(facts: Facts) -> Message | None:  # noqa: N802
    if facts.actor_id is not None and facts.actor_id == facts.closeout_requested_by:
        return _("You requested this close-out; another leader of the unit must sign it.")
    return None


@_guard("signed", _("The unit's leader has signed the request (审签)."))
def SIGNED(facts: Facts) -> Message | None:  # noqa: N802
    return None if facts.signed else _("The responsible leader must sign the close-out request first.")


@_guard("verifier_outside_unit", _("The verifier does not belong to, or work for, the responsible unit."))
def VERIFIER_OUTSIDE_UNIT(facts: Facts) -> Message | None:  # noqa: N802
    if facts.verifier_outside_unit:
        return None
    return _("The fix must be verified by someone outside the responsible unit.")


@_guard("ratings_allow", _("The rating window has passed, or enough raisers have rated."))
def RATINGS_ALLOW(facts: Facts) -> Message | None:  # noqa: N802
    if facts.raisers == 0:
        return None
    if facts.rating_window_ends_at is not None and facts.now >= facts.rating_window_ends_at:
        return None
    needed = facts.rules.rating_quorum * facts.raisers
    if facts.ratings >= needed:
        return None
    return _(
        "The raisers are still rating the fix (%(ratings)d of %(raisers)d have rated; the window ends "
        "%(ends)s)."
    ) % {
        "ratings": facts.ratings,
        "raisers": facts.raisers,
        "ends": facts.rating_window_ends_at.isoformat(timespec="minutes")
        if facts.rating_window_ends_at
        else "-",
    }


@_guard("raisers_not_unsatisfied", _("不满意 does not outweigh the other ratings (threshold configurable)."))
def RAISERS_NOT_UNSATISFIED(facts: Facts) -> Message | None:  # noqa: N802
    if facts.ratings == 0:
        return None
    share = facts.unsatisfied / facts.ratings
    if share > facts.rules.unsatisfied_max_share:
        return _("%(unsatisfied)d of %(ratings)d ratings are 不满意; the fix cannot be verified.") % {
            "unsatisfied": facts.unsatisfied,
            "ratings": facts.ratings,
        }
    return None


@_guard("notice_period_over", _("The public notice period has ended."))
def NOTICE_PERIOD_OVER(facts: Facts) -> Message | None:  # noqa: N802
    if facts.notice_ends_at is None or facts.now >= facts.notice_ends_at:
        return None
    return _("The public notice runs until %(ends)s.") % {
        "ends": facts.notice_ends_at.isoformat(timespec="minutes")
    }


@_guard("no_pending_objection", _("No objection is waiting for a decision."))
def NO_PENDING_OBJECTION(facts: Facts) -> Message | None:  # noqa: N802
    return _("An objection is waiting for a decision.") if facts.objection_pending else None


@_guard("objection_pending", _("An objection is waiting."))
def OBJECTION_PENDING(facts: Facts) -> Message | None:  # noqa: N802
    return None if facts.objection_pending else _("There is no objection to decide.")


@_guard("urge_waiting", _("An urge notice is waiting for the unit's reply."))
def URGE_WAITING(facts: Facts) -> Message | None:  # noqa: N802
    return None if facts.urge_waiting else _("This urge notice has already been answered.")


@_guard("not_rated_yet", _("The raiser has not rated this round yet."))
def NOT_RATED_YET(facts: Facts) -> Message | None:  # noqa: N802
    return _("You have already rated this fix.") if facts.already_rated else None


def _notice_configured(facts: Facts) -> bool:
    return facts.rules.notice_days > 0


def _no_notice(facts: Facts) -> bool:
    return facts.rules.notice_days <= 0


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State | None  # None: the state does not change
    actors: frozenset[Actor]
    event_kind: str
    label: Message
    guards: tuple[Guard, ...] = ()
    # Chooses between two rows of the same action (verify → notice or straight to closed).
    when: Callable[[Facts], bool] | None = None

    def target_for(self, state: State) -> State:
        return self.target if self.target is not None else state


def _states(*states: State) -> frozenset[State]:
    return frozenset(states)


def _actors(*actors: Actor) -> frozenset[Actor]:
    return frozenset(actors)


WORKING = _actors(Actor.HANDLER, Actor.LEADER)
# An imported ledger states that work is under way and what its progress is; the system records that (with
# the importing supervisor as the actor). Imports use no other transition for the system: a close-out keeps
# its actors and guards (evidence, signature, outside verifier, ratings), so no file closes an item.
IMPORTABLE = WORKING | _actors(Actor.SYSTEM)
CANCELLABLE = _states(State.OPEN, State.IN_PROGRESS, State.REVIEW, State.NOTICE, State.RETURNED)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Action.START,
        _states(State.OPEN),
        State.IN_PROGRESS,
        IMPORTABLE,
        "problem.started",
        _("Start the work"),
    ),
    Transition(
        Action.RETURN,
        _states(State.OPEN),
        State.RETURNED,
        WORKING,
        "problem.returned",
        _("Return: not our unit's"),
        (REASON_GIVEN,),
    ),
    Transition(
        Action.REASSIGN,
        _states(State.RETURNED),
        State.OPEN,
        _actors(Actor.SUPERVISOR),
        "problem.reassigned",
        _("Reassign to a unit"),
    ),
    Transition(
        Action.EDIT,
        _states(State.OPEN, State.IN_PROGRESS, State.RETURNED, State.REVIEW),
        None,
        _actors(Actor.LEADER, Actor.SUPERVISOR),
        "problem.edited",
        _("Edit the ledger entry"),
    ),
    Transition(
        Action.PROGRESS,
        _states(State.IN_PROGRESS),
        None,
        _actors(Actor.HANDLER, Actor.LEADER, Actor.ASSISTANT, Actor.SYSTEM),
        "problem.progress",
        _("Record progress"),
    ),
    Transition(
        Action.REQUEST_EXTENSION,
        _states(State.OPEN, State.IN_PROGRESS),
        None,
        WORKING,
        "problem.extension_requested",
        _("Request an extension"),
        (REASON_GIVEN, BEFORE_DEADLINE, NEW_DEADLINE_LATER, NO_PENDING_EXTENSION),
    ),
    Transition(
        Action.APPROVE_EXTENSION,
        _states(State.OPEN, State.IN_PROGRESS),
        None,
        _actors(Actor.SUPERVISOR),
        "problem.extension_approved",
        _("Approve the extension"),
        (EXTENSION_PENDING,),
    ),
    Transition(
        Action.REJECT_EXTENSION,
        _states(State.OPEN, State.IN_PROGRESS),
        None,
        _actors(Actor.SUPERVISOR),
        "problem.extension_rejected",
        _("Reject the extension"),
        (EXTENSION_PENDING, REASON_GIVEN),
    ),
    Transition(
        Action.REQUEST_CLOSEOUT,
        _states(State.IN_PROGRESS),
        State.REVIEW,
        WORKING,
        "problem.closeout_requested",
        _("Request close-out"),
        (COMPLETION_NOTE_GIVEN, EVIDENCE_ATTACHED, MILESTONES_CLOSED),
    ),
    Transition(
        Action.SIGN,
        _states(State.REVIEW),
        None,
        _actors(Actor.LEADER),
        "problem.signed",
        _("Sign the close-out request"),
        (NOT_SIGNED, SIGNER_IS_NOT_REQUESTER),
    ),
    Transition(
        Action.REJECT,
        _states(State.REVIEW),
        State.IN_PROGRESS,
        _actors(Actor.LEADER, Actor.SUPERVISOR),
        "problem.rejected",
        _("Reject the close-out request"),
        (REASON_GIVEN,),
    ),
    Transition(
        Action.VERIFY,
        _states(State.REVIEW),
        State.NOTICE,
        _actors(Actor.SUPERVISOR),
        "problem.verified",
        _("Verify the fix"),
        (SIGNED, VERIFIER_OUTSIDE_UNIT, RATINGS_ALLOW, RAISERS_NOT_UNSATISFIED),
        when=_notice_configured,
    ),
    Transition(
        Action.VERIFY,
        _states(State.REVIEW),
        State.CLOSED,
        _actors(Actor.SUPERVISOR),
        "problem.verified",
        _("Verify the fix"),
        (SIGNED, VERIFIER_OUTSIDE_UNIT, RATINGS_ALLOW, RAISERS_NOT_UNSATISFIED),
        when=_no_notice,
    ),
    Transition(
        Action.OBJECT,
        _states(State.NOTICE),
        None,
        _actors(Actor.RAISER, Actor.EMPLOYEE),
        "problem.objection_raised",
        _("Object to the close-out"),
        (REASON_GIVEN, NO_PENDING_OBJECTION),
    ),
    Transition(
        Action.UPHOLD_OBJECTION,
        _states(State.NOTICE),
        State.IN_PROGRESS,
        _actors(Actor.SUPERVISOR),
        "problem.objection_upheld",
        _("Uphold the objection"),
        (OBJECTION_PENDING, REASON_GIVEN),
    ),
    Transition(
        Action.DISMISS_OBJECTION,
        _states(State.NOTICE),
        None,
        _actors(Actor.SUPERVISOR),
        "problem.objection_dismissed",
        _("Dismiss the objection"),
        (OBJECTION_PENDING, REASON_GIVEN),
    ),
    Transition(
        Action.CONCLUDE_NOTICE,
        _states(State.NOTICE),
        State.CLOSED,
        _actors(Actor.SUPERVISOR, Actor.SYSTEM),
        "problem.closed",
        _("Close out after the notice"),
        (NOTICE_PERIOD_OVER, NO_PENDING_OBJECTION),
    ),
    Transition(
        Action.LOOK_BACK_HOLD,
        _states(State.CLOSED),
        None,
        _actors(Actor.SUPERVISOR),
        "problem.look_back_held",
        _("Look back: the fix holds"),
    ),
    Transition(
        Action.REOPEN,
        _states(State.CLOSED),
        State.IN_PROGRESS,
        _actors(Actor.SUPERVISOR),
        "problem.reopened",
        _("Reopen: regressed or raisers unsatisfied"),
        (REASON_GIVEN,),
    ),
    Transition(
        Action.CANCEL,
        CANCELLABLE,
        State.CANCELLED,
        _actors(Actor.SUPERVISOR),
        "problem.cancelled",
        _("Cancel the item"),
        (REASON_GIVEN,),
    ),
    Transition(
        Action.URGE,
        _states(State.OPEN, State.IN_PROGRESS, State.REVIEW),
        None,
        _actors(Actor.SUPERVISOR, Actor.SYSTEM),
        "problem.urged",
        _("Urge the unit (督办)"),
    ),
    Transition(
        Action.REPLY_URGE,
        frozenset(State),  # a notice addressed to the unit can always be answered
        None,
        WORKING,
        "problem.urge_replied",
        _("Reply to the urge notice"),
        (URGE_WAITING, REASON_GIVEN),
    ),
    Transition(
        Action.ESCALATE_URGE,
        _states(State.OPEN, State.IN_PROGRESS, State.REVIEW),
        None,
        _actors(Actor.SYSTEM),
        "problem.urge_escalated",
        _("Escalate an unanswered urge notice"),
        (URGE_WAITING,),
    ),
    Transition(
        Action.RATE,
        _states(State.REVIEW, State.NOTICE, State.CLOSED),
        None,
        _actors(Actor.RAISER),
        "problem.rated",
        _("Rate the fix"),
        (NOT_RATED_YET,),
    ),
)

#: Fields of the ledger entry each actor may edit (Action.EDIT). Deadlines change through extensions.
EDITABLE_FIELDS: dict[Actor, frozenset[str]] = {
    Actor.SUPERVISOR: frozenset(
        {
            "title",
            "description",
            "source",
            "category",
            "measures",
            "deadline",
            "working_days",
            "is_long_term",
            "leader",
            "owner",
            "target_quantity",
            "measure_word",
            "priority",
            "is_public",
            "campaign",
        }
    ),
    Actor.LEADER: frozenset({"measures", "owner", "target_quantity"}),
}


class WorkflowError(Exception):
    """A transition refused: `code` is machine-readable, `message` is for people."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


def transitions_for(action: Action) -> tuple[Transition, ...]:
    return tuple(row for row in TRANSITIONS if row.action == action)


def check(action: Action, facts: Facts) -> Transition:
    """The transition `action` takes from `facts`, or WorkflowError saying why not.

    Order of refusal: the state, then the person, then each guard in the row's order — so the message
    names the first thing the person must change.
    """
    rows = [row for row in transitions_for(action) if row.when is None or row.when(facts)]
    if not rows:
        raise WorkflowError("unknown_action", _("Unknown action."))
    in_state = [row for row in rows if facts.state in row.sources]
    if not in_state:
        raise WorkflowError(
            "wrong_state",
            _("“%(action)s” is not possible while the item is “%(state)s”.")
            % {
                "action": rows[0].label,
                "state": STATE_LABELS[facts.state],
            },
        )
    row = in_state[0]
    if not (row.actors & facts.actors):
        raise WorkflowError(
            "not_permitted", _("You may not “%(action)s” on this item.") % {"action": row.label}
        )
    for guard in row.guards:
        message = guard.refuse(facts)
        if message is not None:
            raise WorkflowError(guard.name, message)
    return row


def offered(action: Action, facts: Facts) -> bool:
    """Whether to show the action's button: right state and right person (guards are checked on submit)."""
    return any(
        facts.state in row.sources and bool(row.actors & facts.actors)
        for row in transitions_for(action)
        if row.when is None or row.when(facts)
    )


def offered_actions(facts: Facts) -> list[Action]:
    return [action for action in Action if offered(action, facts)]
