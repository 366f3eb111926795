"""A reporting period: whole local days, both ends included."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.errors import InvalidInput


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both local dates included (the server's TIME_ZONE, Asia/Shanghai by default)."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(_("The period ends before it starts."), field="end")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def months(cls, year: int, first: int, last: int) -> Period:
        return cls(cls.month(year, first).start, cls.month(year, last).end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware datetimes [start of `start`, start of the day after `end`) in the current time zone."""
        zone = timezone.get_current_timezone()
        begin = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return begin, after

    def month_starts(self) -> list[dt.date]:
        """The first day of every month the period touches."""
        months = []
        current = self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + dt.timedelta(days=32)).replace(day=1)
        return months

    def a_year_earlier(self) -> Period:
        """The same days a year before (29 February becomes 28 February)."""
        return Period(_year_back(self.start), _year_back(self.end))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
