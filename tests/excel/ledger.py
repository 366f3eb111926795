"""A representative ledger built through the services, for export and round-trip tests: every state, with
progress notes, quantities, long-term items, assisting units, leaders and owners, evidence and ratings.

Switch the round-trip test to the demo data (taizhang.demo.loader.load_demo) once it is merged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.test import override_settings

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import jpeg_upload, make_category, make_problem, raised_problem


@dataclass
class Ledger:
    problems: dict[str, Problem]


def build_ledger(
    *,
    units: Org,
    supervisor: Person,
    employee: Person,
    handler: Person,
    leader: Person,
    leader2: Person,
) -> Ledger:
    lamps = make_category(name="路灯照明", measure_word="盏")
    meetings = make_category(name="会风文风", measure_word="次", evidence_required=False)
    toilets = make_category(name="卫生间", measure_word="间")
    today = clock.today()
    made: dict[str, Problem] = {}
    made["open"] = make_problem(
        supervisor=supervisor,
        lead_unit=units.plant,
        category=lamps,
        title="生活区路灯不亮",
        description="3号楼至5号楼之间12盏路灯长期不亮",
        source="职工座谈会",
        measures="更换灯具，检修线路",
        leader=leader,
        owner=handler,
        target_quantity=12,
        deadline=today + dt.timedelta(days=20),
    )
    made["working"] = make_problem(
        supervisor=supervisor,
        lead_unit=units.workshop,
        category=toilets,
        title="车间卫生间漏水",
        source="意见箱",
        measures="整修管道",
        leader=leader,
        assisting_units=(units.sibling,),
        target_quantity=4,
        deadline=today + dt.timedelta(days=40),
    )
    ledger.problem_start(user=handler, problem_id=made["working"].pk)
    ledger.problem_record_progress(
        user=handler, problem_id=made["working"].pk, note="已整修2间", done_quantity=2
    )
    made["long"] = make_problem(
        supervisor=supervisor,
        lead_unit=units.plant,
        category=meetings,
        title="会议过多过长",
        description="每周例会超过3小时\n专题会重复召开",
        is_long_term=True,
        measures="压缩会议，控制时长",
        leader=leader2,
    )
    ledger.problem_start(user=handler, problem_id=made["long"].pk)
    ledger.problem_record_progress(user=handler, problem_id=made["long"].pk, note="例会压缩到1小时")
    made["review"] = make_problem(
        supervisor=supervisor,
        lead_unit=units.plant,
        category=lamps,
        title="厂区道路照明不足",
        target_quantity=30,
        leader=leader,
        owner=handler,
        deadline=today + dt.timedelta(days=10),
    )
    ledger.problem_start(user=handler, problem_id=made["review"].pk)
    ledger.problem_request_closeout(
        user=handler,
        problem_id=made["review"].pk,
        completion_note="新装路灯30盏",
        done_quantity=30,
        evidence=[jpeg_upload("after.jpg")],
    )
    closed, _opinion = raised_problem(
        supervisor=supervisor,
        raiser=employee,
        unit=units.plant,
        title="澡堂热水不足",
        category=toilets,
        target_quantity=1,
        leader=leader,
    )
    ledger.problem_start(user=handler, problem_id=closed.pk)
    ledger.problem_request_closeout(
        user=handler,
        problem_id=closed.pk,
        completion_note="更换热水器1台",
        done_quantity=1,
        evidence=[jpeg_upload("heater.jpg")],
    )
    ledger.problem_sign(user=leader, problem_id=closed.pk)
    ledger.problem_rate(user=employee, problem_id=closed.pk, verdict="satisfied", comment="好")
    ledger.problem_verify(user=supervisor, problem_id=closed.pk)
    made["closed"] = closed
    noticed, _opinion = raised_problem(
        supervisor=supervisor, raiser=employee, unit=units.workshop, title="停车位不够", category=meetings
    )
    ledger.problem_start(user=handler, problem_id=noticed.pk)
    ledger.problem_request_closeout(user=handler, problem_id=noticed.pk, completion_note="新划停车位40个")
    ledger.problem_sign(user=leader, problem_id=noticed.pk)
    ledger.problem_rate(user=employee, problem_id=noticed.pk, verdict="basically_satisfied", comment="还可以")
    with override_settings(TAIZHANG=dataclasses.replace(settings.TAIZHANG, notice_days=5)):
        ledger.problem_verify(user=supervisor, problem_id=noticed.pk)
    made["notice"] = noticed
    made["cancelled"] = make_problem(
        supervisor=supervisor, lead_unit=units.workshop, category=meetings, title="重复填报表格"
    )
    ledger.problem_cancel(user=supervisor, problem_id=made["cancelled"].pk, reason="与另一问题合并")
    made["returned"] = make_problem(
        supervisor=supervisor, lead_unit=units.plant, category=meetings, title="食堂排队时间长"
    )
    ledger.problem_return(user=handler, problem_id=made["returned"].pk, reason="归后勤管理")
    for key, problem in made.items():
        problem.refresh_from_db()
        made[key] = problem
    assert made["closed"].state == State.CLOSED and made["review"].state == State.REVIEW
    assert made["notice"].state == State.NOTICE
    return Ledger(problems=made)
