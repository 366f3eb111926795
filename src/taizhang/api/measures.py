"""The measures endpoint's bridge to the one measures module (taizhang.reports.measures).

The module checks the person may report on the unit and scopes everything to their roles; here the result is
flattened for JSON: each measure by name, and the counts it was computed from as `count_<name>`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from taizhang.org.models import Person, Unit
from taizhang.reports import measures as definitions
from taizhang.reports.period import Period


def compute(
    *, user: Person, unit: Unit | None, start: dt.date, end: dt.date
) -> dict[str, float | int | None]:
    result = definitions.compute(user=user, period=Period(start, end), unit=unit)
    values: dict[str, float | int | None] = {
        field.name: getattr(result, field.name)
        for field in dataclasses.fields(result)
        if field.name != "counts"
    }
    values.update({f"count_{name}": value for name, value in dataclasses.asdict(result.counts).items()})
    return values
