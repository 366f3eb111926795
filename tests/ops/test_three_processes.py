"""Three app processes behind one address (issue 11, point 6): what is written through one is seen through
the others, and no measure differs. Real `taizhang serve` processes on the production settings, on a copy of
the test database (a shared file for SQLite, a database made from it as a template for PostgreSQL), behind
a round-robin proxy."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from taizhang.api import services as api_services
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_problem
from tests.ops.servers import (
    RoundRobinProxy,
    Server,
    call,
    server_env,
    start_server,
    wait_ready,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def copied_database(tmp_path: Path) -> Iterator[Any]:
    """copy() → the URL of a committed copy of the test database that other processes can open."""
    made: list[str] = []

    def copy() -> str:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = tmp_path / "shared.sqlite3"
            with sqlite3.connect(target) as destination:
                connection.connection.backup(destination)
            destination.close()
            return f"sqlite:///{target}"
        import psycopg

        source = connection.settings_dict["NAME"]
        name = f"{source}_{uuid.uuid4().hex[:8]}"
        params = connection.get_connection_params()
        connection.close()  # a template must have no other sessions
        admin_params = {k: v for k, v in params.items() if k in {"host", "port", "user", "password"}}
        with psycopg.connect(dbname="postgres", autocommit=True, **admin_params) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        made.append(name)
        user = admin_params.get("user", "")
        password = f":{admin_params['password']}" if admin_params.get("password") else ""
        host, port = admin_params.get("host") or "127.0.0.1", admin_params.get("port") or 5432
        return f"postgres://{user}{password}@{host}:{port}/{name}"

    yield copy
    if made:
        import psycopg

        params = connection.get_connection_params()
        admin_params = {k: v for k, v in params.items() if k in {"host", "port", "user", "password"}}
        with psycopg.connect(dbname="postgres", autocommit=True, **admin_params) as admin:
            for name in made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def _logs_hold_no_secrets(server: Server, secrets: list[str]) -> None:
    text = server.log_text()
    for line in text.splitlines():
        if line.strip():
            json.loads(line)  # LOG_FORMAT=json: every line, the app's and gunicorn's, is one JSON object
    for secret in secrets:
        assert secret not in text


@pytest.mark.django_db(transaction=True)
def test_three_processes_behind_one_address_see_the_same_ledger(
    units: Org,
    supervisor: Person,
    handler: Person,
    copied_database: Any,
    servers: list[Server],
    tmp_path: Path,
) -> None:
    problems = [make_problem(supervisor=supervisor, lead_unit=units.plant) for _ in range(2)]
    token = api_services.token_create(user=supervisor, name="three processes").raw
    handler_token = api_services.token_create(user=handler, name="three processes").raw
    url = copied_database()

    env = server_env(url, tmp_path / "data", settings.SECRET_KEY)
    servers.extend(start_server(env, tmp_path / f"server{n}.log") for n in range(3))
    for server in servers:
        wait_ready(server)
    proxy = RoundRobinProxy([s.port for s in servers]).start()
    try:
        signed_in = {"Authorization": f"Bearer {token}"}
        bases = [s.base for s in servers]

        def measures(base: str) -> dict[str, Any]:
            answer = call(base, "GET", "/api/v1/measures", headers=signed_in)
            assert answer.status == 200, answer.body
            return dict(answer.body["measures"])

        before = [measures(base) for base in bases]
        assert before[0] == before[1] == before[2]

        # Six anonymous opinions through the one address: the proxy hands them to each process in turn.
        receipts = []
        for n in range(6):
            body = {"text": f"第{n}号路灯不亮", "anonymous": True, "unit_id": units.plant.pk}
            answer = call(proxy.base, "POST", "/api/v1/opinions", body)
            assert answer.status == 201, answer.body
            receipts.append(answer.body["receipt_code"])
        assert proxy.served[:3] == [2, 2, 2]

        # One straight to the first process, with a key; the same key through the third is the same opinion.
        key = {"Idempotency-Key": "retry-after-timeout"}
        first = call(bases[0], "POST", "/api/v1/opinions", {"text": "澡堂热水不够", "anonymous": True}, key)
        retry = call(bases[2], "POST", "/api/v1/opinions", {"text": "澡堂热水不够", "anonymous": True}, key)
        assert (first.status, retry.status) == (201, 200)
        assert retry.body["receipt_code"] == first.body["receipt_code"]
        receipts.append(first.body["receipt_code"])

        for receipt in receipts:  # every opinion, whichever process took it, is followed through every other
            seen = [call(base, "GET", f"/api/v1/opinions/{receipt}") for base in bases]
            assert [a.status for a in seen] == [200, 200, 200]
            assert seen[0].body == seen[1].body == seen[2].body

        # A workflow step through the second process is the problem's state in the others.
        problem = problems[0]
        as_handler = {"Authorization": f"Bearer {handler_token}"}
        started = call(bases[1], "POST", f"/api/v1/problems/{problem.pk}/start", {}, as_handler)
        assert started.status == 200, started.body
        states = [
            call(base, "GET", f"/api/v1/problems/{problem.pk}", headers=signed_in).body["state"]
            for base in (bases[0], bases[2])
        ]
        assert states == [started.body["state"]] * 2
        assert started.body["state"] != problem.state

        after = [measures(base) for base in [*bases, proxy.base, proxy.base, proxy.base]]
        assert all(m == after[0] for m in after), after
        assert after[0]["count_opinions_received"] == before[0]["count_opinions_received"] + 7
        assert proxy.served[:3] == [3, 3, 3]
    finally:
        proxy.stop()
        for server in servers:
            server.stop()
    for server in servers:
        _logs_hold_no_secrets(server, receipts)


def test_healthz_of_a_running_server_is_503_while_its_database_is_down(
    servers: list[Server], tmp_path: Path
) -> None:
    nowhere = "postgres://taizhang@127.0.0.1:9/taizhang"  # the discard port: nothing listens there
    server = start_server(server_env(nowhere, tmp_path / "data", "k" * 50), tmp_path / "down.log")
    servers.append(server)
    answer = wait_ready(server, statuses=(200, 503))
    assert answer.status == 503
    assert answer.body["status"] == "unavailable" and answer.body["database"] == "unavailable"
    assert answer.body["version"]
