"""`taizhang tick`: reminders before a deadline, on overdue, on a close-out waiting for signature or
verification, rating requests to named raisers; public notices concluded; idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command

from taizhang.ledger import services as ledger
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from taizhang.supervision import scheduler
from taizhang.supervision.models import Delivery, Notification, UrgeNotice
from tests.conftest import Org
from tests.factories import jpeg_upload, make_problem, raised_problem
from tests.supervision.conftest import close, moment, on

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 2)


def told(person: Person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True))


def tick_on(day: dt.date, hour: int = 9) -> scheduler.Report:
    with on(day, hour):
        return scheduler.tick(moment(day, hour))


def test_deadline_reminders_go_out_once_before_and_once_overdue(
    units: Org, supervisor: Person, handler: Person, leader: Person, outsider: Person
) -> None:
    with on(DAY):
        problem = make_problem(
            supervisor=supervisor, lead_unit=units.plant, deadline=DAY + dt.timedelta(days=10)
        )
        ledger.problem_start(user=handler, problem_id=problem.pk)
    tick_on(DAY + dt.timedelta(days=1))
    assert "deadline_near" not in told(handler)
    tick_on(DAY + dt.timedelta(days=7))  # three days left
    tick_on(DAY + dt.timedelta(days=7), hour=15)
    tick_on(DAY + dt.timedelta(days=8))
    assert told(handler).count("deadline_near") == 1
    assert told(leader).count("deadline_near") == 1
    assert told(outsider) == []
    tick_on(DAY + dt.timedelta(days=11))
    tick_on(DAY + dt.timedelta(days=12))
    assert told(handler).count("overdue") == 1
    assert told(supervisor).count("overdue") == 1  # overdue also goes to the supervision group


def test_close_outs_waiting_remind_the_leader_then_the_supervisors_and_ask_named_raisers_to_rate(
    units: Org, supervisor: Person, handler: Person, leader: Person, leader2: Person, employee: Person
) -> None:
    with on(DAY):
        named, _ = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
        anonymous, _ = raised_problem(supervisor=supervisor, raiser=None, unit=units.plant, anonymous=True)
        for problem in (named, anonymous):
            ledger.problem_start(user=handler, problem_id=problem.pk)
            ledger.problem_request_closeout(
                user=handler, problem_id=problem.pk, completion_note="修好了", evidence=[jpeg_upload()]
            )
    report = tick_on(DAY + dt.timedelta(days=1))
    assert told(leader).count("sign_waiting") == 2
    assert told(employee) == ["rating_request"]
    # the anonymous raiser has no account: nothing is stored about them, and no notification exists for them
    assert Notification.objects.filter(kind="rating_request").count() == 1
    assert told(supervisor).count("verify_waiting") == 0
    assert report.counts["close-out reminders"] == 2

    with on(DAY + dt.timedelta(days=1)):
        ledger.problem_sign(user=leader2, problem_id=named.pk)
    tick_on(DAY + dt.timedelta(days=1), hour=10)
    tick_on(DAY + dt.timedelta(days=2))
    assert told(supervisor).count("verify_waiting") == 1
    assert told(employee) == ["rating_request"]  # once per close-out round


def test_public_notices_are_concluded_by_the_tick(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person, settings: Any
) -> None:
    settings.TAIZHANG = type(settings.TAIZHANG)(notice_days=5)
    with on(DAY):
        problem, _ = raised_problem(
            supervisor=supervisor, raiser=employee, unit=units.plant, target_quantity=1
        )
        close(problem, handler=handler, leader=leader, supervisor=supervisor, raiser=employee)
    problem.refresh_from_db()
    assert problem.state == State.NOTICE
    tick_on(DAY + dt.timedelta(days=4))
    problem.refresh_from_db()
    assert problem.state == State.NOTICE
    report = tick_on(DAY + dt.timedelta(days=5), hour=10)
    problem.refresh_from_db()
    assert problem.state == State.CLOSED
    assert report.counts["public notices concluded"] == 1
    closed = problem.events.get(kind="problem.closed")
    assert (closed.actor, closed.actor_role) == (None, "system")
    assert problem.look_backs.count() == 1  # the conclusion schedules the look-back


def test_a_second_tick_does_nothing_new(
    units: Org, supervisor: Person, handler: Person, employee: Person
) -> None:
    with on(DAY):
        overdue = make_problem(
            supervisor=supervisor, lead_unit=units.plant, deadline=DAY + dt.timedelta(days=2)
        )
        raised, _ = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
        ledger.problem_start(user=handler, problem_id=raised.pk)
        ledger.problem_request_closeout(
            user=handler, problem_id=raised.pk, completion_note="好了", evidence=[jpeg_upload()]
        )
    first = tick_on(DAY + dt.timedelta(days=5))
    counts = (Notification.objects.count(), UrgeNotice.objects.count(), Delivery.objects.count())
    assert first.counts and counts[0] > 0 and counts[1] == 1
    second = tick_on(DAY + dt.timedelta(days=5), hour=10)
    assert (Notification.objects.count(), UrgeNotice.objects.count(), Delivery.objects.count()) == counts
    assert "urge notices issued" not in second.counts and "deadline reminders" not in second.counts
    assert overdue.urge_notices.get().colour == "red"


def test_the_command_reports_what_it_did(units: Org, supervisor: Person, handler: Person) -> None:
    with on(DAY):
        make_problem(supervisor=supervisor, lead_unit=units.plant, deadline=DAY - dt.timedelta(days=1))
    out, err = io.StringIO(), io.StringIO()
    with on(DAY):
        call_command("tick", stdout=out, stderr=err)
    assert "urge notices issued: 1" in out.getvalue()
    assert "deadline reminders: 1" in out.getvalue()
    out2 = io.StringIO()
    with on(DAY):
        call_command("tick", stdout=out2, stderr=io.StringIO())
    assert out2.getvalue().strip() == "nothing to do"


def test_a_problem_the_calendar_cannot_count_is_reported_and_the_rest_go_on(
    units: Org, supervisor: Person
) -> None:
    from taizhang.supervision.workdays import coverage
    from tests.factories import make_category

    last = coverage()[1]
    day = dt.date(last.year, 12, 30)
    with on(day):
        stuck = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            category=make_category(working_days=True),
            deadline=day - dt.timedelta(days=1),
        )
        fine = make_problem(supervisor=supervisor, lead_unit=units.plant, deadline=day - dt.timedelta(days=1))
    report = tick_on(day)
    assert any(stuck.code in error and last.isoformat() in error for error in report.errors)
    assert fine.urge_notices.count() == 1 and stuck.urge_notices.count() == 0
    assert scheduler.calendar_warning(day)
    assert not scheduler.calendar_warning(dt.date(last.year - 1, 1, 1))
