"""Rate limits: per hashed address for anonymous callers, per token or person otherwise; 429 with
Retry-After in each interface's own error format; counters in the shared (database) cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from taizhang.api import ratelimit
from taizhang.org.models import Person
from tests.api.conftest import ApiClient
from tests.conftest import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings: Any) -> None:
    settings.TAIZHANG_RATE_ANONYMOUS = 3
    settings.TAIZHANG_RATE_AUTHENTICATED = 5


def test_anonymous_callers_get_429_with_retry_after(units: Org, limits: None) -> None:
    client = ApiClient()
    statuses = [client.get("units").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("units")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused["Content-Type"].startswith("application/json")


def test_each_address_has_its_own_bucket(units: Org, limits: None) -> None:
    for _ in range(3):
        Client(REMOTE_ADDR="10.0.0.1").get("/api/v1/units")
    assert Client(REMOTE_ADDR="10.0.0.1").get("/api/v1/units").status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.2").get("/api/v1/units").status_code == 200


def test_token_callers_are_counted_per_token_with_their_own_limit(
    units: Org, limits: None, as_client: Any, employee: Person
) -> None:
    client = as_client(employee)
    statuses = [client.get("units").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert client.get("units")["Retry-After"]
    assert ApiClient().get("units").status_code == 200  # anonymous bucket untouched


def test_a_wrong_token_does_not_escape_the_anonymous_limit(units: Org, limits: None) -> None:
    for index in range(3):
        ApiClient(f"tz_made-up-{index}").get("units")
    assert ApiClient("tz_another").get("units").status_code == 429


def test_open311_answers_429_in_its_own_format(units: Org, limits: None) -> None:
    for _ in range(3):
        Client().get("/open311/v2/services.xml")
    refused = Client().get("/open311/v2/services.xml")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "text/xml; charset=utf-8"
    assert b"<errors><error><code>429</code>" in refused.content
    assert refused["Retry-After"]
    as_json = Client().get("/open311/v2/services.json")
    assert as_json.json()[0]["code"] == 429


def test_counters_live_in_the_shared_cache_without_the_address(units: Org, limits: None) -> None:
    Client(REMOTE_ADDR="203.0.113.77").get("/api/v1/units")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM taizhang_ratelimit")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys, "the counter is in the database cache every worker shares"
    assert not any("203.0.113.77" in key for key in keys)
    assert any(ratelimit.anonymous_bucket("203.0.113.77") in key for key in keys)


def test_pages_outside_the_api_are_not_counted(units: Org, limits: None) -> None:
    for _ in range(5):
        assert Client().get("/").status_code == 200


def test_windows_roll_over() -> None:
    assert ratelimit.hit("b", 1, now=120.0).allowed
    assert not ratelimit.hit("b", 1, now=150.0).allowed
    verdict = ratelimit.hit("b", 1, now=180.0)
    assert verdict.allowed and verdict.remaining == 0
    assert ratelimit.hit("b", 1, now=239.5).retry_after == 1
