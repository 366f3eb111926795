"""The dashboard's traffic-light counts agree with `supervision.lights.light` applied item by item."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from taizhang.reports.selectors import light_counts, schedule_of
from taizhang.supervision.lights import Light, calendar_days, light
from tests.conftest import Org
from tests.factories import make_category, make_problem

pytestmark = pytest.mark.django_db


def test_light_counts_match_the_rule_item_by_item(units: Org, supervisor: Person, handler: Person) -> None:
    """Twenty items listed on 2014-03-01 with deadlines from 03-05 to 04-30, targets of 10, some started with
    some progress, some handed in; counted on 03-20."""
    chance = random.Random(7)
    category = make_category(evidence_required=False)
    with clock.frozen_at(dt.datetime(2014, 3, 1, 2, tzinfo=dt.UTC)):
        for number in range(20):
            problem = make_problem(
                supervisor=supervisor,
                lead_unit=units.plant,
                category=category,
                deadline=dt.date(2014, 3, 5) + dt.timedelta(days=3 * number),
                target_quantity=10,
            )
            if chance.random() < 0.7:
                ledger.problem_start(user=handler, problem_id=problem.pk)
                done = chance.randint(0, 10)
                if done:
                    ledger.problem_record_progress(
                        user=handler, problem_id=problem.pk, note="进展", done_quantity=done
                    )
                if chance.random() < 0.2:
                    ledger.problem_request_closeout(
                        user=handler, problem_id=problem.pk, completion_note="好了"
                    )
    today = dt.date(2014, 3, 20)
    expected = dict.fromkeys(Light, 0)
    for problem in Problem.objects.all():
        row = {
            "state": problem.state,
            "start": timezone.localdate(problem.created_at),
            "deadline": problem.deadline,
            "done_quantity": problem.done_quantity,
            "target_quantity": problem.target_quantity,
            "started": problem.started_at is not None,
        }
        colour = light(schedule_of(row), today, count=calendar_days)
        if colour is not None:
            expected[colour] += 1
    counted = light_counts(Problem.objects.all(), today)
    assert counted == expected
    assert counted[Light.RED] > 0 and counted[Light.GREEN] > 0 and sum(counted.values()) == 20
