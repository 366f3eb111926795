"""Webhooks against a real HTTP server on localhost: signed bodies, retries with backoff, the delivery log,
replay, filters, and a receiver that is down never breaking the write."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from taizhang.api import services as api_services
from taizhang.api import webhooks
from taizhang.api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from taizhang.core import hooks
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import make_category, make_opinion, make_problem

pytestmark = pytest.mark.django_db


@dataclass
class Receiver:
    """A real HTTP server; `status` is what it answers, `received` what it got."""

    server: HTTPServer
    status: int = 204
    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            holder["r"].received.append({"headers": dict(self.headers), "body": body})
            self.send_response(holder["r"].status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    holder["r"] = Receiver(server=server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder["r"]
    server.shutdown()
    server.server_close()


def subscribe(admin: Person, url: str, **filters: Any) -> tuple[WebhookSubscription, str]:
    issued = api_services.subscription_create(user=admin, name="portal", target_url=url, **filters)
    return issued.subscription, issued.secret


def closed_port() -> str:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def test_an_event_is_delivered_signed_after_commit(
    receiver: Receiver,
    units: Org,
    admin_user: Person,
    supervisor: Person,
    handler: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _subscription, secret = subscribe(admin_user, receiver.url, event_kinds=["problem.started"])
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.problem_start(user=handler, problem_id=problem.pk, note="开工")
    [got] = receiver.received
    body = got["body"]
    assert webhooks.verify(secret, got["headers"]["X-Taizhang-Signature"], body)
    assert not webhooks.verify("whsec_wrong", got["headers"]["X-Taizhang-Signature"], body)
    assert not webhooks.verify(secret, got["headers"]["X-Taizhang-Signature"], body + b" ")
    payload = json.loads(body)
    assert payload["kind"] == "problem.started"
    assert got["headers"]["X-Taizhang-Event-Id"] == payload["id"]
    assert payload["data"]["problem"]["code"] == problem.code
    assert payload["data"]["event"]["to_state"] == "in_progress"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "succeeded" and delivery.attempts == 1 and delivery.response_code == 204
    assert WebhookAttempt.objects.get().response_code == 204


def test_a_stale_signature_is_refused_by_the_verifier() -> None:
    body = b"{}"
    header = f"t=1000,v1={webhooks.sign('s', 1000, body)}"
    assert webhooks.verify("s", header, body, now=1100)
    assert not webhooks.verify("s", header, body, now=1000 + 3600)


def test_a_receiver_that_is_down_breaks_nothing_and_is_retried_later(
    units: Org,
    admin_user: Person,
    supervisor: Person,
    handler: Person,
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.TAIZHANG_WEBHOOK_RETRY_SECONDS = 60
    subscription, _secret = subscribe(admin_user, closed_port())
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.problem_start(user=handler, problem_id=problem.pk)
    problem.refresh_from_db()
    assert problem.state == "in_progress"  # the write stands
    started = WebhookDelivery.objects.get(kind="problem.started")
    assert started.status == "pending" and started.attempts == 1 and started.response_code is None
    assert "Error" in started.last_error
    assert started.next_attempt_at is not None and started.last_attempt_at is not None
    assert started.next_attempt_at - started.last_attempt_at == dt.timedelta(seconds=60)
    assert webhooks.deliver_due() == 0  # not due yet
    WebhookSubscription.objects.filter(pk=subscription.pk).update(target_url=receiver.url)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=2)):
        out = io.StringIO()
        call_command("deliver_webhooks", stdout=out)
    assert "2 delivered" in out.getvalue()  # problem.created and problem.started
    started.refresh_from_db()
    assert started.status == "succeeded" and started.attempts == 2
    assert {json.loads(r["body"])["kind"] for r in receiver.received} >= {"problem.started"}


def test_failures_back_off_exponentially_then_give_up(
    receiver: Receiver, units: Org, admin_user: Person, supervisor: Person, settings: Any
) -> None:
    settings.TAIZHANG_WEBHOOK_RETRY_SECONDS = 10
    settings.TAIZHANG_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.status = 500
    subscribe(admin_user, receiver.url, event_kinds=["problem.created"])
    make_problem(supervisor=supervisor, lead_unit=units.plant)  # no on-commit run: nothing sent yet
    delivery = WebhookDelivery.objects.get()
    gaps = []
    moment = dt.datetime.now(tz=dt.UTC)
    for _ in range(3):
        with time_machine.travel(moment):
            assert webhooks.deliver_due() == 0
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            gaps.append((delivery.next_attempt_at - delivery.last_attempt_at).total_seconds())  # type: ignore[operator]
            moment = delivery.next_attempt_at + dt.timedelta(seconds=1)
    assert gaps == [10, 20]
    assert delivery.status == "failed" and delivery.attempts == 3 and delivery.response_code == 500
    assert len(receiver.received) == 3
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 3


def test_subscriptions_filter_by_unit_subtree_category_and_kind(
    receiver: Receiver, units: Org, admin_user: Person, supervisor: Person
) -> None:
    lamps = make_category(name="路灯", code="lamps")
    subscribe(admin_user, receiver.url, unit=units.plant)
    subscribe(admin_user, receiver.url, category=lamps)
    subscribe(admin_user, receiver.url, event_kinds=["problem.closed"])
    in_workshop = make_problem(supervisor=supervisor, lead_unit=units.workshop)
    make_problem(supervisor=supervisor, lead_unit=units.sibling)
    lamp = make_problem(supervisor=supervisor, lead_unit=units.sibling, category=lamps)
    unit_sub, category_sub, kind_sub = WebhookSubscription.objects.order_by("pk")
    assert [json.loads(d.body)["data"]["problem"]["id"] for d in unit_sub.deliveries.all()] == [
        in_workshop.pk
    ]
    assert [json.loads(d.body)["data"]["problem"]["id"] for d in category_sub.deliveries.all()] == [lamp.pk]
    assert not kind_sub.deliveries.exists()


def test_opinion_created_carries_no_identity(
    receiver: Receiver,
    units: Org,
    admin_user: Person,
    employee: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(admin_user, receiver.url, event_kinds=["opinion.created"])
    with django_capture_on_commit_callbacks(execute=True):
        opinion = make_opinion(user=employee, unit=units.plant, contact_phone="13800000000")
    [got] = receiver.received
    text = got["body"].decode()
    assert json.loads(text)["kind"] == "opinion.created"
    for secret in (opinion.receipt_code, "13800000000", "zheng", "郑喜康"):
        assert secret not in text


def test_the_sweep_recreates_what_a_failed_fan_out_missed(
    receiver: Receiver, units: Org, admin_user: Person, supervisor: Person
) -> None:
    subscribe(admin_user, receiver.url)
    hooks.unsubscribe("event_recorded", webhooks.on_event_recorded)
    try:
        problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    finally:
        hooks.subscribe("event_recorded", webhooks.on_event_recorded)
    assert not WebhookDelivery.objects.filter(kind="problem.created").exists()
    assert webhooks.sweep() == 1
    assert webhooks.sweep() == 0  # idempotent
    assert webhooks.deliver_due() == 1
    assert json.loads(receiver.received[0]["body"])["data"]["problem"]["id"] == problem.pk


def test_administrators_read_the_log_and_replay(
    receiver: Receiver, units: Org, admin_user: Person, supervisor: Person
) -> None:
    subscribe(admin_user, receiver.url)
    make_problem(supervisor=supervisor, lead_unit=units.plant)
    webhooks.deliver_due()
    delivery = WebhookDelivery.objects.get()
    client = Client()
    assert client.login(username=admin_user.username, password=PASSWORD)
    assert client.get("/admin/api/webhookdelivery/").status_code == 200
    page = client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200 and delivery.event_id in page.content.decode()
    response = client.post(
        "/admin/api/webhookdelivery/", {"action": "replay", "_selected_action": [delivery.pk]}
    )
    assert response.status_code == 302
    assert len(receiver.received) == 2
    assert (
        receiver.received[0]["headers"]["X-Taizhang-Event-Id"]
        == receiver.received[1]["headers"]["X-Taizhang-Event-Id"]
    )  # the same event id: receivers drop the duplicate
    assert WebhookAttempt.objects.filter(delivery=delivery, replay=True).count() == 1


def test_a_subscription_made_in_the_admin_shows_its_secret_once(units: Org, admin_user: Person) -> None:
    client = Client()
    assert client.login(username=admin_user.username, password=PASSWORD)
    response = client.post(
        "/admin/api/webhooksubscription/add/",
        {
            "name": "门户",
            "target_url": "https://portal.example.cn/hook",
            "event_kinds": "[]",
            "is_active": "on",
        },
        follow=True,
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in response.content.decode()
    assert (
        subscription.secret
        not in client.get(f"/admin/api/webhooksubscription/{subscription.pk}/change/").content.decode()
    )
