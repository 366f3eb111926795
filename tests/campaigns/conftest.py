"""A campaign running now (its second phase is current), a contact point of 原卫平 in 原料车间, helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import Campaign, ContactPoint, Visit
from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_category


def days(offset: int) -> dt.date:
    return clock.today() + dt.timedelta(days=offset)


def later(offset_days: float) -> Any:
    return clock.frozen_at(clock.now() + dt.timedelta(days=offset_days))


@pytest.fixture
def campaign(units: Org, admin_user: Person) -> Campaign:
    return campaigns.campaign_create(
        user=admin_user,
        code="qzlx",
        name="党的群众路线教育实践活动",
        organiser=units.root,
        starts_on=days(-90),
        ends_on=days(90),
        phases=[
            campaigns.PhaseInput("学习教育、听取意见", days(-90), days(-31)),
            campaigns.PhaseInput("查摆问题、开展批评", days(-30), days(30)),
            campaigns.PhaseInput("整改落实、建章立制", days(31), days(90)),
        ],
    )


@pytest.fixture
def point(campaign: Campaign, units: Org, supervisor: Person, leader: Person) -> ContactPoint:
    return campaigns.contact_point_assign(
        user=supervisor, campaign_id=campaign.pk, leader=leader, unit=units.workshop, since=days(-80)
    )


@pytest.fixture
def visit(point: ContactPoint, leader: Person) -> Visit:
    return campaigns.visit_record(
        user=leader,
        contact_point_id=point.pk,
        data=campaigns.VisitInput(
            visited_on=days(-60), people_met="侯同义（作业长）、郑喜康", raised="13号大圆仓吃水难"
        ),
    )


def close_out(problem: Problem, *, supervisor: Person, handler: Person, leader: Person) -> Problem:
    """Work a problem through to 已销号 (no raiser rates, so verification waits out the rating window)."""
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(user=handler, problem_id=problem.pk, completion_note="已解决")
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    with later(4):
        return ledger.problem_verify(user=supervisor, problem_id=problem.pk)


def no_evidence_category() -> Any:
    return make_category(evidence_required=False)
