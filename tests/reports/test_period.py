"""Reporting periods: local days, months touched, the same days a year earlier."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from taizhang.core.errors import InvalidInput
from taizhang.reports.period import Period


def test_bounds_are_local_midnights_and_the_end_day_is_included() -> None:
    begin, after = Period(dt.date(2014, 3, 1), dt.date(2014, 3, 31)).bounds()
    zone = ZoneInfo("Asia/Shanghai")
    assert begin == dt.datetime(2014, 3, 1, tzinfo=zone)
    assert after == dt.datetime(2014, 4, 1, tzinfo=zone)
    assert begin.astimezone(dt.UTC) == dt.datetime(2014, 2, 28, 16, tzinfo=dt.UTC)


def test_months_touched_and_a_year_earlier() -> None:
    period = Period(dt.date(2015, 12, 20), dt.date(2016, 2, 29))
    assert period.month_starts() == [dt.date(2015, 12, 1), dt.date(2016, 1, 1), dt.date(2016, 2, 1)]
    assert period.a_year_earlier() == Period(dt.date(2014, 12, 20), dt.date(2015, 2, 28))
    assert Period.months(2014, 1, 8) == Period(dt.date(2014, 1, 1), dt.date(2014, 8, 31))
    assert Period.year(2014).end == dt.date(2014, 12, 31)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidInput):
        Period(dt.date(2014, 3, 2), dt.date(2014, 3, 1))
