"""The traffic light, worked out by hand (expected = elapsed / allowed; 10 and 30 points behind)."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.ledger.workflow import State
from taizhang.supervision.lights import Light, Schedule, actual_progress, expected_progress, light

START = dt.date(2014, 3, 1)
DEADLINE = dt.date(2014, 3, 31)  # 30 days allowed


def at(day: int, actual: float | None, state: State = State.IN_PROGRESS) -> Light | None:
    return light(Schedule(state, START, DEADLINE, actual), START + dt.timedelta(days=day))


@pytest.mark.parametrize(
    ("day", "actual", "expected"),
    [
        (15, 0.50, Light.GREEN),  # 50% elapsed, 50% done
        (15, 0.41, Light.GREEN),  # 9 points behind
        (15, 0.40, Light.YELLOW),  # 10 points behind
        (15, 0.20, Light.YELLOW),  # 30 points behind
        (15, 0.19, Light.RED),  # 31 points behind
        (30, 0.99, Light.GREEN),  # on the deadline day, 1 point behind
        (31, 0.99, Light.RED),  # overdue
        (15, None, Light.GREEN),  # nothing to measure, not overdue
    ],
)
def test_lights(day: int, actual: float | None, expected: Light) -> None:
    assert at(day, actual) == expected


def test_finished_work_waiting_for_verification_is_not_overdue() -> None:
    assert at(40, 1.0, State.REVIEW) == Light.GREEN
    assert at(40, 1.0, State.CLOSED) is None


def test_thresholds_are_parameters() -> None:
    schedule = Schedule(State.IN_PROGRESS, START, DEADLINE, 0.45)
    today = START + dt.timedelta(days=15)
    assert light(schedule, today) == Light.GREEN
    assert light(schedule, today, yellow_behind=5) == Light.YELLOW


def test_working_days_are_counted_by_the_given_counter() -> None:
    weekdays = lambda a, b: sum(1 for n in range((b - a).days) if (a + dt.timedelta(n)).weekday() < 5)  # noqa: E731
    schedule = Schedule(State.IN_PROGRESS, START, DEADLINE, None)
    assert expected_progress(schedule, dt.date(2014, 3, 8), weekdays) == pytest.approx(
        5 / 20
    )  # 1 March 2014 is a Saturday


def test_actual_progress() -> None:
    assert actual_progress(State.IN_PROGRESS, 349, 698, started=True) == 0.5
    assert actual_progress(State.OPEN, 0, None, started=False) == 0.0
    assert actual_progress(State.IN_PROGRESS, 0, None, started=True) is None
    assert actual_progress(State.NOTICE, 0, None, started=True) == 1.0
