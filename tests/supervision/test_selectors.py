"""Lights for many problems at once (a constant number of queries), long-term roll-ups, urge rates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import problems_in_scope
from taizhang.org.models import Person
from taizhang.supervision import selectors, services
from taizhang.supervision.lights import Light
from taizhang.supervision.models import Colour
from tests.conftest import Org
from tests.factories import make_category, make_problem
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db

START = dt.date(2025, 3, 3)  # a Monday


def problem(supervisor: Person, units: Org, days: int, target: int | None = 10, **fields: Any) -> Problem:
    return make_problem(
        supervisor=supervisor,
        lead_unit=fields.pop("lead_unit", units.plant),
        deadline=START + dt.timedelta(days=days),
        target_quantity=target,
        **fields,
    )


def test_lights_for_many_problems_cost_two_queries(
    units: Org, supervisor: Person, handler: Person, django_assert_num_queries: Any
) -> None:
    with on(START):
        on_track, behind, far_behind, idle = (problem(supervisor, units, 10) for _ in range(4))
        for item in (on_track, behind, far_behind, idle):
            ledger.problem_start(user=handler, problem_id=item.pk)
    with on(START + dt.timedelta(days=5)):  # half the time gone
        ledger.problem_record_progress(user=handler, problem_id=on_track.pk, note="一半", done_quantity=5)
        ledger.problem_record_progress(user=handler, problem_id=behind.pk, note="三成", done_quantity=3)
        ledger.problem_record_progress(user=handler, problem_id=far_behind.pk, note="一成", done_quantity=1)
    queryset = Problem.objects.filter(pk__in=[on_track.pk, behind.pk, far_behind.pk, idle.pk])
    with django_assert_num_queries(1):
        lights = selectors.lights_for(queryset, START + dt.timedelta(days=5))
    assert lights == {
        on_track.pk: Light.GREEN,
        behind.pk: Light.YELLOW,
        far_behind.pk: Light.RED,
        idle.pk: Light.RED,  # nothing done, 50% expected
    }
    assert selectors.lights_for(queryset, START + dt.timedelta(days=11))[on_track.pk] == Light.RED  # overdue
    on_track.refresh_from_db()
    assert selectors.light_of(on_track, START + dt.timedelta(days=5)) == Light.GREEN


def test_thresholds_come_from_the_settings(
    units: Org, supervisor: Person, handler: Person, settings: Any
) -> None:
    with on(START):
        item = problem(supervisor, units, 10)
        ledger.problem_start(user=handler, problem_id=item.pk)
        ledger.problem_record_progress(user=handler, problem_id=item.pk, note="四成", done_quantity=4)
    item.refresh_from_db()
    today = START + dt.timedelta(days=5)
    assert selectors.light_of(item, today) == Light.YELLOW  # 10 points behind
    settings.TAIZHANG = type(settings.TAIZHANG)(light_yellow_behind=15, light_red_behind=40)
    assert selectors.light_of(item, today) == Light.GREEN


def test_working_day_problems_are_lit_by_working_days(
    units: Org, supervisor: Person, handler: Person
) -> None:
    category = make_category(working_days=True)
    with on(dt.date(2025, 9, 26)):
        item = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            category=category,
            deadline=dt.date(2025, 10, 9),
            target_quantity=100,
        )
        ledger.problem_start(user=handler, problem_id=item.pk)
        ledger.problem_record_progress(user=handler, problem_id=item.pk, note="22", done_quantity=22)
    item.refresh_from_db()
    assert item.working_days is True  # taken from the category
    assert selectors.light_of(item, dt.date(2025, 9, 29)) == Light.YELLOW  # 2 of 4 working days gone
    ledger.problem_edit(user=supervisor, problem_id=item.pk, version=None, changes={"working_days": False})
    item.refresh_from_db()
    assert selectors.light_of(item, dt.date(2025, 9, 29)) == Light.GREEN  # 3 of 13 calendar days


def test_a_working_day_item_beyond_the_calendar_has_no_light_and_says_why(
    units: Org, supervisor: Person
) -> None:
    from taizhang.supervision.workdays import coverage

    last = coverage()[1]
    with on(dt.date(last.year, 12, 1)):
        item = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            category=make_category(working_days=True),
            deadline=dt.date(last.year + 1, 2, 1),
        )
    progress = selectors.progress_for([item], dt.date(last.year, 12, 10))[item.pk]
    assert progress.light is None
    assert f"{last.year + 1}-" in progress.calendar_error and last.isoformat() in progress.calendar_error


def test_long_term_items_roll_up_their_weighted_milestones(
    units: Org, supervisor: Person, handler: Person, django_assert_num_queries: Any
) -> None:
    with on(START):
        parent = make_problem(
            supervisor=supervisor, lead_unit=units.plant, is_long_term=True, title="会风文风"
        )
        heavy = problem(supervisor, units, 10, parent=parent, weight=3)
        light_one = problem(supervisor, units, 30, parent=parent, weight=1)
        dropped = problem(supervisor, units, 30, parent=parent, weight=5)
        ledger.problem_cancel(user=supervisor, problem_id=dropped.pk, reason="并入其他项")
        for item in (heavy, light_one):
            ledger.problem_start(user=handler, problem_id=item.pk)
    with on(START + dt.timedelta(days=5)):
        ledger.problem_record_progress(user=handler, problem_id=heavy.pk, note="", done_quantity=4)
        ledger.problem_record_progress(user=handler, problem_id=light_one.pk, note="", done_quantity=8)
    today = START + dt.timedelta(days=5)
    with django_assert_num_queries(2):
        progress = selectors.progress_for(Problem.objects.filter(pk=parent.pk), today)[parent.pk]
    assert progress.actual == pytest.approx((3 * 0.4 + 1 * 0.8) / 4)  # the cancelled milestone is left out
    # no deadline of its own: the worst milestone's light (heavy: 10 points behind → yellow)
    assert progress.light == Light.YELLOW
    assert selectors.rollup_progress(parent) == pytest.approx(0.5)


def test_urge_counts_per_unit_and_period(
    units: Org, supervisor: Person, handler: Person, outsider: Person
) -> None:
    with on(START):
        urged = problem(supervisor, units, 10)
        quiet = problem(supervisor, units, 10)
        elsewhere = problem(supervisor, units, 10, lead_unit=units.sibling)
        services.urge_issue(user=supervisor, problem_id=urged.pk, colour=Colour.BLUE, message="抓紧")
    with on(START + dt.timedelta(days=3)):
        services.urge_issue(user=supervisor, problem_id=urged.pk, colour=Colour.YELLOW, message="再催")
    with on(START + dt.timedelta(days=40)):
        services.urge_issue(user=supervisor, problem_id=elsewhere.pk, colour=Colour.RED, message="逾期")

    march = selectors.urge_counts(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    assert (march[units.plant.pk].problems, march[units.plant.pk].urged, march[units.plant.pk].notices) == (
        2,
        1,
        2,
    )
    assert march[units.plant.pk].rate == 0.5
    assert (march[units.sibling.pk].urged, march[units.sibling.pk].rate) == (0, 0.0)
    april = selectors.urge_counts(start=dt.date(2025, 4, 1), end=dt.date(2025, 4, 30))
    assert april[units.sibling.pk].rate == 1.0
    # scoped: the sibling unit's handler counts only his own unit
    scoped = selectors.urge_counts(
        start=dt.date(2025, 3, 1), end=dt.date(2025, 4, 30), problems=problems_in_scope(outsider)
    )
    assert set(scoped) == {units.sibling.pk}
    assert quiet.pk != urged.pk


def test_an_administrator_sees_every_urge_notice_and_a_plain_employee_none(
    units: Org, supervisor: Person, handler: Person, employee: Person, admin_user: Person
) -> None:
    # regression: the superuser's unit filter is the empty Q(), and `Q() | own` kept only the notices on
    # problems the administrator owns or leads, that is none
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant, title="职工食堂排烟不畅")
    ledger.problem_start(user=handler, problem_id=problem.pk)
    notice = services.urge_issue(user=supervisor, problem_id=problem.pk, colour=Colour.BLUE, message="请抓紧")
    assert list(selectors.notices_visible_to(admin_user)) == [notice]
    assert list(selectors.notices_visible_to(handler)) == [notice]
    assert not selectors.notices_visible_to(employee).exists()
