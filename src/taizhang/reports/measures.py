"""The measures, defined once (docs/measures.md explains each with a worked example).

Two halves:

- the definitions: pure functions from `Counts` to rates and the composite score, with the organisation's
  weights and windows from `settings.TAIZHANG` (core/options.py);
- the counting: four GROUP BY queries (problems, opinions, ratings, events), each grouped by unit, so a
  subtree, a ranking of child units or a single unit are all sums of the same per-unit counts. Every count is
  additive; no measure is computed row by row in Python.

Public API: `compute(user=, period=, unit=, category_id=, campaign_id=) -> Measures` and
`ranking(user=, parent_unit=, period=, ...) -> Ranking`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from taizhang.core import clock
from taizhang.core.options import Options, current_options
from taizhang.intake.models import Opinion, OpinionState
from taizhang.ledger.models import Event, Problem, Rating, Verdict
from taizhang.ledger.workflow import ACTIVE_STATES, State
from taizhang.org.models import Person, Unit
from taizhang.reports import tally
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope, report_scope

type AnyUser = Person | AnonymousUser

#: Event kinds counted (from the ledger's append-only events, so the counts do not depend on who urges how).
URGE_EVENT = "problem.urged"
REOPEN_EVENT = "problem.reopened"

_ACTIVE = [s.value for s in ACTIVE_STATES]


# --- the counts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """What the measures are computed from, for one unit or a sum of units. Every field adds up."""

    #: opinions received in the period (withdrawn ones left out)
    opinions_received: int = 0
    #: … of which a response was due: answered already, or the response window has ended
    opinions_due_response: int = 0
    #: … answered (triaged, merged, answered, declined) within the window
    opinions_responded_in_time: int = 0
    #: problems put on the list in the period
    problems_listed: int = 0
    #: problems due: deadline in the period and passed (or already closed out), not cancelled
    problems_due: int = 0
    #: … closed out (state 已销号 now)
    problems_resolved: int = 0
    #: … closed out on or before the deadline (local date of the close-out)
    problems_on_time: int = 0
    #: … still open with the deadline passed
    problems_overdue: int = 0
    #: problems closed out in the period
    problems_closed: int = 0
    #: … and the days they took, from listing to close-out, added up
    close_days_total: float = 0.0
    #: problems listed, due or closed in the period (the sample size for ranking)
    items: int = 0
    #: ratings given in the period, by verdict
    ratings: int = 0
    ratings_satisfied: int = 0
    ratings_basic: int = 0
    ratings_unsatisfied: int = 0
    #: reopenings (回头看 regressions, unsatisfied raisers) and urges (督办) in the period
    reopens: int = 0
    urges: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in dataclasses.fields(self)}
        )


def total(counts: Iterable[Counts]) -> Counts:
    result = Counts()
    for item in counts:
        result += item
    return result


# --- the definitions ------------------------------------------------------------------------------------


def ratio(part: float, whole: float) -> float | None:
    """None when there is nothing to measure: an empty denominator is not 0 % (nor 100 %)."""
    return None if whole == 0 else part / whole


def response_rate(counts: Counts) -> float | None:
    """响应率 = opinions answered within the window / opinions whose response was due."""
    return ratio(counts.opinions_responded_in_time, counts.opinions_due_response)


def resolution_rate(counts: Counts) -> float | None:
    """解决率 = problems due that are closed out / problems due."""
    return ratio(counts.problems_resolved, counts.problems_due)


def on_time_rate(counts: Counts) -> float | None:
    """按期完成率 = problems due that were closed out by their deadline / problems due."""
    return ratio(counts.problems_on_time, counts.problems_due)


def satisfaction_rate(counts: Counts, *, basic_weight: float = 1.0) -> float | None:
    """满意率 = (满意 + basic_weight × 基本满意) / ratings."""
    return ratio(counts.ratings_satisfied + basic_weight * counts.ratings_basic, counts.ratings)


def average_days_to_close(counts: Counts) -> float | None:
    """平均办结天数 over the problems closed out in the period, from listing to close-out."""
    return ratio(counts.close_days_total, counts.problems_closed)


def composite_score(
    *,
    response: float | None,
    resolution: float | None,
    satisfaction: float | None,
    on_time: float | None,
    counts: Counts,
    options: Options,
) -> float | None:
    """综合得分 (0–100): the weighted mean of the rates that can be measured, less the penalties.

    A rate with nothing to measure is left out and the other weights count in proportion; with no rate at
    all there is no score. Penalties are points per overdue item, urge and reopening; the score stops at 0.
    """
    weighted = [
        (options.score_weight_response, response),
        (options.score_weight_resolution, resolution),
        (options.score_weight_satisfaction, satisfaction),
        (options.score_weight_on_time, on_time),
    ]
    present = [(weight, rate) for weight, rate in weighted if weight > 0 and rate is not None]
    weights = sum(weight for weight, _rate in present)
    if weights == 0:
        return None
    score = 100 * sum(weight * rate for weight, rate in present) / weights
    score -= (
        options.score_penalty_overdue * counts.problems_overdue
        + options.score_penalty_urge * counts.urges
        + options.score_penalty_reopen * counts.reopens
    )
    return max(0.0, score)


@dataclass(frozen=True)
class Measures:
    counts: Counts
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    on_time_rate: float | None
    average_days_to_close: float | None
    overdue: int
    reopens: int
    urges: int
    score: float | None

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON (the API and the dashboard)."""
        return dataclasses.asdict(self)


def options() -> Options:
    return current_options()


def measures_from(counts: Counts, rules: Options | None = None) -> Measures:
    """Every measure from the counts: the pure half, tested without a database."""
    rules = rules or options()
    response = response_rate(counts)
    resolution = resolution_rate(counts)
    satisfaction = satisfaction_rate(counts, basic_weight=rules.satisfaction_basic_weight)
    on_time = on_time_rate(counts)
    return Measures(
        counts=counts,
        response_rate=response,
        resolution_rate=resolution,
        satisfaction_rate=satisfaction,
        on_time_rate=on_time,
        average_days_to_close=average_days_to_close(counts),
        overdue=counts.problems_overdue,
        reopens=counts.reopens,
        urges=counts.urges,
        score=composite_score(
            response=response,
            resolution=resolution,
            satisfaction=satisfaction,
            on_time=on_time,
            counts=counts,
            options=rules,
        ),
    )


# --- the counting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What to count: units (subtrees), a period, optionally one category and one campaign.

    `as_of` is the moment "now" for what has passed (deadlines, response windows); the clock by default.
    """

    scope: UnitScope
    period: Period
    category_id: int | None = None
    campaign_id: int | None = None
    as_of: dt.datetime = field(default_factory=clock.now)


def _unit_ids(scope: UnitScope) -> QuerySet[Unit, Any] | None:
    return None if scope.everything else Unit.objects.filter(scope.q("path")).values("pk")


def _problems(selection: Selection, prefix: str = "") -> Q:
    """The selection's filter on problems, or on a model pointing at problems through `prefix`."""
    query = Q()
    units = _unit_ids(selection.scope)
    if units is not None:
        query &= Q(**{f"{prefix}lead_unit_id__in": units})
    if selection.category_id is not None:
        query &= Q(**{f"{prefix}category_id": selection.category_id})
    if selection.campaign_id is not None:
        query &= Q(**{f"{prefix}campaign_id": selection.campaign_id})
    return query


def _merge(into: dict[int, dict[str, Any]], rows: Iterable[Mapping[str, Any]], key: str) -> None:
    for row in rows:
        values = dict(row)
        unit_id = values.pop(key)
        into.setdefault(unit_id, {}).update({k: v for k, v in values.items() if v is not None})


def _problem_counts(selection: Selection) -> Iterable[Mapping[str, Any]]:
    period = selection.period
    begin, after = period.bounds()
    today = timezone.localdate(selection.as_of)
    in_period = Q(deadline__gte=period.start, deadline__lte=period.end)
    due = in_period & ~Q(state=State.CANCELLED) & (Q(deadline__lt=today) | Q(state=State.CLOSED))
    closed = Q(state=State.CLOSED, closed_at__gte=begin, closed_at__lt=after)
    listed = Q(created_at__gte=begin, created_at__lt=after)
    return (
        Problem.objects.filter(_problems(selection))
        .filter(listed | in_period | closed)
        .values("lead_unit_id")
        .annotate(
            problems_listed=Count("pk", filter=listed),
            problems_due=Count("pk", filter=due),
            problems_resolved=Count("pk", filter=due & Q(state=State.CLOSED)),
            # closed_at's local date (USE_TZ: __date converts to the current time zone) against the deadline
            problems_on_time=Count(
                "pk", filter=due & Q(state=State.CLOSED, closed_at__date__lte=F("deadline"))
            ),
            problems_overdue=Count("pk", filter=in_period & Q(state__in=_ACTIVE, deadline__lt=today)),
            problems_closed=Count("pk", filter=closed),
            close_time=Sum(
                ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField()),
                filter=closed,
            ),
            items=Count("pk", filter=~Q(state=State.CANCELLED) & (listed | in_period | closed)),
        )
        .order_by()
    )


def _opinion_counts(selection: Selection) -> Iterable[Mapping[str, Any]]:
    begin, after = selection.period.bounds()
    window = dt.timedelta(days=options().response_window_days)
    opinions = Opinion.objects.filter(created_at__gte=begin, created_at__lt=after).exclude(
        state=OpinionState.WITHDRAWN
    )
    units = _unit_ids(selection.scope)
    if units is not None:
        opinions = opinions.filter(unit_id__in=units)
    # An opinion belongs to a category or campaign it was filed under, or to its problem's.
    if selection.category_id is not None:
        opinions = opinions.filter(
            Q(category_id=selection.category_id) | Q(problem__category_id=selection.category_id)
        )
    if selection.campaign_id is not None:
        opinions = opinions.filter(
            Q(campaign_id=selection.campaign_id) | Q(problem__campaign_id=selection.campaign_id)
        )
    in_time = Q(responded_at__isnull=False, responded_at__lte=F("created_at") + window)
    due = Q(responded_at__isnull=False) | Q(created_at__lte=selection.as_of - window)
    return (
        opinions.values("unit_id")
        .annotate(
            opinions_received=Count("pk"),
            opinions_due_response=Count("pk", filter=due),
            opinions_responded_in_time=Count("pk", filter=in_time),
        )
        .order_by()
    )


def _rating_counts(selection: Selection) -> Iterable[Mapping[str, Any]]:
    begin, after = selection.period.bounds()
    return (
        Rating.objects.filter(_problems(selection, "problem__"), created_at__gte=begin, created_at__lt=after)
        .values("problem__lead_unit_id")
        .annotate(
            ratings=Count("pk"),
            ratings_satisfied=Count("pk", filter=Q(verdict=Verdict.SATISFIED)),
            ratings_basic=Count("pk", filter=Q(verdict=Verdict.BASICALLY_SATISFIED)),
            ratings_unsatisfied=Count("pk", filter=Q(verdict=Verdict.UNSATISFIED)),
        )
        .order_by()
    )


def _event_counts(selection: Selection) -> Iterable[Mapping[str, Any]]:
    begin, after = selection.period.bounds()
    return (
        Event.objects.filter(
            _problems(selection, "problem__"),
            kind__in=[URGE_EVENT, REOPEN_EVENT],
            at__gte=begin,
            at__lt=after,
        )
        .values("problem__lead_unit_id")
        .annotate(
            urges=Count("pk", filter=Q(kind=URGE_EVENT)),
            reopens=Count("pk", filter=Q(kind=REOPEN_EVENT)),
        )
        .order_by()
    )


def counts_by_unit(selection: Selection) -> dict[int, Counts]:
    """The counts per unit (the lead unit of problems, the unit concerned of opinions).

    From the maintained tallies (reports.tally) when they can answer, else counted live.
    """
    if tally.usable(category_id=selection.category_id, campaign_id=selection.campaign_id):
        begin, after = selection.period.bounds()
        raw = tally.counts_by_unit(
            unit_ids=_unit_ids(selection.scope),
            start=selection.period.start,
            end=selection.period.end,
            begin=begin,
            after=after,
            as_of=selection.as_of,
        )
        return {unit_id: Counts(**values) for unit_id, values in raw.items() if any(values.values())}
    return live_counts_by_unit(selection)


def live_counts_by_unit(selection: Selection) -> dict[int, Counts]:
    """The counts per unit read from the rows themselves: four GROUP BY queries."""
    found: dict[int, dict[str, Any]] = {}
    _merge(found, _problem_counts(selection), "lead_unit_id")
    _merge(found, _opinion_counts(selection), "unit_id")
    _merge(found, _rating_counts(selection), "problem__lead_unit_id")
    _merge(found, _event_counts(selection), "problem__lead_unit_id")
    result = {}
    for unit_id, values in found.items():
        close_time: dt.timedelta | None = values.pop("close_time", None)
        values["close_days_total"] = close_time.total_seconds() / 86400 if close_time else 0.0
        result[unit_id] = Counts(**values)
    return result


def compute_for(selection: Selection) -> Measures:
    """The measures of a selection, without checking who asks (callers have checked the scope)."""
    return measures_from(total(counts_by_unit(selection).values()))


def compute(
    *,
    user: AnyUser,
    period: Period,
    unit: Unit | None = None,
    category_id: int | None = None,
    campaign_id: int | None = None,
    as_of: dt.datetime | None = None,
) -> Measures:
    """The measures of `unit`'s subtree (default: everything the person's roles cover) in `period`.

    Raises NotPermitted when the person may not report on the unit (see reports.scope).
    """
    selection = Selection(
        scope=report_scope(user, unit),
        period=period,
        category_id=category_id,
        campaign_id=campaign_id,
        as_of=as_of or clock.now(),
    )
    return compute_for(selection)


# --- ranking --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedUnit:
    unit_id: int
    name: str
    measures: Measures
    rank: int | None  # None for units listed apart (too few items, or nothing to score)


@dataclass(frozen=True)
class Ranking:
    parent_id: int
    period: Period
    min_items: int
    ranked: list[RankedUnit]  # best first
    top: list[RankedUnit]  # 红榜, best first
    bottom: list[RankedUnit]  # 黑榜, worst first, never the same units as `top`
    too_few: list[RankedUnit]  # listed apart, by name


def rank_units(
    entries: Iterable[tuple[int, str, Measures]], *, min_items: int, list_size: int
) -> tuple[list[RankedUnit], list[RankedUnit], list[RankedUnit], list[RankedUnit]]:
    """Pure: ranked (equal scores share a rank), top, bottom and too-few lists."""
    scored: list[tuple[int, str, Measures]] = []
    apart: list[RankedUnit] = []
    for unit_id, name, measures in entries:
        if measures.counts.items < min_items or measures.score is None:
            apart.append(RankedUnit(unit_id, name, measures, None))
        else:
            scored.append((unit_id, name, measures))
    scored.sort(key=lambda entry: (-(entry[2].score or 0), -(entry[2].resolution_rate or 0), entry[1]))
    ranked: list[RankedUnit] = []
    for position, (unit_id, name, measures) in enumerate(scored, start=1):
        same_as_previous = ranked and ranked[-1].measures.score == measures.score
        rank = ranked[-1].rank if same_as_previous else position
        ranked.append(RankedUnit(unit_id, name, measures, rank))
    top = ranked[:list_size]
    bottom = list(reversed(ranked[max(list_size, len(ranked) - list_size) :]))
    apart.sort(key=lambda entry: entry.name)
    return ranked, top, bottom, apart


def ranking_for(
    selection: Selection, parent: Unit, *, min_items: int | None = None, list_size: int | None = None
) -> Ranking:
    """Rank `parent`'s active child units (each with its subtree). Callers have checked the scope."""
    rules = options()
    minimum = rules.ranking_min_items if min_items is None else min_items
    size = rules.ranking_list_size if list_size is None else list_size
    units = list(Unit.objects.filter(path__startswith=parent.path).values_list("pk", "path"))
    children = list(Unit.objects.filter(parent=parent, is_active=True).order_by("sort_order", "name"))
    per_unit = counts_by_unit(dataclasses.replace(selection, scope=UnitScope(paths=(parent.path,))))
    entries = []
    for child in children:
        inside = [per_unit[pk] for pk, path in units if path.startswith(child.path) and pk in per_unit]
        entries.append((child.pk, child.name, measures_from(total(inside), rules)))
    ranked, top, bottom, apart = rank_units(entries, min_items=minimum, list_size=size)
    return Ranking(
        parent_id=parent.pk,
        period=selection.period,
        min_items=minimum,
        ranked=ranked,
        top=top,
        bottom=bottom,
        too_few=apart,
    )


def ranking(
    *,
    user: AnyUser,
    period: Period,
    parent_unit: Unit,
    min_items: int | None = None,
    category_id: int | None = None,
    campaign_id: int | None = None,
    as_of: dt.datetime | None = None,
) -> Ranking:
    """红榜/黑榜 of `parent_unit`'s child units. NotPermitted when the person may not report on it."""
    scope = report_scope(user, parent_unit)
    selection = Selection(
        scope=scope,
        period=period,
        category_id=category_id,
        campaign_id=campaign_id,
        as_of=as_of or clock.now(),
    )
    return ranking_for(selection, parent_unit, min_items=min_items)
