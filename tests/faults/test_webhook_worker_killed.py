"""A webhook worker killed (SIGKILL) in the middle of a delivery loses nothing: after a restart every event
is delivered at least once, and the one the receiver may have had twice carries the same delivery id, event id
and body both times, so the receiver recognises the duplicate.

The worker is `taizhang deliver_webhooks` (what `taizhang tick` runs) in its own process, against its own
installation; the receiver is a real HTTP server that takes the third delivery and then hangs, so the kill
lands while that delivery is in flight.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.faults.site import checked, sqlite_site

pytestmark = pytest.mark.slow

HOLD_AT = 3  # the receiver hangs on this delivery


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    received: list[dict[str, str]] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    holder: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            me = holder["r"]
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with me.lock:
                me.received.append(
                    {
                        "delivery": self.headers["X-Taizhang-Delivery"],
                        "event": self.headers["X-Taizhang-Event-Id"],
                        "body": body.decode(),
                    }
                )
                hold = len(me.received) == HOLD_AT
            if hold:  # taken, but the answer never comes before the worker dies
                me.holding.set()
                me.release.wait(timeout=60)
            try:
                self.send_response(204)
                self.end_headers()
            except OSError:
                pass  # the worker is gone

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder["r"] = Receiver(server=server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder["r"]
    holder["r"].release.set()
    server.shutdown()
    server.server_close()


def deliveries(database: Path) -> list[tuple[int, str, str, str]]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT id, event_id, status, body FROM api_webhookdelivery ORDER BY id").fetchall()


def test_a_killed_worker_loses_no_delivery_and_duplicates_carry_the_same_ids(
    tmp_path: Path, sqlite_template: Path, receiver: Receiver
) -> None:
    # Deliveries are written with the events (the outbox) and left for the worker: no in-process sending.
    site = sqlite_site(
        tmp_path / "site", sqlite_template, TASKS_BACKEND="dummy", TAIZHANG_WEBHOOK_TIMEOUT="5"
    )
    checked(
        site.python(
            f"from tests.faults.scenario import subscribe_and_work; subscribe_and_work({receiver.url!r})"
        )
    )
    outbox = deliveries(site.sqlite)
    assert len(outbox) > HOLD_AT + 3 and {status for _id, _event, status, _body in outbox} == {"pending"}
    with sqlite3.connect(site.sqlite) as db:
        events = {f"event-{pk}" for (pk,) in db.execute("SELECT id FROM ledger_event")}
    assert events <= {event for _id, event, _status, _body in outbox}  # every event has its delivery

    worker = site.popen("deliver_webhooks")
    try:
        assert receiver.holding.wait(timeout=120), worker.communicate(timeout=5)[0]
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
        if worker.stdout is not None:
            worker.stdout.close()
    assert worker.returncode == -signal.SIGKILL
    receiver.release.set()
    in_flight = receiver.received[HOLD_AT - 1]
    after_kill = {row[0]: row[2] for row in deliveries(site.sqlite)}
    assert after_kill[int(in_flight["delivery"])] == "pending"  # the worker died before recording it
    assert list(after_kill.values()).count("succeeded") == HOLD_AT - 1

    # The worker restarts; the in-flight delivery's lease runs out, so the next run (as tick makes it, a few
    # minutes later) sends it again.
    checked(site.taizhang("deliver_webhooks"))
    checked(
        site.python(
            """
            import datetime as dt
            import time_machine
            from django.core.management import call_command
            with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5), tick=True):
                call_command("deliver_webhooks")
            """
        )
    )

    final = deliveries(site.sqlite)
    assert {status for _id, _event, status, _body in final} == {"succeeded"}
    got: dict[str, list[dict[str, str]]] = defaultdict(list)
    for item in receiver.received:
        got[item["delivery"]].append(item)
    assert set(got) == {str(pk) for pk, _event, _status, _body in final}  # every delivery arrived
    for pk, event, _status, body in final:
        copies = got[str(pk)]
        assert all(copy["event"] == event and copy["body"] == body for copy in copies)
    duplicated = {key for key, copies in got.items() if len(copies) > 1}
    assert duplicated == {in_flight["delivery"]}  # only the one in flight, recognisable by its ids
