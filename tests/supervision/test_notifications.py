"""Notices reach people in the app, by email and through WeCom / DingTalk group robots — real HTTP to a
local receiver — once per cause, with failures retried with backoff and left visible to administrators."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from typing import Any
from urllib.parse import unquote_plus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from taizhang.supervision import scheduler, sending, services
from taizhang.supervision.models import Colour, Delivery, Notification, NotificationKind, Robot
from taizhang.supervision.notify import notify
from tests.conftest import PASSWORD, Org
from tests.factories import jpeg_upload, make_problem
from tests.supervision.conftest import Receiver, moment, on

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 5, 12)


@pytest.fixture
def item(units: Org, supervisor: Person) -> Problem:
    with on(DAY):
        return make_problem(
            supervisor=supervisor,
            lead_unit=units.workshop,
            deadline=DAY + dt.timedelta(days=30),
            title="更衣室漏雨",
        )


def robot(units: Org, receiver: Receiver, kind: str, **fields: Any) -> Robot:
    query = "key=abc-123" if kind == Robot.Kind.WECOM else "access_token=tok456"
    return Robot.objects.create(
        name=kind,
        unit=fields.pop("unit", units.plant),
        kind=kind,
        webhook_url=f"{receiver.url}/{kind}/send?{query}",
        **fields,
    )


def test_an_urge_notice_reaches_the_app_email_and_both_robots(
    item: Problem,
    units: Org,
    supervisor: Person,
    handler: Person,
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    handler.email = "hou@example.com"
    handler.save()
    robot(units, receiver, Robot.Kind.WECOM)
    robot(units, receiver, Robot.Kind.DINGTALK, secret="SECtest-secret")
    robot(units, receiver, Robot.Kind.WECOM, unit=units.sibling)  # another branch's group: not told
    robot(units, receiver, Robot.Kind.WECOM, include_subtree=False, unit=units.root)  # only the root's own
    with on(DAY), django_capture_on_commit_callbacks(execute=True):
        notice = services.urge_issue(
            user=supervisor, problem_id=item.pk, colour=Colour.RED, message="立即整改"
        )

    assert Notification.objects.get(recipient=handler).notice == notice
    assert [message.to for message in mail.outbox] == [["hou@example.com"]]
    assert item.code in mail.outbox[0].subject and "立即整改" in mail.outbox[0].body

    assert sorted(r.path for r in receiver.received) == ["/dingtalk/send", "/wecom/send"]
    wecom = next(r for r in receiver.received if r.path == "/wecom/send")
    assert wecom.query == {"key": ["abc-123"]}
    assert wecom.body["msgtype"] == "markdown"
    assert "立即整改" in wecom.body["markdown"]["content"] and item.code in wecom.body["markdown"]["content"]

    ding = next(r for r in receiver.received if r.path == "/dingtalk/send")
    assert ding.body["msgtype"] == "markdown"
    assert set(ding.body["markdown"]) == {"title", "text"}
    timestamp = ding.query["timestamp"][0]
    assert int(timestamp) == int(moment(DAY).timestamp() * 1000)
    expected = base64.b64encode(
        hmac.new(b"SECtest-secret", f"{timestamp}\nSECtest-secret".encode(), hashlib.sha256).digest()
    ).decode()
    assert ding.query["sign"] == [expected]  # parse_qs has undone the URL encoding
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_the_dingtalk_signature_is_url_encoded() -> None:
    sign = sending.dingtalk_sign("SEC000", 1_700_000_000_000)
    digest = hmac.new(b"SEC000", b"1700000000000\nSEC000", hashlib.sha256).digest()
    assert unquote_plus(sign) == base64.b64encode(digest).decode()
    assert "+" not in sign and "/" not in sign and "=" not in sign
    url = sending.dingtalk_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", "SEC000", 1_700_000_000_000
    )
    assert url == f"https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign={sign}"
    assert sending.dingtalk_url("https://x/send?access_token=t", "", 1) == "https://x/send?access_token=t"


def test_failures_are_retried_with_backoff_then_given_up_for_the_admin(
    item: Problem, units: Org, receiver: Receiver, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TAIZHANG = type(settings.TAIZHANG)(delivery_max_attempts=3, delivery_backoff_seconds=60)
    receiver.answers = [
        (500, {"error": "busy"}),
        (200, {"errcode": 93000, "errmsg": "invalid webhook url"}),
        (200, {"errcode": 0, "errmsg": "ok"}),
    ]
    robot(units, receiver, Robot.Kind.WECOM)
    with on(DAY), django_capture_on_commit_callbacks(execute=True):
        notify(kind="overdue", cause="test:1", recipients=[], subject="s", message="m", problem=item)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at == moment(DAY) + dt.timedelta(seconds=60)

    soon = moment(DAY) + dt.timedelta(seconds=30)
    with clock_at(soon):
        scheduler.retry_deliveries(scheduler.Report(), soon)  # not due yet
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and len(receiver.received) == 1

    first_retry = moment(DAY) + dt.timedelta(seconds=61)
    with clock_at(first_retry):
        scheduler.retry_deliveries(scheduler.Report(), first_retry)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    assert "errcode 93000" in delivery.last_error
    assert delivery.next_attempt_at == first_retry + dt.timedelta(seconds=120)  # twice as long

    second_retry = first_retry + dt.timedelta(seconds=121)
    with clock_at(second_retry):
        scheduler.retry_deliveries(scheduler.Report(), second_retry)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(receiver.received) == 3

    receiver.answers = [(503, {})]
    with on(DAY), django_capture_on_commit_callbacks(execute=True):
        notify(kind="overdue", cause="test:2", recipients=[], subject="s", message="m", problem=item)
    failing = Delivery.objects.get(cause="test:2")
    for seconds in (61, 200, 500, 1000):
        moment_ = moment(DAY) + dt.timedelta(seconds=seconds)
        with clock_at(moment_):
            scheduler.retry_deliveries(scheduler.Report(), moment_)
    failing.refresh_from_db()
    assert (failing.status, failing.attempts) == ("failed", 3)  # no more attempts; visible in the admin


def clock_at(value: dt.datetime) -> Any:
    from taizhang.core import clock

    return clock.frozen_at(value)


def test_an_unreachable_robot_is_a_recorded_failure(item: Problem, units: Org) -> None:
    Robot.objects.create(
        name="gone", unit=units.plant, kind=Robot.Kind.WECOM, webhook_url="http://127.0.0.1:9/x"
    )
    with on(DAY):
        notify(kind="overdue", cause="test:3", recipients=[], subject="s", message="m", problem=item)
        assert sending.deliver(Delivery.objects.get().pk) == "pending"
    assert "cannot reach" in Delivery.objects.get().last_error


def test_the_same_cause_is_never_sent_twice(
    item: Problem, units: Org, handler: Person, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    handler.email = "hou@example.com"
    handler.save()
    robot(units, receiver, Robot.Kind.WECOM)
    with on(DAY), django_capture_on_commit_callbacks(execute=True):
        first = notify(
            kind="overdue", cause="overdue:x", recipients=[handler], subject="s", message="m", problem=item
        )
        second = notify(
            kind="overdue",
            cause="overdue:x",
            recipients=[handler, handler],
            subject="s",
            message="m",
            problem=item,
        )
    assert (first.notifications, first.deliveries) == (1, 2)
    assert (second.notifications, second.deliveries) == (0, 0)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1 and len(receiver.received) == 1


def test_a_delivery_interrupted_mid_send_is_not_resent_automatically(item: Problem, units: Org) -> None:
    Robot.objects.create(
        name="r", unit=units.plant, kind=Robot.Kind.WECOM, webhook_url="http://127.0.0.1:9/x"
    )
    with on(DAY):
        notify(kind="overdue", cause="test:4", recipients=[], subject="s", message="m", problem=item)
    Delivery.objects.update(status=Delivery.Status.SENDING, claimed_at=moment(DAY))
    later = moment(DAY) + dt.timedelta(hours=1)
    report = scheduler.Report()
    scheduler.retry_deliveries(report, later)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "Interrupted" in delivery.last_error
    assert report.counts["deliveries interrupted"] == 1


def test_admins_see_failed_deliveries_and_can_retry_them(
    item: Problem, units: Org, admin_user: Person, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.answers = [(500, {})]
    robot(units, receiver, Robot.Kind.WECOM)
    with on(DAY):
        notify(kind="overdue", cause="test:5", recipients=[], subject="漏雨", message="m", problem=item)
    Delivery.objects.update(status=Delivery.Status.FAILED, attempts=6, last_error="HTTP 500 boom")
    client = Client()
    assert client.login(username=admin_user.username, password=PASSWORD)
    page = client.get(reverse("admin:supervision_delivery_changelist"))
    assert page.status_code == 200
    assert "HTTP 500 boom" in page.content.decode()
    receiver.answers = [(200, {"errcode": 0, "errmsg": "ok"})]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:supervision_delivery_changelist"),
            {"action": "retry_deliveries", "_selected_action": [Delivery.objects.get().pk]},
        )
    assert Delivery.objects.get().status == "sent"


def logged_in_as(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def test_the_notification_list_counts_unread_and_marks_read(
    item: Problem, handler: Person, employee: Person, supervisor: Person
) -> None:
    with on(DAY):
        services.urge_issue(user=supervisor, problem_id=item.pk, colour=Colour.BLUE, message="请汇报")
        notify(kind="overdue", cause="c2", recipients=[handler], subject="s", message="另一条", problem=item)
    client = Client()
    assert client.login(username=handler.username, password=PASSWORD)
    page = client.get(reverse("supervision:notifications"))
    assert page.status_code == 200
    assert page.context["unread_notifications"] == 2  # the context processor, for the menu
    assert not page.context["supervises"]
    assert logged_in_as(supervisor).get(reverse("supervision:notifications")).context["supervises"]
    assert page.context["unread"] == 2
    assert "请汇报" in page.content.decode()
    first = Notification.objects.filter(recipient=handler).order_by("pk").first()
    assert first is not None
    client.post(reverse("supervision:notification_read"), {"notification": first.pk})
    assert client.get(reverse("supervision:notifications")).context["unread"] == 1
    other = Client()
    assert other.login(username=employee.username, password=PASSWORD)
    assert other.post(reverse("supervision:notification_read"), {"notification": first.pk}).status_code == 404
    assert other.get(reverse("supervision:notifications")).context["unread"] == 0
    client.post(reverse("supervision:notification_read"))
    assert client.get(reverse("supervision:notifications")).context["unread"] == 0


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections, as in production
def test_at_scale_deliveries_wait_in_the_database_for_db_worker(
    item: Problem, units: Org, receiver: Receiver, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    robot(units, receiver, Robot.Kind.WECOM)
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="overdue", cause="test:db", recipients=[], subject="s", message="排队发送", problem=item)
    assert DBTaskResult.objects.count() == 1
    assert receiver.received == []  # queued, not sent
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert Delivery.objects.get().status == "sent"
    assert "排队发送" in receiver.received[0].body["markdown"]["content"]


def test_a_rejected_close_out_is_told_to_the_handler_who_asked_with_the_reason(
    item: Problem, supervisor: Person, handler: Person, leader: Person
) -> None:
    with on(DAY + dt.timedelta(days=2)):
        ledger.problem_start(user=handler, problem_id=item.pk)
        ledger.problem_request_closeout(
            user=handler, problem_id=item.pk, completion_note="已修好", evidence=[jpeg_upload("after.jpg")]
        )
        ledger.problem_reject(user=supervisor, problem_id=item.pk, reason="照片看不出修好了")
    told = Notification.objects.get(recipient=handler, kind=NotificationKind.CLOSEOUT_REJECTED)
    assert "照片看不出修好了" in told.message and item.code in told.message and told.problem_id == item.pk
    # the person who rejected it is not told of their own decision; nobody else is told
    assert not Notification.objects.filter(kind=NotificationKind.CLOSEOUT_REJECTED).exclude(recipient=handler)
    # each rejection is its own cause: asked again and sent back again, the handler hears again
    with on(DAY + dt.timedelta(days=3)):
        ledger.problem_request_closeout(
            user=handler, problem_id=item.pk, completion_note="换了灯泡", evidence=[jpeg_upload("b.jpg")]
        )
        ledger.problem_reject(user=leader, problem_id=item.pk, reason="还是不亮")
    messages = Notification.objects.filter(recipient=handler, kind=NotificationKind.CLOSEOUT_REJECTED)
    assert [
        m.message.endswith(reason)
        for m, reason in zip(messages.order_by("pk"), ("照片看不出修好了", "还是不亮"), strict=True)
    ] == [True, True]
