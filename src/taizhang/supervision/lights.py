"""The traffic light of a problem from its schedule progress (序时进度), as DESIGN.md defines it.

expected progress = time elapsed / time allowed; actual progress from the quantity done (or the weighted
milestones of a long-term item). Green while actual keeps up; yellow when it is `yellow_behind`–`red_behind`
points behind; red beyond that or when overdue. Pure: the day counter (calendar or working days) is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from taizhang.ledger.workflow import State


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


LIGHT_LABELS = {
    Light.GREEN: _("On schedule"),
    Light.YELLOW: _("Behind schedule"),
    Light.RED: _("Far behind or overdue"),
}

#: Days from the first date to the second; calendar or working days.
type DayCounter = Callable[[dt.date, dt.date], int]

DONE_STATES = frozenset({State.REVIEW, State.NOTICE, State.CLOSED})


def calendar_days(start: dt.date, end: dt.date) -> int:
    return (end - start).days


@dataclass(frozen=True)
class Schedule:
    state: State
    start: dt.date
    deadline: dt.date | None
    actual: float | None  # 0..1, None when the item has no measure of progress


def actual_progress(state: State, done: int, target: int | None, started: bool) -> float | None:
    """Share of the work done. Finished states count as done; without a target only "not started" is known."""
    if state in DONE_STATES:
        return 1.0
    if target:
        return min(1.0, done / target)
    return 0.0 if not started else None


def expected_progress(schedule: Schedule, today: dt.date, count: DayCounter = calendar_days) -> float | None:
    if schedule.deadline is None:
        return None
    allowed = count(schedule.start, schedule.deadline)
    if allowed <= 0:
        return 1.0
    return max(0.0, min(1.0, count(schedule.start, today) / allowed))


def light(  # noqa: PLR0911  # one return per rule, in the order DESIGN.md gives them
    schedule: Schedule,
    today: dt.date,
    *,
    yellow_behind: float = 10,
    red_behind: float = 30,
    count: DayCounter = calendar_days,
) -> Light | None:
    """None for items without a light: closed or cancelled ones, and long-term items without a deadline."""
    if schedule.state in (State.CLOSED, State.CANCELLED):
        return None
    if schedule.deadline is not None and today > schedule.deadline and schedule.state not in DONE_STATES:
        return Light.RED
    expected = expected_progress(schedule, today, count)
    if expected is None:
        return None
    if schedule.actual is None:
        return Light.GREEN  # in progress, nothing to measure, not overdue
    behind = round((expected - schedule.actual) * 100, 6)  # 0.5 - 0.4 must be 10 points, not 9.999…
    if behind > red_behind:
        return Light.RED
    if behind >= yellow_behind:
        return Light.YELLOW
    return Light.GREEN
