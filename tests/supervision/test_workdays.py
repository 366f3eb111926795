"""Working days follow the mainland China calendar: holidays off, make-up working days on; a clear error
outside the years the calendar covers."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.core.errors import DomainError
from taizhang.ledger.workflow import State
from taizhang.supervision.lights import Light, Schedule, calendar_days, light
from taizhang.supervision.workdays import (
    CalendarNotCovered,
    add_working_days,
    coverage,
    day_counter,
    deadline_for,
    is_working_day,
    working_days,
)

# National Day 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are make-up working days.
FRIDAY_BEFORE = dt.date(2025, 9, 26)


def test_holidays_are_off_and_make_up_days_are_on() -> None:
    assert not is_working_day(dt.date(2025, 10, 1))  # National Day, a Wednesday
    assert not is_working_day(dt.date(2025, 10, 8))
    assert is_working_day(dt.date(2025, 9, 28))  # a Sunday, worked in lieu
    assert is_working_day(dt.date(2025, 10, 11))  # a Saturday, worked in lieu
    assert not is_working_day(dt.date(2025, 10, 12))  # an ordinary Sunday


def test_counting_working_days_skips_the_golden_week() -> None:
    # 28, 29, 30 September, then 9, 10, 11 October
    assert working_days(FRIDAY_BEFORE, dt.date(2025, 10, 12)) == 6
    assert working_days(dt.date(2025, 10, 12), FRIDAY_BEFORE) == -6
    assert calendar_days(FRIDAY_BEFORE, dt.date(2025, 10, 12)) == 16


def test_deadlines_in_calendar_or_working_days() -> None:
    assert deadline_for(FRIDAY_BEFORE, 4, working=False) == dt.date(2025, 9, 30)
    assert deadline_for(FRIDAY_BEFORE, 4, working=True) == dt.date(2025, 10, 9)  # 28, 29, 30 Sep, 9 Oct
    assert deadline_for(FRIDAY_BEFORE, 6, working=True) == dt.date(2025, 10, 11)  # the make-up Saturday
    assert add_working_days(FRIDAY_BEFORE, 0) == FRIDAY_BEFORE
    with pytest.raises(DomainError):
        deadline_for(FRIDAY_BEFORE, -1, working=True)


def test_dates_outside_the_calendar_raise_a_clear_error() -> None:
    first, last = coverage()
    assert first.year <= 2014 and last.year >= 2025
    beyond = dt.date(last.year + 1, 3, 2)
    with pytest.raises(CalendarNotCovered) as refused:
        working_days(dt.date(last.year, 12, 1), beyond)
    message = str(refused.value)
    assert beyond.isoformat() in message and last.isoformat() in message
    assert refused.value.code == "calendar_not_covered"
    with pytest.raises(CalendarNotCovered):
        deadline_for(dt.date(last.year, 12, 20), 30, working=True)
    with pytest.raises(CalendarNotCovered):
        is_working_day(dt.date(first.year - 1, 6, 1))
    # calendar days need no calendar
    assert deadline_for(dt.date(last.year, 12, 20), 30, working=False) == dt.date(last.year + 1, 1, 19)


def test_the_light_counts_working_days_when_asked() -> None:
    """On 29 September 2025 an item started 26 September and due 9 October has used 3 of its 13 calendar
    days (23%) but 2 of its 4 working days (50%): with 22% done, green by calendar days, yellow by working
    days."""
    schedule = Schedule(State.IN_PROGRESS, FRIDAY_BEFORE, dt.date(2025, 10, 9), actual=0.22)
    today = dt.date(2025, 9, 29)
    assert light(schedule, today, count=day_counter(working=False)) == Light.GREEN
    assert light(schedule, today, count=day_counter(working=True)) == Light.YELLOW
