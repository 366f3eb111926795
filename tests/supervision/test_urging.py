"""Three-colour urge notices: issued by supervisors or by rule, answered by the unit on the notice,
escalated when ignored (the unit's leaders, then the supervisor's superior, one colour up each time); every
step on the problem's event chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from taizhang.core.errors import DomainError, InvalidInput, NotPermitted
from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from taizhang.supervision import scheduler, services
from taizhang.supervision.models import Colour, Notification, UrgeNotice
from tests.conftest import Org
from tests.factories import make_category, make_problem
from tests.supervision.conftest import moment, on

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 3, 3)


def kinds(problem: Problem) -> list[str]:
    return list(problem.events.order_by("seq").values_list("kind", flat=True))


def told(person: Person) -> list[str]:
    return list(Notification.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True))


@pytest.fixture
def item(units: Org, supervisor: Person, handler: Person, leader: Person) -> Problem:
    with on(MONDAY):
        problem = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            deadline=MONDAY + dt.timedelta(days=20),
            leader=leader,
        )
        ledger.problem_start(user=handler, problem_id=problem.pk)
    return problem


def test_a_supervisor_issues_and_the_unit_replies_on_the_notice(
    item: Problem, supervisor: Person, handler: Person, leader: Person, outsider: Person
) -> None:
    with on(MONDAY + dt.timedelta(days=1)):  # Tuesday
        notice = services.urge_issue(
            user=supervisor, problem_id=item.pk, colour=Colour.BLUE, message="请加快进度"
        )
    assert (notice.colour, notice.level, notice.issued_by, notice.cause) == ("blue", 0, supervisor, "manual")
    # three calendar days to reply, due by the end of Friday
    assert notice.reply_due == moment(MONDAY + dt.timedelta(days=5), 0)
    assert notice.reply_by == MONDAY + dt.timedelta(days=4)  # shown as "reply by Friday"
    urged = item.events.get(kind="problem.urged")
    assert (urged.actor, urged.actor_role, urged.payload["notice"]) == (supervisor, "supervisor", notice.pk)
    assert told(handler) == ["urged"]  # the unit's handler is told

    with pytest.raises(NotPermitted):
        services.urge_reply(user=outsider, notice_id=notice.pk, reply="不归我管")
    with pytest.raises(DomainError):
        services.urge_reply(user=handler, notice_id=notice.pk, reply="  ")
    with on(MONDAY + dt.timedelta(days=2)):
        replied = services.urge_reply(user=handler, notice_id=notice.pk, reply="已增派人手，周五完成")
    assert (replied.replied_by, replied.reply) == (handler, "已增派人手，周五完成")
    event = item.events.get(kind="problem.urge_replied")
    assert (event.actor, event.actor_role, event.note, event.payload["notice"]) == (
        handler,
        "handler",
        "已增派人手，周五完成",
        notice.pk,
    )
    assert told(supervisor) == ["urge_replied"]
    with pytest.raises(DomainError) as again:
        services.urge_reply(user=leader, notice_id=notice.pk, reply="补充")
    assert again.value.code == "urge_waiting"
    assert list(verify_chains()) == []


def test_only_supervisors_over_the_unit_issue_notices_and_bad_input_changes_nothing(
    item: Problem, handler: Person, supervisor: Person
) -> None:
    before = item.events.count()
    with pytest.raises(NotPermitted):
        services.urge_issue(user=handler, problem_id=item.pk, colour=Colour.RED, message="自己催自己")
    with pytest.raises(InvalidInput):
        services.urge_issue(user=supervisor, problem_id=item.pk, colour="green", message="颜色不对")
    with pytest.raises(InvalidInput):
        services.urge_issue(user=supervisor, problem_id=item.pk, colour=Colour.RED, message=" ")
    assert UrgeNotice.objects.count() == 0
    assert item.events.count() == before
    assert Notification.objects.count() == 0


def test_an_ignored_notice_escalates_to_the_leader_then_the_superior(
    units: Org, supervisor: Person, plant_supervisor: Person, handler: Person, leader: Person
) -> None:
    with on(MONDAY):
        problem = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            deadline=MONDAY + dt.timedelta(days=20),
            leader=leader,
        )
        notice = services.urge_issue(
            user=plant_supervisor, problem_id=problem.pk, colour=Colour.BLUE, message="请说明进度"
        )
    assert notice.issuing_unit == units.plant
    assert told(leader) == [] and told(supervisor) == []

    with on(MONDAY + dt.timedelta(days=3)):  # the reply is due by the end of Thursday: not yet
        scheduler.escalate(scheduler.Report(), moment(MONDAY + dt.timedelta(days=3)))
    notice.refresh_from_db()
    assert notice.level == 0

    friday = MONDAY + dt.timedelta(days=4)
    with on(friday):
        report = scheduler.tick(moment(friday))
    notice.refresh_from_db()
    assert (notice.level, notice.colour) == (1, "yellow")
    assert report.counts["urge notices escalated"] == 1
    assert "urge_escalated" in told(leader)
    assert told(supervisor) == []  # not yet the superior
    escalated = problem.events.get(kind="problem.urge_escalated", payload__notice=notice.pk)
    assert (escalated.actor, escalated.actor_role) == (None, "system")
    assert escalated.payload == {
        "notice": notice.pk,
        "level": 1,
        "from_colour": "blue",
        "to_colour": "yellow",
    }

    later = friday + dt.timedelta(days=4)
    with on(later):
        scheduler.tick(moment(later))
    notice.refresh_from_db()
    assert (notice.level, notice.colour) == (2, "red")
    assert "urge_escalated" in told(supervisor)  # 杨朝晖 supervises the whole enterprise, above 郝建国

    much_later = later + dt.timedelta(days=10)
    with on(much_later):
        scheduler.tick(moment(much_later))
    notice.refresh_from_db()
    assert notice.level == 2  # the ladder has two rungs
    assert problem.events.filter(kind="problem.urge_escalated", payload__notice=notice.pk).count() == 2
    # the unit can still answer, and a reply stops the escalation
    with on(much_later):
        services.urge_reply(user=handler, notice_id=notice.pk, reply="已整改完毕")
    assert list(verify_chains()) == []


def test_reply_days_count_working_days_for_working_day_items(
    units: Org, supervisor: Person, handler: Person
) -> None:
    with on(dt.date(2025, 9, 29)):  # Monday before National Day
        problem = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            category=make_category(working_days=True),
            deadline=dt.date(2025, 10, 20),
        )
        notice = services.urge_issue(
            user=supervisor, problem_id=problem.pk, colour=Colour.BLUE, message="请汇报"
        )
    # 30 September, then the holiday, then 9 and 10 October
    assert notice.reply_due == moment(dt.date(2025, 10, 11), 0)


def rule_notices(problem: Problem) -> list[tuple[str, str]]:
    return list(problem.urge_notices.order_by("pk").values_list("cause", "colour"))


def test_rules_issue_blue_yellow_and_red_once_per_cause(
    units: Org, supervisor: Person, handler: Person, leader: Person
) -> None:
    with on(MONDAY):
        problem = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            deadline=MONDAY + dt.timedelta(days=20),
            target_quantity=10,
        )
        ledger.problem_start(user=handler, problem_id=problem.pk)
        ledger.problem_record_progress(user=handler, problem_id=problem.pk, note="", done_quantity=1)

    def tick_on(day: dt.date) -> scheduler.Report:
        with on(day):
            return scheduler.tick(moment(day))

    tick_on(MONDAY + dt.timedelta(days=1))
    assert rule_notices(problem) == []  # 5% expected, 10% done
    tick_on(MONDAY + dt.timedelta(days=5))  # 25% expected, 15 points behind → yellow light
    assert rule_notices(problem) == [("behind", "yellow")]
    notice = problem.urge_notices.get()
    assert (notice.issued_by, notice.rule_key) == (None, f"behind:{problem.pk}:{problem.deadline}")
    assert problem.events.get(kind="problem.urged").actor_role == "system"
    # ticking again changes nothing
    again = tick_on(MONDAY + dt.timedelta(days=5))
    assert "urge notices issued" not in again.counts
    assert rule_notices(problem) == [("behind", "yellow")]
    with on(MONDAY + dt.timedelta(days=5)):
        services.urge_reply(user=handler, notice_id=notice.pk, reply="正在赶工")
    tick_on(MONDAY + dt.timedelta(days=6))
    assert rule_notices(problem) == [("behind", "yellow")]  # the same cause is never urged twice
    tick_on(MONDAY + dt.timedelta(days=18))  # two days left; still behind: the yellow cause is spent
    assert rule_notices(problem) == [("behind", "yellow")]
    with on(MONDAY + dt.timedelta(days=18)):
        ledger.problem_record_progress(user=handler, problem_id=problem.pk, note="", done_quantity=9)
    tick_on(MONDAY + dt.timedelta(days=18))
    assert rule_notices(problem) == [("behind", "yellow"), ("near_deadline", "blue")]
    blue = problem.urge_notices.get(colour="blue")
    with on(MONDAY + dt.timedelta(days=18)):
        services.urge_reply(user=handler, notice_id=blue.pk, reply="本周完成")
    tick_on(MONDAY + dt.timedelta(days=21))  # overdue
    assert rule_notices(problem)[-1] == ("overdue", "red")
    assert len(rule_notices(problem)) == 3


def test_rules_do_not_pile_notices_on_an_unanswered_one_and_honour_the_switch(
    item: Problem, supervisor: Person, settings: Any
) -> None:
    assert item.deadline is not None
    day = item.deadline + dt.timedelta(days=1)
    with on(day - dt.timedelta(days=2)):
        services.urge_issue(user=supervisor, problem_id=item.pk, colour=Colour.RED, message="马上办")
    with on(day):
        scheduler.auto_urge(scheduler.Report(), day)
    assert rule_notices(item) == [("manual", "red")]  # a red notice is already waiting for a reply
    settings.TAIZHANG = type(settings.TAIZHANG)(auto_urge=False)
    UrgeNotice.objects.update(replied_at=moment(day), replied_by=supervisor)
    with on(day):
        scheduler.auto_urge(scheduler.Report(), day)
    assert rule_notices(item) == [("manual", "red")]


def test_an_approved_extension_is_a_new_deadline_and_a_new_cause(
    item: Problem, handler: Person, supervisor: Person
) -> None:
    assert item.deadline is not None
    near = item.deadline - dt.timedelta(days=2)
    with on(near):
        scheduler.auto_urge(scheduler.Report(), near)  # started, nothing measurable: green, but near
    assert rule_notices(item) == [("near_deadline", "blue")]
    with on(near):
        services.urge_reply(user=handler, notice_id=item.urge_notices.get().pk, reply="需延期")
        services.extension_request(user=handler, problem_id=item.pk, days=5, reason="材料未到")
        ledger.problem_decide_extension(user=supervisor, problem_id=item.pk, approve=True, note="同意")
    item.refresh_from_db()
    assert item.deadline == near + dt.timedelta(days=7)
    later = item.deadline - dt.timedelta(days=1)
    with on(later):
        scheduler.auto_urge(scheduler.Report(), later)
    assert rule_notices(item) == [("near_deadline", "blue"), ("near_deadline", "blue")]
