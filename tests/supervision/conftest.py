"""Shared pieces for the supervision tests: a fixed clock inside the working-day calendar, a plant-level
supervisor (whose superior is 杨朝晖), a problem walked to closed, and a real local HTTP receiver standing in
for the WeCom / DingTalk robot servers."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem, Verdict
from taizhang.org.models import Person, Role
from tests.conftest import Org, _person
from tests.factories import jpeg_upload, raised_problem

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def on(day: dt.date, hour: int = 9) -> AbstractContextManager[None]:
    """Freeze the clock at `hour` o'clock Shanghai time on `day`."""
    return clock.frozen_at(moment(day, hour))


@pytest.fixture
def plant_supervisor(units: Org) -> Person:
    """郝建国 — supervision group of 第一氧化铝厂 only; his superior is 杨朝晖 (the enterprise's group)."""
    return _person("hao", "郝建国", units.plant, (Role.SUPERVISOR, units.plant))


def close(
    problem: Problem, *, handler: Person, leader: Person, supervisor: Person, raiser: Person
) -> Problem:
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(
        user=handler,
        problem_id=problem.pk,
        completion_note="已修好",
        done_quantity=problem.target_quantity,
        evidence=[jpeg_upload("after.jpg")],
    )
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=raiser, problem_id=problem.pk, verdict=Verdict.SATISFIED)
    return ledger.problem_verify(user=supervisor, problem_id=problem.pk)


@pytest.fixture
def closed_problem(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person
) -> Callable[..., Problem]:
    def make(**fields: Any) -> Problem:
        problem, _ = raised_problem(
            supervisor=supervisor, raiser=employee, unit=units.plant, target_quantity=4, **fields
        )
        return close(problem, handler=handler, leader=leader, supervisor=supervisor, raiser=employee)

    return make


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    body: Any


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1. `answers` are (status, JSON body) used in turn; the last repeats."""

    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, dict[str, Any]]] = field(
        default_factory=lambda: [(200, {"errcode": 0, "errmsg": "ok"})]
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the http.server API
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            state.received.append(Received(parts.path, parse_qs(parts.query), json.loads(raw or b"null")))
            status, answer = state.answers[0] if len(state.answers) == 1 else state.answers.pop(0)
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def local_date(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)
