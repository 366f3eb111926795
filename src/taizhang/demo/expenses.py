"""The demo's expenses and meetings, 2013 and 2014 (to September).

January–August 2014 against 2013, over the whole enterprise, reads as the article: 公车运行费 −40 %,
公务接待费 −24 %, 外出培训费 −45 %, and fewer meetings and documents.

会议次数 is not entered: the kind counts the meeting records (`ExpenseKind.meetings_from`, from January 2013),
so it reads the demo's meetings — six units' office and dispatch meetings of 2013 and 2014, cut from March
2014, and the campaign's own (the June democratic-life meeting, those of 7 July – 10 August …).

Figures are monthly per unit with seasonal swings and noise; one figure per kind is then nudged so the totals
come out exact. Deterministic: a second run finds everything in place and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from taizhang.core import clock
from taizhang.org.models import Unit
from taizhang.reports.models import ExpenseKind, ExpenseRecord


@dataclass(frozen=True)
class DemoKind:
    code: str
    name: str
    unit_of_measure: str
    decimals: int
    monthly: int  # a typical unit's figure in 2013
    change_percent: int  # January–August 2014 against 2013
    exact: bool  # whether the total must come out exactly at change_percent
    meetings_from: dt.date | None = None  # counted from the meeting records from this month: no figures


KINDS = (
    DemoKind("vehicle", "公车运行费", "元", 2, 42_000, -40, exact=True),
    DemoKind("hospitality", "公务接待费", "元", 2, 18_000, -24, exact=True),
    DemoKind("training-travel", "外出培训费", "元", 2, 26_000, -45, exact=True),
    DemoKind("meetings", "会议次数", "次", 0, 0, 0, exact=False, meetings_from=dt.date(2013, 1, 1)),
    DemoKind("documents", "发文数量", "件", 0, 30, -28, exact=False),
)

#: A year's swing: fewer costs around the Spring Festival and midsummer.
SEASON = (0.8, 0.7, 1.05, 1.1, 1.05, 1.0, 0.9, 0.85, 1.05, 1.1, 1.05, 1.35)
COMPARED_MONTHS = range(1, 9)  # January–August, as the article compares


def _months() -> list[dt.date]:
    return [dt.date(2013, m, 1) for m in range(1, 13)] + [dt.date(2014, m, 1) for m in range(1, 10)]


def _figures(kind: DemoKind, units: list[Unit]) -> dict[tuple[int, dt.date], int]:
    figures: dict[tuple[int, dt.date], int] = {}
    for unit in units:
        rng = random.Random(f"taizhang-demo-{unit.code}-{kind.code}")  # noqa: S311  # demo noise
        size = rng.uniform(0.5, 1.5)
        for month in _months():
            trend = 1.0 if month.year == 2013 else 1 + kind.change_percent / 100
            value = kind.monthly * size * SEASON[month.month - 1] * trend * rng.uniform(0.85, 1.15)
            figures[(unit.pk, month)] = max(1, round(value))
    if kind.exact:
        _make_exact(kind, figures)
    return figures


def _make_exact(kind: DemoKind, figures: dict[tuple[int, dt.date], int]) -> None:
    """Nudge the largest compared figure of 2013 so its total divides by 100, then scale the compared 2014
    figures so their total is exactly (100 + change) % of it, spreading the rounding over the largest ones
    one yuan each (any number of units)."""

    def compared(year: int) -> list[tuple[int, dt.date]]:
        keys = [key for key in figures if key[1].year == year and key[1].month in COMPARED_MONTHS]
        return sorted(keys, key=lambda key: (-figures[key], key))

    before = compared(2013)
    figures[before[0]] += -sum(figures[key] for key in before) % 100
    target = sum(figures[key] for key in before) * (100 + kind.change_percent) // 100
    after = compared(2014)
    factor = target / sum(figures[key] for key in after)
    for key in after:
        figures[key] = max(1, round(figures[key] * factor))
    residue = target - sum(figures[key] for key in after)
    step = 1 if residue > 0 else -1
    for key in after[: abs(residue)]:
        figures[key] += step
    if sum(figures[key] for key in after) != target:  # guard the demo's promise
        raise AssertionError(f"demo expenses for {kind.code} cannot be made exact")


@transaction.atomic
def load_demo_expenses(units: list[Unit]) -> int:
    """Create the five kinds and every unit's monthly figures. Returns the number of figures written (0 when
    everything was already in place)."""
    if not units:
        return 0
    written = 0
    for order, demo in enumerate(KINDS, start=1):
        kind, _created = ExpenseKind.objects.get_or_create(
            code=demo.code,
            defaults={
                "name": demo.name,
                "unit_of_measure": demo.unit_of_measure,
                "decimals": demo.decimals,
                "lower_is_better": True,
                "sort_order": order * 10,
                "meetings_from": demo.meetings_from,
            },
        )
        if demo.meetings_from is not None:
            if kind.meetings_from != demo.meetings_from:  # a demo loaded before meetings were counted
                kind.meetings_from = demo.meetings_from
                kind.save(update_fields=["meetings_from"])
            continue
        stored = {
            (record.unit_id, record.month): record for record in ExpenseRecord.objects.filter(kind=kind)
        }
        now = clock.now()
        new, changed = [], []
        for (unit_id, month), value in _figures(demo, units).items():
            amount = Decimal(value)
            record = stored.get((unit_id, month))
            if record is None:
                new.append(
                    ExpenseRecord(unit_id=unit_id, month=month, kind=kind, amount=amount, updated_at=now)
                )
            elif record.amount != amount:
                record.amount, record.updated_at = amount, now
                changed.append(record)
        ExpenseRecord.objects.bulk_create(new, batch_size=1000)
        ExpenseRecord.objects.bulk_update(changed, ["amount", "updated_at"], batch_size=1000)
        written += len(new) + len(changed)
    return written
