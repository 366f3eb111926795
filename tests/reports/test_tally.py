"""The maintained tallies (reports.tally) against the live count, after random workflows through the services.

Each run drives a few dozen problems and opinions through random steps at random moments of 2014 (list,
start, request close-out, sign, verify, rate, reject, return and reassign to another unit, reopen, cancel,
urge, extend the deadline, answer, decline, withdraw …), refusals included (the workflow says no, the
transaction rolls back with the tallies). Then every count of `measures.Counts` is compared, per unit, for
several people, units, periods and moments "as of", with `measures.live_counts_by_unit`.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from django.core.management import call_command

from taizhang.campaigns.models import Campaign
from taizhang.core import clock, hooks
from taizhang.core.options import options_override
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from taizhang.reports import measures, tally
from taizhang.reports.models import DayTally, MonthPairTally, MonthTally, PairTally, TallyState
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope, report_scope
from taizhang.reports.selectors import Selection as ChartSelection
from taizhang.reports.selectors import (
    achievement_lines,
    funnel,
    live_achievement_lines,
    monthly_flow,
    verdict_counts,
)
from tests.conftest import Org
from tests.factories import make_category, make_opinion
from tests.workflows import LOCAL, Workflow

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _nonzero(found: dict[int, measures.Counts]) -> dict[int, measures.Counts]:
    return {unit: counts for unit, counts in found.items() if counts != measures.Counts()}


def _periods(rng: random.Random) -> list[Period]:
    periods = [Period.year(2014), Period.month(2014, 2), Period.months(2014, 1, 3), Period.month(2014, 4)]
    for _ in range(4):
        start = dt.date(2014, 1, 1) + dt.timedelta(days=rng.randint(0, 150))
        periods.append(Period(start, start + dt.timedelta(days=rng.randint(0, 70))))
    return periods


@pytest.fixture
def people(workflow_people: dict[str, Person]) -> dict[str, Person]:
    return workflow_people


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_maintained_counts_equal_the_live_count_after_random_workflows(
    seed: int, units: Org, people: dict[str, Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    categories = [make_category(name=f"类别{n}", evidence_required=False) for n in range(2)]
    workflow = Workflow(seed, units, people, categories)
    campaign = Campaign.objects.create(
        name="专项整治", code=f"c{seed}", starts_on=dt.date(2014, 1, 1), organiser=units.root
    )
    workflow.campaigns.append(campaign.pk)
    for _ in range(300):
        workflow.step()
    # The runs must have exercised what the tallies follow, not only refusals.
    for kind in (
        "list",
        "raise",
        "verify",
        "rate",
        "urge",
        "reopen",
        "cancel",
        "reassign",
        "answer",
        "withdraw",
        "progress",
    ):
        assert workflow.done[kind] > 0, (kind, workflow.done, workflow.refusals)
    assert tally.usable(category_id=None, campaign_id=None)

    # The 成绩单 (quantities done per category) for each unit subtree and campaign, maintained and live.
    achievements = 0
    for unit_scope in (
        None,
        UnitScope(paths=(units.plant.path,)),
        UnitScope(paths=(units.workshop.path,)),
        UnitScope(paths=(units.sibling.path,)),
    ):
        for campaign_id in (None, campaign.pk):
            maintained_lines = achievement_lines(scope=unit_scope, campaign_id=campaign_id)
            assert maintained_lines == live_achievement_lines(scope=unit_scope, campaign_id=campaign_id)
            achievements += sum(line.quantity for line in maintained_lines)
    assert achievements > 0

    rng = random.Random(seed)
    moments = [workflow.now + dt.timedelta(days=1), dt.datetime(2014, 3, 1, 12, tzinfo=LOCAL)]
    moments.append(
        dt.datetime(2014, 1, 1, tzinfo=LOCAL) + (workflow.now - dt.datetime(2014, 1, 1, tzinfo=LOCAL)) / 2
    )
    compared = 0
    for person, unit in (
        (people["admin"], None),
        (people["supervisor"], units.plant),
        (people["supervisor"], units.sibling),
        (people["leader"], None),
        (people["handler"], units.workshop),
    ):
        scope = report_scope(person, unit)
        for period in _periods(rng):
            for as_of in moments:
                selection = measures.Selection(scope=scope, period=period, as_of=as_of)
                maintained = measures.counts_by_unit(selection)
                live = _nonzero(measures.live_counts_by_unit(selection))
                assert maintained == live, (person.username, unit, period, as_of)
                compared += 1
                if maintained:
                    assert measures.compute_for(selection) == measures.measures_from(
                        measures.total(live.values())
                    )
    assert compared == 5 * 8 * 3
    # The dashboard's monthly flow, ratings by verdict and the funnel's opinions read the tallies too.
    charted = 0
    for person, unit in ((people["admin"], None), (people["supervisor"], units.plant)):
        for period in _periods(rng):
            charts_of = ChartSelection(scope=report_scope(person, unit), period=period)
            maintained_charts = (monthly_flow(charts_of), verdict_counts(charts_of), funnel(charts_of))
            with monkeypatch.context() as patched:
                patched.setattr(tally, "usable", lambda **_: False)
                live_charts = (monthly_flow(charts_of), verdict_counts(charts_of), funnel(charts_of))
            assert maintained_charts == live_charts, (person.username, unit, period)
            charted += sum(opinions + listed for _month, opinions, listed, _closed in maintained_charts[0])
    assert charted > 0
    # The figures are not all empty: the comparison saw real numbers.
    whole = measures.counts_by_unit(
        measures.Selection(
            scope=UnitScope(paths=(), everything=True),
            period=Period(dt.date(2014, 1, 1), workflow.now.date()),
            as_of=moments[0],
        )
    )
    total = measures.total(whole.values())
    assert total.problems_closed > 0 and total.ratings > 0 and total.items > 0 and total.opinions_received > 0


def _tables() -> tuple[set[Any], set[Any], set[Any], set[Any]]:
    columns = ("unit_id", "day", *tally.DAY_COLUMNS)
    days = {row for row in DayTally.objects.values_list(*columns) if any(row[2:])}
    month_columns = ("unit_id", "month", *tally.DAY_COLUMNS)
    by_month = {row for row in MonthTally.objects.values_list(*month_columns) if any(row[2:])}
    pairs = {row for row in PairTally.objects.values_list("unit_id", "first", "last", "n") if row[3]}
    months = {row for row in MonthPairTally.objects.values_list("unit_id", "first", "last", "n") if row[3]}
    return days, by_month, pairs, months


def test_a_rebuild_recounts_the_same_cells(units: Org, people: dict[str, Person]) -> None:
    workflow = Workflow(7, units, people, [make_category(name="类别", evidence_required=False)])
    for _ in range(150):
        workflow.step()
    maintained = _tables()
    assert maintained[0] and maintained[1] and maintained[2]
    out, err = io.StringIO(), io.StringIO()
    call_command("measures_rebuild", stdout=out, stderr=err)
    assert "Recounted" in out.getvalue()
    assert _tables() == maintained
    assert TallyState.objects.get().valid


def test_changed_rules_fall_back_to_the_live_count_until_a_rebuild(
    units: Org, people: dict[str, Person]
) -> None:
    workflow = Workflow(11, units, people, [make_category(name="类别", evidence_required=False)])
    for _ in range(60):
        workflow.step()
    period = Period.year(2014)
    scope = UnitScope(paths=(), everything=True)
    as_of = workflow.now
    with options_override(response_window_days=1):
        assert not tally.usable(category_id=None, campaign_id=None)
        with clock.frozen_at(workflow.now):
            make_opinion(user=people["employee"], unit=units.plant)  # a write notices the change
        assert not TallyState.objects.get().valid
        selection = measures.Selection(scope=scope, period=period, as_of=as_of)
        live = _nonzero(measures.live_counts_by_unit(selection))
        assert measures.counts_by_unit(selection) == live  # answered live
        tally.rebuild()
        assert tally.usable(category_id=None, campaign_id=None)
        assert measures.counts_by_unit(selection) == live
    assert Opinion.objects.count() == len(workflow.opinions) + workflow.done["raise"] + 1


def test_while_the_tallies_are_not_kept_a_submission_counts_nowhere(
    units: Org, people: dict[str, Person]
) -> None:
    make_opinion(user=people["employee"], unit=units.plant)
    counted = _tables()
    assert counted[0] and counted[1]
    make_opinion(user=people["employee"], unit=units.plant)
    assert _tables() != counted  # kept: the second one is counted
    counted = _tables()
    TallyState.objects.update(valid=False)
    make_opinion(user=people["employee"], unit=units.plant)
    assert _tables() == counted
    assert not TallyState.objects.get().valid


def test_a_category_or_campaign_filter_is_counted_live(units: Org, people: dict[str, Person]) -> None:
    assert not tally.usable(category_id=1, campaign_id=None)
    assert not tally.usable(category_id=None, campaign_id=1)


def test_a_bulk_import_is_counted_once_per_cell_and_exactly(units: Org, people: dict[str, Person]) -> None:
    category = make_category(name="导入类别", evidence_required=False)
    items = [
        ledger.ImportedProblem(
            draft=ledger.ProblemDraft(
                title=f"导入问题{n}",
                category=category,
                lead_unit=[units.plant, units.workshop, units.sibling][n % 3],
                deadline=dt.date(2014, 3, 1) + dt.timedelta(days=n % 40),
            ),
            external_ref=f"file:{n}",
            started=n % 2 == 0,
            cancel_reason="重复" if n % 7 == 0 else "",
        )
        for n in range(60)
    ]
    with clock.frozen_at(dt.datetime(2014, 2, 20, 9, tzinfo=LOCAL)):
        ledger.problems_import(user=people["supervisor"], items=items)
    selection = measures.Selection(
        scope=UnitScope(paths=(), everything=True),
        period=Period(dt.date(2014, 2, 1), dt.date(2014, 4, 30)),
        as_of=dt.datetime(2014, 3, 20, tzinfo=LOCAL),
    )
    maintained = measures.counts_by_unit(selection)
    assert maintained == _nonzero(measures.live_counts_by_unit(selection))
    assert measures.total(maintained.values()).problems_listed == 60
    # A batch that fails writes nothing of what it gathered.
    before = _tables()
    with pytest.raises(RuntimeError), hooks.batch():
        tally.apply(_one_listing(units.plant.pk))
        raise RuntimeError
    with hooks.batch():  # the next batch does not inherit the failed one's cells
        pass
    assert _tables() == before


def _one_listing(unit_id: int) -> tally.Delta:
    delta = tally.Delta()
    delta.add(unit_id, dt.date(2014, 2, 20), listed=1)
    return delta
