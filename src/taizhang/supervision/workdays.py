"""Deadlines in calendar or working days. Working days follow the mainland China calendar — weekends,
public holidays and the make-up working days (调休) — as published each year by the State Council and kept
in the `chinese-calendar` package.

The package knows the years it was released for; a date outside them raises `CalendarNotCovered`, a domain
error that names the covered years, instead of a silent guess (a wrong deadline is worse than none).

Counting convention, the same for both kinds of day: the days allowed between `start` and `end` are the days
d with start < d ≤ end — the start day is not counted, the deadline day is.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools

import chinese_calendar
from chinese_calendar import constants as calendar_data
from django.utils.translation import gettext as _

from taizhang.core.errors import DomainError
from taizhang.supervision.lights import DayCounter, calendar_days


class CalendarNotCovered(DomainError):
    """A working-day count reached a date the installed holiday calendar does not cover."""

    code = "calendar_not_covered"

    def __init__(self, day: dt.date) -> None:
        first, last = coverage()
        super().__init__(
            _(
                "The working-day calendar covers %(first)s to %(last)s; %(day)s is outside it. Count "
                "calendar days for this item, or upgrade the chinese-calendar package once the State Council "
                "has published that year's holidays."
            )
            % {"first": first.isoformat(), "last": last.isoformat(), "day": day.isoformat()},
            field="deadline",
        )
        self.day = day


@functools.cache
def coverage() -> tuple[dt.date, dt.date]:
    """The first and last day the installed calendar knows (whole years)."""
    years = [day.year for day in calendar_data.holidays]
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


@functools.cache
def _working_ordinals() -> tuple[int, ...]:
    """Every working day of the covered years, as sorted ordinals: a count is two binary searches."""
    first, last = coverage()
    days = chinese_calendar.get_workdays(first, last)  # make-up Saturdays count
    return tuple(day.toordinal() for day in days)


def _check(*days: dt.date) -> None:
    first, last = coverage()
    for day in days:
        if not first <= day <= last:
            raise CalendarNotCovered(day)


def is_working_day(day: dt.date) -> bool:
    _check(day)
    ordinals = _working_ordinals()
    index = bisect.bisect_left(ordinals, day.toordinal())
    return index < len(ordinals) and ordinals[index] == day.toordinal()


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d ≤ end (negative when end is before start)."""
    if end < start:
        return -working_days(end, start)
    _check(start, end)
    ordinals = _working_ordinals()
    return bisect.bisect_right(ordinals, end.toordinal()) - bisect.bisect_right(ordinals, start.toordinal())


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (`start` itself when days is 0)."""
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return start
    _check(start)
    ordinals = _working_ordinals()
    index = bisect.bisect_right(ordinals, start.toordinal()) + days - 1
    if index >= len(ordinals):
        raise CalendarNotCovered(coverage()[1] + dt.timedelta(days=1))
    return dt.date.fromordinal(ordinals[index])


def deadline_for(start: dt.date, days: int, working: bool) -> dt.date:
    """The deadline `days` days after `start`: calendar days, or working days of the mainland calendar."""
    if days < 0:
        raise DomainError(_("The time allowed cannot be negative."), field="days")
    return add_working_days(start, days) if working else start + dt.timedelta(days=days)


def day_counter(working: bool) -> DayCounter:
    """The counter the traffic light uses for a problem (see `lights.light`)."""
    return working_days if working else calendar_days
