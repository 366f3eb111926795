"""Charts as data: each is a `Chart` (kind, categories, series) plus the same numbers as a table.

The dashboard sends them as JSON to ECharts (static/reports/dashboard.js) and shows the table on request;
the printed report draws the same `Chart` with reportlab (PDF) or Pillow (the .docx image). One builder per
chart, fed by the selectors and the measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from taizhang.ledger.models import Verdict
from taizhang.reports.measures import Measures, Ranking
from taizhang.reports.selectors import YearOnYear
from taizhang.supervision.lights import LIGHT_LABELS, Light

type Cell = str | int | float | None


@dataclass(frozen=True)
class Series:
    name: str
    data: list[float | int | None]
    colour: str | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str  # funnel | bar | hbar | line | pie
    categories: list[str]
    series: list[Series]
    columns: list[str]
    rows: list[list[Cell]]
    unit: str = ""  # of the values, e.g. "%"
    colours: list[str] = field(default_factory=list)  # per category (pie)
    note: str = ""  # shown instead of an empty chart

    def is_empty(self) -> bool:
        """Nothing but zeros and gaps: the chart shows its note instead."""
        return not any(value for series in self.series for value in series.data)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "unit": self.unit,
            "categories": self.categories,
            "colours": self.colours,
            "series": [{"name": s.name, "data": s.data, "colour": s.colour} for s in self.series],
            "table": {"columns": self.columns, "rows": self.rows},
            "note": self.note if self.is_empty() else "",
        }


def percent(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def funnel_chart(received: int, stages: Sequence[tuple[str, int]]) -> Chart:
    labels = {
        "received": _("Opinions received"),
        "listed": _("Put on the list"),
        "started": _("Work started"),
        "requested": _("Close-out requested"),
        "closed": _("Closed out"),
    }
    names = [labels["received"]] + [labels[stage] for stage, _n in stages]
    values = [received] + [n for _stage, n in stages]
    return Chart(
        key="funnel",
        title=_("From opinion to close-out"),
        note=_("Nothing to show for this selection."),
        kind="funnel",
        categories=names,
        series=[Series(_("Items"), list(values))],
        columns=[_("Stage"), _("Items")],
        rows=[[name, value] for name, value in zip(names, values, strict=True)],
    )


def flow_chart(months: Sequence[tuple[dt.date, int, int, int]]) -> Chart:
    labels = [f"{month:%Y-%m}" for month, *_rest in months]
    received = [row[1] for row in months]
    listed = [row[2] for row in months]
    closed = [row[3] for row in months]
    return Chart(
        key="flow",
        title=_("Opinions and close-outs by month"),
        note=_("Nothing to show for this selection."),
        kind="line",
        categories=labels,
        series=[
            Series(_("Opinions received"), list(received), "#1d4ed8"),
            Series(_("Problems listed"), list(listed), "#b45309"),
            Series(_("Problems closed out"), list(closed), "#15803d"),
        ],
        columns=[_("Month"), _("Opinions received"), _("Problems listed"), _("Problems closed out")],
        rows=[[label, a, b, c] for label, a, b, c in zip(labels, received, listed, closed, strict=True)],
    )


def ranking_chart(ranking: Ranking) -> Chart:
    ranked = ranking.ranked
    rows: list[list[Cell]] = [
        [
            entry.rank,
            entry.name,
            round(entry.measures.score or 0, 1),
            percent(entry.measures.response_rate),
            percent(entry.measures.resolution_rate),
            percent(entry.measures.satisfaction_rate),
            entry.measures.counts.items,
        ]
        for entry in ranked
    ]
    rows += [
        [None, f"{entry.name} ({_('too few items')})", None, None, None, None, entry.measures.counts.items]
        for entry in ranking.too_few
    ]
    return Chart(
        key="ranking",
        title=_("Units by composite score"),
        kind="hbar",
        note=""
        if ranked
        else _("No unit has enough items in the period to be ranked; the table lists them."),
        categories=[entry.name for entry in ranked],
        series=[Series(_("Score"), [round(entry.measures.score or 0, 1) for entry in ranked], "#b91c1c")],
        columns=[
            _("Rank"),
            _("Unit"),
            _("Score"),
            _("Response rate %"),
            _("Resolution rate %"),
            _("Satisfaction rate %"),
            _("Items"),
        ],
        rows=rows,
    )


LIGHT_COLOURS = {Light.GREEN: "#15803d", Light.YELLOW: "#eab308", Light.RED: "#b91c1c"}


def lights_chart(counts: dict[Light, int]) -> Chart:
    names = [str(LIGHT_LABELS[colour]) for colour in Light]
    values = [counts.get(colour, 0) for colour in Light]
    return Chart(
        key="lights",
        title=_("Traffic lights of the unfinished items"),
        note=_("Nothing to show for this selection."),
        kind="pie",
        categories=names,
        series=[Series(_("Items"), list(values))],
        columns=[_("Light"), _("Items")],
        rows=[[name, value] for name, value in zip(names, values, strict=True)],
        colours=[LIGHT_COLOURS[colour] for colour in Light],
    )


VERDICT_COLOURS = {
    Verdict.SATISFIED: "#15803d",
    Verdict.BASICALLY_SATISFIED: "#84cc16",
    Verdict.UNSATISFIED: "#b91c1c",
}


def satisfaction_chart(verdicts: dict[str, int]) -> Chart:
    choices = list(Verdict)
    names = [str(choice.label) for choice in choices]
    values = [verdicts.get(choice.value, 0) for choice in choices]
    return Chart(
        key="satisfaction",
        title=_("The raisers' ratings"),
        note=_("Nothing to show for this selection."),
        kind="pie",
        categories=names,
        series=[Series(_("Ratings"), list(values))],
        columns=[_("Verdict"), _("Ratings")],
        rows=[[name, value] for name, value in zip(names, values, strict=True)],
        colours=[VERDICT_COLOURS[choice] for choice in choices],
    )


def expenses_chart(lines: Sequence[YearOnYear]) -> Chart:
    return Chart(
        key="expenses",
        title=_("Expenses and meetings, change on a year earlier"),
        note=_("Nothing to show for this selection."),
        kind="bar",
        unit="%",
        categories=[line.kind for line in lines],
        series=[Series(_("Year-on-year change %"), [line.change_percent for line in lines], "#1d4ed8")],
        columns=[
            _("Kind"),
            _("A year earlier"),
            _("This period"),
            _("Unit of measure"),
            _("Year-on-year change %"),
        ],
        rows=[
            [line.kind, float(line.previous), float(line.current), line.unit_of_measure, line.change_percent]
            for line in lines
        ],
    )


def rates_chart(measures: Measures) -> Chart:
    names = [_("Response rate"), _("Resolution rate"), _("Satisfaction rate"), _("On-time rate")]
    values = [
        percent(measures.response_rate),
        percent(measures.resolution_rate),
        percent(measures.satisfaction_rate),
        percent(measures.on_time_rate),
    ]
    return Chart(
        key="rates",
        title=_("The rates"),
        note=_("Nothing to show for this selection."),
        kind="bar",
        unit="%",
        categories=names,
        series=[Series(_("Rate %"), list(values), "#b91c1c")],
        columns=[_("Measure"), _("Rate %")],
        rows=[[name, value] for name, value in zip(names, values, strict=True)],
    )
