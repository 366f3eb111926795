"""The 成绩单: quantities done per category with its verb and measure word, as the article reads."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem
from taizhang.org.models import Person, Unit
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope
from taizhang.reports.selectors import achievement_lines
from tests.conftest import Org
from tests.factories import make_category, make_problem

pytestmark = pytest.mark.django_db

ARTICLE = [
    "修复路灯 698 盏",
    "整修卫生间 217 间",
    "修缮职工澡堂 4 个",
    "规划停车位 446 个",
    "配置健身器材 104 件",
    "整治主干道 4 条",
]


def _done(problem: Problem, quantity: int, handler: Person) -> None:
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_record_progress(user=handler, problem_id=problem.pk, note="进展", done_quantity=quantity)


@pytest.fixture
def categories(db: None) -> list[Category]:
    rows = [
        ("路灯照明", "路灯", "修复", "盏"),
        ("卫生间", "卫生间", "整修", "间"),
        ("澡堂", "职工澡堂", "修缮", "个"),
        ("停车位", "停车位", "规划", "个"),
        ("健身器材", "健身器材", "配置", "件"),
        ("道路", "主干道", "整治", "条"),
    ]
    return [
        make_category(
            name=name, achievement_noun=noun, achievement_verb=verb, measure_word=word, sort_order=i
        )
        for i, (name, noun, verb, word) in enumerate(rows)
    ]


def test_the_lines_read_as_the_article(
    units: Org, supervisor: Person, handler: Person, outsider: Person, categories: list[Category]
) -> None:
    """Quantities split over units and items add up per category: 400 + 298 = 698 lamps (one in the sibling
    plant), 200 + 17 toilets …; a cancelled item's 50 lamps do not count."""
    lamps, toilets, baths, parking, fitness, roads = categories

    def item(category: Category, unit: Unit, quantity: int, worker: Person = handler) -> Problem:
        problem = make_problem(supervisor=supervisor, lead_unit=unit, category=category)
        _done(problem, quantity, worker)
        return problem

    item(lamps, units.plant, 400)
    item(lamps, units.sibling, 298, outsider)
    item(toilets, units.workshop, 200)
    item(toilets, units.plant, 17)
    item(baths, units.plant, 4)
    item(parking, units.plant, 446)
    item(fitness, units.workshop, 104)
    item(roads, units.plant, 4)
    cancelled = item(lamps, units.plant, 50)
    ledger.problem_cancel(user=supervisor, problem_id=cancelled.pk, reason="重复")
    assert [str(line) for line in achievement_lines()] == ARTICLE
    plant_only = achievement_lines(scope=UnitScope(paths=(units.plant.path,)))
    assert str(plant_only[0]) == "修复路灯 400 盏"


def test_closed_in_counts_only_what_was_closed_out_in_the_period(
    units: Org, supervisor: Person, handler: Person, leader: Person, categories: list[Category]
) -> None:
    lamps = categories[0]
    Category.objects.filter(pk=lamps.pk).update(evidence_required=False)
    lamps.refresh_from_db()
    with clock.frozen_at(dt.datetime(2014, 3, 2, 2, tzinfo=dt.UTC)):
        closed = make_problem(supervisor=supervisor, lead_unit=units.plant, category=lamps)
        still_open = make_problem(supervisor=supervisor, lead_unit=units.plant, category=lamps)
        _done(still_open, 30, handler)
        ledger.problem_start(user=handler, problem_id=closed.pk)
        ledger.problem_request_closeout(
            user=handler, problem_id=closed.pk, completion_note="好了", done_quantity=12
        )
        ledger.problem_sign(user=leader, problem_id=closed.pk)
        ledger.problem_verify(user=supervisor, problem_id=closed.pk)
    assert [str(line) for line in achievement_lines(closed_in=Period.month(2014, 3))] == ["修复路灯 12 盏"]
    assert achievement_lines(closed_in=Period.month(2014, 4)) == []
    assert [str(line) for line in achievement_lines()] == ["修复路灯 42 盏"]
