"""回头看: a closed problem is scheduled for a re-check after the category's days; the checker records that
it held or regressed, with photos; a regression reopens the problem and is counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from taizhang.core.errors import DomainError, NotPermitted
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Evidence, Problem, Verdict
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from taizhang.supervision import scheduler, services
from taizhang.supervision.models import LookBack, Notification
from tests.factories import jpeg_upload, make_category
from tests.supervision.conftest import moment, on

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 4, 7)


def test_closing_schedules_a_look_back_after_the_categorys_days(
    closed_problem: Callable[..., Problem], supervisor: Person
) -> None:
    with on(DAY):
        problem = closed_problem(category=make_category(look_back_days=60))
    look_back = problem.look_backs.get()
    assert (look_back.closed_on, look_back.due_on, look_back.status) == (
        DAY,
        DAY + dt.timedelta(days=60),
        "pending",
    )
    assert look_back.closed_event.kind == "problem.verified"
    # the tick's safety net finds nothing more to schedule, and reminds when it is due
    with on(DAY + dt.timedelta(days=59)):
        report = scheduler.tick(moment(DAY + dt.timedelta(days=59)))
    assert "look-backs scheduled" not in report.counts
    assert not Notification.objects.filter(kind="look_back_due").exists()
    with on(DAY + dt.timedelta(days=60)):
        scheduler.tick(moment(DAY + dt.timedelta(days=60)))
        scheduler.tick(moment(DAY + dt.timedelta(days=60), 12))
    assert list(Notification.objects.filter(kind="look_back_due").values_list("recipient", flat=True)) == [
        supervisor.pk
    ]


def test_the_fix_holds(closed_problem: Callable[..., Problem], supervisor: Person, handler: Person) -> None:
    with on(DAY):
        problem = closed_problem()
    look_back = problem.look_backs.get()
    with pytest.raises(NotPermitted):
        services.look_back_record(user=handler, look_back_id=look_back.pk, holds=True, note="好")
    with on(DAY + dt.timedelta(days=90)):
        held = services.look_back_record(
            user=supervisor,
            look_back_id=look_back.pk,
            holds=True,
            note="保持良好",
            photos=[jpeg_upload("now.jpg")],
        )
    problem.refresh_from_db()
    assert (held.status, held.checked_by, held.note) == ("held", supervisor, "保持良好")
    assert held.result_event is not None and held.result_event.kind == "problem.look_back_held"
    assert held.result_event.payload["evidence"][0]["name"] == "now.jpg"
    assert (problem.state, problem.reopen_count) == (State.CLOSED, 0)
    with pytest.raises(DomainError) as again:
        services.look_back_record(user=supervisor, look_back_id=look_back.pk, holds=False, note="又坏了")
    assert again.value.code == "already_recorded"


def test_a_regression_reopens_the_problem_and_is_counted(
    closed_problem: Callable[..., Problem],
    supervisor: Person,
    handler: Person,
    leader: Person,
    employee: Person,
) -> None:
    with on(DAY):
        problem = closed_problem()
    look_back = problem.look_backs.get()
    with pytest.raises(DomainError):  # a regression needs a note; nothing changes
        services.look_back_record(user=supervisor, look_back_id=look_back.pk, holds=False, note=" ")
    look_back.refresh_from_db()
    assert look_back.status == "pending"
    with on(DAY + dt.timedelta(days=90)):
        regressed = services.look_back_record(
            user=supervisor,
            look_back_id=look_back.pk,
            holds=False,
            note="回头看：又坏了两盏",
            photos=[jpeg_upload("broken.jpg")],
        )
    problem.refresh_from_db()
    assert regressed.status == "regressed"
    assert (problem.state, problem.reopen_count) == (State.IN_PROGRESS, 1)
    reopened = problem.events.get(kind="problem.reopened")
    assert regressed.result_event == reopened
    assert reopened.payload["cause"] == "regressed"
    assert Evidence.objects.filter(problem=problem, original_name="broken.jpg").exists()

    # closed again: a new look-back for the new close-out
    with on(DAY + dt.timedelta(days=100)):
        ledger.problem_request_closeout(
            user=handler, problem_id=problem.pk, completion_note="全部更换", evidence=[jpeg_upload()]
        )
        ledger.problem_sign(user=leader, problem_id=problem.pk)
        ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.SATISFIED)
        ledger.problem_verify(user=supervisor, problem_id=problem.pk)
    assert list(problem.look_backs.order_by("pk").values_list("status", flat=True)) == [
        "regressed",
        "pending",
    ]


def test_reopening_otherwise_makes_the_pending_look_back_moot(
    closed_problem: Callable[..., Problem], supervisor: Person
) -> None:
    with on(DAY):
        problem = closed_problem()
        ledger.problem_reopen(
            user=supervisor, problem_id=problem.pk, reason="群众不满意", cause="unsatisfied"
        )
    assert problem.look_backs.get().status == LookBack.Status.CANCELLED
