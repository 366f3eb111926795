"""Reads for reports: achievements (成绩单), expenses year on year, and the dashboard's figures.

Every function takes the units already resolved by `reports.scope` (a `UnitScope`), so nobody sees a unit
outside their roles; the measures themselves live in `reports.measures`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from taizhang.campaigns.selectors import meetings_per_month
from taizhang.core.options import current_options
from taizhang.intake.models import Opinion, OpinionState
from taizhang.ledger.models import Category, Problem, Rating, Verdict
from taizhang.ledger.workflow import ACTIVE_STATES, State
from taizhang.org.models import Unit
from taizhang.reports import tally
from taizhang.reports.models import ExpenseKind, ExpenseRecord
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope
from taizhang.supervision.lights import (
    DONE_STATES,
    Light,
    Schedule,
    actual_progress,
    light,
)
from taizhang.supervision.workdays import CalendarNotCovered, day_counter

# --- achievements ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AchievementLine:
    """One line of the 成绩单: 修复 路灯 698 盏."""

    category: str
    verb: str
    noun: str
    quantity: int
    measure_word: str

    def __str__(self) -> str:
        return f"{self.verb}{self.noun} {self.quantity} {self.measure_word}"


def achievement_lines(
    *,
    campaign_id: int | None = None,
    unit_path: str | None = None,
    scope: UnitScope | None = None,
    closed_in: Period | None = None,
) -> list[AchievementLine]:
    """Quantities done per category, over items not cancelled (work done counts before close-out too).

    `closed_in` counts only the items closed out in that period (a weekly report's "this week").
    Categories with nothing done are left out; the order is the categories' own. Read from the maintained
    tallies (reports.tally) where they can answer, else counted from the problems.
    """
    if closed_in is not None or not tally.usable(category_id=None, campaign_id=None):
        return live_achievement_lines(
            campaign_id=campaign_id, unit_path=unit_path, scope=scope, closed_in=closed_in
        )
    units = None
    if unit_path is not None or scope is not None:
        units = Unit.objects.filter(
            (Q(path__startswith=unit_path) if unit_path is not None else Q())
            & (scope.q("path") if scope is not None else Q())
        ).values("pk")
    done = tally.done_by_category(unit_ids=units, campaign_id=campaign_id)
    categories = Category.objects.filter(pk__in=[pk for pk, n in done.items() if n > 0])
    return [_line(c, done[c.pk]) for c in categories.order_by("sort_order", "name")]


def live_achievement_lines(
    *,
    campaign_id: int | None = None,
    unit_path: str | None = None,
    scope: UnitScope | None = None,
    closed_in: Period | None = None,
) -> list[AchievementLine]:
    """`achievement_lines` counted from the problems themselves (what the tallies must equal)."""
    condition = ~Q(problems__state=State.CANCELLED)
    if campaign_id is not None:
        condition &= Q(problems__campaign_id=campaign_id)
    if unit_path is not None:
        condition &= Q(problems__lead_unit__path__startswith=unit_path)
    if scope is not None:
        condition &= scope.q("problems__lead_unit__path")
    if closed_in is not None:
        begin, after = closed_in.bounds()
        condition &= Q(
            problems__state=State.CLOSED, problems__closed_at__gte=begin, problems__closed_at__lt=after
        )
    rows = (
        Category.objects.annotate(done=Sum("problems__done_quantity", filter=condition))
        .filter(done__gt=0)
        .order_by("sort_order", "name")
    )
    return [_line(c, int(c.done or 0)) for c in rows]


def _line(category: Category, quantity: int) -> AchievementLine:
    return AchievementLine(
        category=category.name,
        verb=category.achievement_verb,
        noun=category.achievement_noun or category.name,
        quantity=quantity,
        measure_word=category.measure_word,
    )


# --- expenses -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearOnYear:
    """One kind's figure in a period against the same months a year earlier."""

    kind_id: int
    kind: str
    unit_of_measure: str
    lower_is_better: bool
    current: Decimal
    previous: Decimal
    meetings_from: dt.date | None = None  # counted from meeting records from this month (ExpenseKind)

    @property
    def change(self) -> float | None:
        """(current − previous) / previous; None when there is nothing to compare with."""
        if self.previous == 0:
            return None
        return float((self.current - self.previous) / self.previous)

    @property
    def change_percent(self) -> int | None:
        """The change in whole percent, rounded half away from zero (−39.5 % reads −40 %)."""
        change = self.change
        if change is None:
            return None
        return int((Decimal(str(change)) * 100).quantize(Decimal(1), rounding="ROUND_HALF_UP"))

    @property
    def improved(self) -> bool | None:
        change = self.change
        if change is None or change == 0:
            return None
        return (change < 0) == self.lower_is_better


def expenses_year_on_year(*, scope: UnitScope, period: Period) -> list[YearOnYear]:
    """Every active kind: the sum of the months the period touches vs the same months a year earlier.

    A kind counted from meeting records (`ExpenseKind.meetings_from`) takes those months from
    `meeting_figures` and ignores figures stored for them; earlier months are the figures entered.
    Two queries (the second only when some kind counts meetings), whatever the number of units and months.
    """
    months = period.month_starts()
    earlier = Period(months[0], months[-1]).a_year_earlier().month_starts()
    kinds = list(ExpenseKind.objects.filter(is_active=True))
    counted = [kind for kind in kinds if kind.meetings_from is not None]
    current_q = Q(month__gte=months[0], month__lte=months[-1])
    previous_q = Q(month__gte=earlier[0], month__lte=earlier[-1])
    records = ExpenseRecord.objects.filter(scope.q("unit__path")).filter(current_q | previous_q)
    for kind in counted:
        records = records.exclude(kind=kind, month__gte=kind.meetings_from)
    sums = {
        row["kind_id"]: row
        for row in records.values("kind_id")
        .annotate(current=Sum("amount", filter=current_q), previous=Sum("amount", filter=previous_q))
        .order_by()
    }
    meetings = (
        meeting_figures(units=scope.q("unit__path"), first=earlier[0], last=months[-1]) if counted else {}
    )
    lines = []
    for kind in kinds:
        row: Mapping[str, Any] = sums.get(kind.pk, {})
        current = row.get("current") or Decimal(0)
        previous = row.get("previous") or Decimal(0)
        if kind.meetings_from is not None:
            current += sum(meetings[m] for m in months if kind.counts_meetings(m))
            previous += sum(meetings[m] for m in earlier if kind.counts_meetings(m))
        lines.append(
            YearOnYear(
                kind_id=kind.pk,
                kind=kind.name,
                unit_of_measure=kind.unit_of_measure,
                lower_is_better=kind.lower_is_better,
                current=current,
                previous=previous,
                meetings_from=kind.meetings_from,
            )
        )
    return lines


def meeting_figures(*, units: Q, first: dt.date, last: dt.date) -> dict[dt.date, Decimal]:
    """The 会议次数 figure per month, `first` to `last` (first days of months, inclusive): the meetings
    recorded (campaigns.Meeting, every kind) by the units `units` selects (a Q on the meeting's unit: a
    scope's `q("unit__path")`, or one unit), held in the month.

    The one rule for a kind counted from meeting records: a unit's figure is the meetings it held, a
    subtree's the sum of its units', exactly as entered figures add up. Computed when read, so it follows
    every meeting recorded, corrected or removed, whatever wrote it.
    """
    end = Period.month(last.year, last.month).end
    counts = meetings_per_month(units, first, end)
    return {month: Decimal(count) for month, count in counts.items()}


def expense_month(*, unit_id: int, month: dt.date) -> dict[int, Decimal]:
    """A unit's stored figures for one month, by kind id (to fill the form).

    Kinds counted from meeting records that month are left out: see `counted_month`.
    """
    month = month.replace(day=1)
    counted = {kind.pk for kind in ExpenseKind.objects.all() if kind.counts_meetings(month)}
    return {
        kind_id: amount
        for kind_id, amount in ExpenseRecord.objects.filter(unit_id=unit_id, month=month).values_list(
            "kind_id", "amount"
        )
        if kind_id not in counted
    }


def counted_month(*, unit: Unit, month: dt.date, kinds: Iterable[ExpenseKind]) -> dict[int, Decimal]:
    """The figures counted from meeting records for one unit and month, by kind id (kinds that count
    meetings that month only): the meetings the unit itself held, as its entered figure would be."""
    month = month.replace(day=1)
    counting = [kind for kind in kinds if kind.counts_meetings(month)]
    if not counting:
        return {}
    count = meeting_figures(units=Q(unit_id=unit.pk), first=month, last=month)[month]
    return dict.fromkeys((kind.pk for kind in counting), count)


# --- the dashboard --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    scope: UnitScope
    period: Period
    campaign_id: int | None = None
    category_id: int | None = None


def problems_for(selection: Selection) -> QuerySet[Problem]:
    """Problems led by a unit in the scope (and of the campaign and category), any time."""
    problems = Problem.objects.all()
    if not selection.scope.everything:
        problems = problems.filter(lead_unit_id__in=selection.scope.units().values("pk"))
    if selection.campaign_id is not None:
        problems = problems.filter(campaign_id=selection.campaign_id)
    if selection.category_id is not None:
        problems = problems.filter(category_id=selection.category_id)
    return problems


def _tallied(selection: Selection) -> bool:
    return tally.usable(category_id=selection.category_id, campaign_id=selection.campaign_id)


def _monthly_tallies(selection: Selection, columns: tuple[str, ...]) -> dict[dt.date, dict[str, int]]:
    units = None if selection.scope.everything else selection.scope.units().values("pk")
    period = selection.period
    return tally.monthly_sums(unit_ids=units, start=period.start, end=period.end, columns=columns)


def opinions_for(selection: Selection) -> QuerySet[Opinion]:
    opinions = Opinion.objects.exclude(state=OpinionState.WITHDRAWN)
    if not selection.scope.everything:
        opinions = opinions.filter(unit_id__in=selection.scope.units().values("pk"))
    if selection.campaign_id is not None:
        opinions = opinions.filter(
            Q(campaign_id=selection.campaign_id) | Q(problem__campaign_id=selection.campaign_id)
        )
    if selection.category_id is not None:
        opinions = opinions.filter(
            Q(category_id=selection.category_id) | Q(problem__category_id=selection.category_id)
        )
    return opinions


#: The funnel's stages: each holds the problems that got at least that far (state now).
FUNNEL = (
    ("listed", (State.OPEN, State.RETURNED, State.IN_PROGRESS, State.REVIEW, State.NOTICE, State.CLOSED)),
    ("started", (State.IN_PROGRESS, State.REVIEW, State.NOTICE, State.CLOSED)),
    ("requested", (State.REVIEW, State.NOTICE, State.CLOSED)),
    ("closed", (State.CLOSED,)),
)


def state_counts(selection: Selection) -> dict[str, int]:
    """Problems listed in the period, by their state now (one query)."""
    begin, after = selection.period.bounds()
    rows = (
        problems_for(selection)
        .filter(created_at__gte=begin, created_at__lt=after)
        .values("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["state"]: row["n"] for row in rows}


def funnel(selection: Selection) -> tuple[int, list[tuple[str, int]]]:
    """Opinions received in the period, then the problems listed in it by how far they got."""
    if _tallied(selection):
        by_month = _monthly_tallies(selection, ("opinions",))
        received = sum(cell["opinions"] for cell in by_month.values())
    else:
        begin, after = selection.period.bounds()
        received = opinions_for(selection).filter(created_at__gte=begin, created_at__lt=after).count()
    states = state_counts(selection)
    return received, [(stage, sum(states.get(s, 0) for s in members)) for stage, members in FUNNEL]


def _month_bounds(period: Period) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Each month the period touches, with its bounds clipped to the period (aware, local time)."""
    begin, after = period.bounds()
    months = period.month_starts()
    found = []
    for index, month in enumerate(months):
        first = max(begin, Period(month, month).bounds()[0])
        nxt = months[index + 1] if index + 1 < len(months) else None
        last = min(after, Period(nxt, nxt).bounds()[0]) if nxt else after
        found.append((month, first, last))
    return found


def monthly_flow(selection: Selection) -> list[tuple[dt.date, int, int, int]]:
    """Per month of the period: opinions received, problems listed, problems closed out.

    From the maintained tallies where they can answer; else two queries, one pass each, counting each month
    with a range filter (cheaper than converting every timestamp to a local month and grouping).
    """
    if _tallied(selection):
        by_month = _monthly_tallies(selection, ("opinions", "listed", "closed"))
        return [(m, cell["opinions"], cell["listed"], cell["closed"]) for m, cell in by_month.items()]
    begin, after = selection.period.bounds()
    months = _month_bounds(selection.period)
    opinions = (
        opinions_for(selection)
        .filter(created_at__gte=begin, created_at__lt=after)
        .aggregate(
            **{
                f"m{i}": Count("pk", filter=Q(created_at__gte=first, created_at__lt=last))
                for i, (_month, first, last) in enumerate(months)
            }
        )
    )
    closed = Q(state=State.CLOSED, closed_at__gte=begin, closed_at__lt=after)
    problems = (
        problems_for(selection)
        .filter(Q(created_at__gte=begin, created_at__lt=after) | closed)
        .aggregate(
            **{
                f"l{i}": Count("pk", filter=Q(created_at__gte=first, created_at__lt=last))
                for i, (_month, first, last) in enumerate(months)
            },
            **{
                f"c{i}": Count("pk", filter=Q(state=State.CLOSED, closed_at__gte=first, closed_at__lt=last))
                for i, (_month, first, last) in enumerate(months)
            },
        )
    )
    return [
        (month, opinions[f"m{i}"] or 0, problems[f"l{i}"] or 0, problems[f"c{i}"] or 0)
        for i, (month, _first, _last) in enumerate(months)
    ]


def verdict_counts(selection: Selection) -> dict[str, int]:
    """Ratings given in the period, by verdict (one query)."""
    if _tallied(selection):
        columns = tally.VERDICT_COLUMN
        by_month = _monthly_tallies(selection, tuple(columns.values()))
        return {verdict: sum(cell[name] for cell in by_month.values()) for verdict, name in columns.items()}
    begin, after = selection.period.bounds()
    ratings = Rating.objects.filter(created_at__gte=begin, created_at__lt=after)
    if not selection.scope.everything:
        ratings = ratings.filter(problem__lead_unit_id__in=selection.scope.units().values("pk"))
    if selection.campaign_id is not None:
        ratings = ratings.filter(problem__campaign_id=selection.campaign_id)
    if selection.category_id is not None:
        ratings = ratings.filter(problem__category_id=selection.category_id)
    rows = ratings.values("verdict").annotate(n=Count("pk")).order_by()
    found = {row["verdict"]: row["n"] for row in rows}
    return {verdict: found.get(verdict, 0) for verdict in Verdict.values}


def light_counts(problems: QuerySet[Problem], today: dt.date) -> dict[Light, int]:
    """Traffic lights of the unfinished items, counted.

    The rule is `supervision.lights.light`, counting calendar or working days as each problem says (items
    whose dates the mainland calendar does not cover get no light, as on the problem page). Items past their
    deadline and not yet handed in (not in review, notice or closed) are red whatever their progress — the
    rule's first branch — so they are counted in SQL; the others are grouped by what the light depends on
    (state, listing date, deadline, quantities, day kind) and the rule runs once per distinct schedule. A test
    compares the result with `light()` applied item by item.
    """
    rules = current_options()
    zone = timezone.get_current_timezone()
    unfinished = problems.filter(state__in=[s.value for s in ACTIVE_STATES], deadline__isnull=False)
    late = Q(deadline__lt=today) & ~Q(state__in=[s.value for s in DONE_STATES])
    found = dict.fromkeys(Light, 0)
    found[Light.RED] = unfinished.filter(late).count()
    # Handed-in items (review, notice) have all their work done: green whatever their dates when counted in
    # calendar days, so they form one group (in working days the rule must still see whether the calendar
    # covers the dates). Without a target the quantity done does not move the light either.
    handed_in = Q(state__in=[s.value for s in DONE_STATES], working_days=False)
    no_target = Q(target_quantity__isnull=True) | Q(target_quantity=0)
    # PostgreSQL reads these rows from the partial covering index `problem_unfinished_lights` alone.
    not_late = Q(deadline__gte=today) | Q(state__in=[s.value for s in DONE_STATES])
    rows = (
        unfinished.filter(not_late)
        .annotate(
            start=Case(
                When(handed_in, then=Value(today)),
                default=TruncDate("created_at", tzinfo=zone),
                output_field=DateField(),
            ),
            due=Case(When(handed_in, then=Value(today)), default=F("deadline"), output_field=DateField()),
            started=ExpressionWrapper(Q(started_at__isnull=False), output_field=BooleanField()),
            done=Case(
                When(handed_in | no_target, then=Value(0)),
                default=F("done_quantity"),
                output_field=IntegerField(),
            ),
        )
        .values("state", "start", "due", "done", "target_quantity", "started", "working_days")
        .annotate(n=Count("*"))  # not the id, which the index does not hold
        .order_by()
    )
    for row in rows:
        try:
            colour = light(
                schedule_of({**row, "deadline": row["due"], "done_quantity": row["done"]}),
                today,
                yellow_behind=rules.light_yellow_behind,
                red_behind=rules.light_red_behind,
                count=day_counter(row["working_days"]),
            )
        except CalendarNotCovered:
            continue
        if colour is not None:
            found[colour] += row["n"]
    return found


def schedule_of(row: Mapping[str, Any]) -> Schedule:
    """The light's inputs from a problem's fields (start: the listing's local date)."""
    state = State(row["state"])
    return Schedule(
        state=state,
        start=row["start"],
        deadline=row["deadline"],
        actual=actual_progress(
            state, row["done_quantity"], row["target_quantity"], started=bool(row["started"])
        ),
    )
