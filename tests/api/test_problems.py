"""Problems through the API: the same scoping, the same workflow rules, optimistic locking, cursors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.api.conftest import ApiClient, token_for
from tests.conftest import Org
from tests.factories import jpeg_upload, make_category, make_problem, raised_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(units: Org, supervisor: Person, employee: Person) -> Problem:
    problem, _ = raised_problem(
        supervisor=supervisor, raiser=employee, unit=units.plant, is_public=False, title="13号大圆仓吃水难"
    )
    return problem


def codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_the_list_is_scoped_like_the_web_ledger(
    private: Problem, as_client: Any, handler: Person, outsider: Person, employee: Person
) -> None:
    assert codes(as_client(handler).get("problems")) == [private.code]
    assert codes(as_client(employee).get("problems")) == [private.code]  # they raised it
    assert codes(as_client(outsider).get("problems")) == []


def test_a_problem_outside_ones_scope_is_not_found(
    private: Problem, as_client: Any, outsider: Person
) -> None:
    response = as_client(outsider).get(f"problems/{private.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert as_client(outsider).post(f"problems/{private.pk}/start").status_code == 404
    private.refresh_from_db()
    assert private.state == "open"


def test_a_public_problem_is_readable_by_anyone_but_only_workers_act(
    units: Org, supervisor: Person, as_client: Any, outsider: Person
) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    assert ApiClient().get(f"problems/{problem.pk}").status_code == 200
    refused = as_client(outsider).post(f"problems/{problem.pk}/start")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "not_permitted"


def test_filters(units: Org, supervisor: Person, as_client: Any) -> None:
    lamps = make_category(name="路灯", code="lamps")
    lamp = make_problem(supervisor=supervisor, lead_unit=units.workshop, category=lamps, title="路灯")
    other = make_problem(supervisor=supervisor, lead_unit=units.sibling, title="道路")
    client = as_client(supervisor)
    assert codes(client.get(f"problems?category={lamps.pk}")) == [lamp.code]
    assert codes(client.get(f"problems?unit={units.plant.pk}")) == [lamp.code]
    assert codes(client.get("problems?q=道路")) == [other.code]
    assert codes(client.get("problems?state=in_progress")) == []
    assert client.get("problems?state=flying").status_code == 400
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=60)):
        assert sorted(codes(client.get("problems?overdue=true"))) == sorted([lamp.code, other.code])


def test_cursor_pagination_walks_every_problem_once(units: Org, supervisor: Person, as_client: Any) -> None:
    made = [make_problem(supervisor=supervisor, lead_unit=units.plant).code for _ in range(5)]
    client = as_client(supervisor)
    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        page = client.get(f"problems?limit=2&cursor={cursor}").json()
        seen += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made))
    assert client.get("problems?cursor=%%%").status_code == 400


def test_the_list_query_count_does_not_grow_with_rows(
    units: Org, supervisor: Person, django_assert_max_num_queries: Any
) -> None:
    client = ApiClient(token_for(supervisor))
    for _ in range(3):
        make_problem(supervisor=supervisor, lead_unit=units.plant)
    with django_assert_max_num_queries(12) as few:
        client.get("problems")
    for _ in range(20):
        make_problem(supervisor=supervisor, lead_unit=units.plant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("problems")


def test_the_whole_close_out_through_the_api(
    private: Problem, as_client: Any, handler: Person, leader2: Person, supervisor: Person, employee: Person
) -> None:
    pk = private.pk
    worker = as_client(handler)
    started = worker.post(f"problems/{pk}/start", {"note": "已联系水电车间"})
    assert started.status_code == 200 and started.json()["state"] == "in_progress"
    progress = Client().post(
        f"/api/v1/problems/{pk}/progress",
        {"note": "铺设水管40米", "done_quantity": "40", "photos": [jpeg_upload("pipe.jpg")]},
        headers={"Authorization": worker.headers["Authorization"]},
    )
    assert progress.status_code == 200, progress.content
    assert progress.json()["done_quantity"] == 40
    closeout = Client().post(
        f"/api/v1/problems/{pk}/closeout",
        {"completion_note": "已通水", "evidence": [jpeg_upload("after.jpg")]},
        headers={"Authorization": worker.headers["Authorization"]},
    )
    assert closeout.status_code == 200, closeout.content
    assert closeout.json()["state"] == "review"
    own_signature = as_client(handler).post(f"problems/{pk}/sign")
    assert own_signature.status_code == 403  # a handler is no leader
    assert as_client(leader2).post(f"problems/{pk}/sign").json()["signed"] is True
    receipt = private.opinions.get().receipt_code
    rated = ApiClient().post(f"problems/{pk}/ratings", {"verdict": "satisfied", "receipt_code": receipt})
    assert rated.status_code == 201
    verified = as_client(supervisor).post(f"problems/{pk}/verify", {"note": "现场核实"})
    assert verified.status_code == 200, verified.content
    assert verified.json()["state"] == "closed"
    events = as_client(employee).get(f"problems/{pk}/events").json()
    assert [e["kind"] for e in events][-1] == "problem.verified"


def test_a_guard_refuses_with_its_own_code(private: Problem, as_client: Any, handler: Person) -> None:
    as_client(handler).post(f"problems/{private.pk}/start")
    refused = as_client(handler).post(f"problems/{private.pk}/closeout")
    assert refused.status_code == 400  # multipart fields missing
    no_evidence = Client().post(
        f"/api/v1/problems/{private.pk}/closeout",
        {"completion_note": "已通水"},
        headers={"Authorization": f"Bearer {token_for(handler)}"},
    )
    assert no_evidence.status_code == 400
    assert no_evidence.json()["error"]["code"] == "evidence_attached"
    assert as_client(handler).post(f"problems/{private.pk}/start").json()["error"]["code"] == "wrong_state"


def test_a_stale_version_is_a_conflict(
    private: Problem, as_client: Any, handler: Person, leader: Person
) -> None:
    detail = as_client(leader).get(f"problems/{private.pk}")
    etag = detail["ETag"]
    assert etag == f'"{detail.json()["version"]}"'
    as_client(handler).post(f"problems/{private.pk}/start")  # someone else saves first
    stale = as_client(leader).patch(f"problems/{private.pk}", {"measures": "铺设水管"}, **{"If-Match": etag})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    stale_body = as_client(leader).patch(
        f"problems/{private.pk}", {"measures": "铺设水管", "version": detail.json()["version"]}
    )
    assert stale_body.status_code == 409
    fresh = as_client(leader).get(f"problems/{private.pk}")["ETag"]
    saved = as_client(leader).patch(f"problems/{private.pk}", {"measures": "铺设水管"}, **{"If-Match": fresh})
    assert saved.status_code == 200 and saved.json()["measures"] == "铺设水管"
    assert as_client(leader).patch(f"problems/{private.pk}", {"title": "改标题"}).status_code == 403


def test_events_show_actors_only_to_workers(
    units: Org, supervisor: Person, handler: Person, as_client: Any
) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    as_client(handler).post(f"problems/{problem.pk}/start", {"note": "开工"})
    inside = as_client(handler).get(f"problems/{problem.pk}/events").json()
    outside = ApiClient().get(f"problems/{problem.pk}/events").json()
    assert [e["actor"]["name"] for e in inside if e["kind"] == "problem.started"] == ["侯同义"]
    assert [e["kind"] for e in outside] == ["problem.started"]  # only events with notes
    assert outside[0]["actor"] is None


def test_the_event_feed_is_scoped_and_resumable(
    private: Problem, units: Org, supervisor: Person, as_client: Any, outsider: Person, handler: Person
) -> None:
    feed = as_client(handler).get("events?limit=1").json()
    assert feed["items"][0]["problem_id"] == private.pk
    rest = as_client(handler).get(f"events?cursor={feed['next_cursor']}").json()
    assert feed["items"][0]["id"] not in [e["id"] for e in rest["items"]]
    assert as_client(outsider).get("events").json()["items"] == []


def test_ratings_are_for_those_who_work_on_it(
    private: Problem, as_client: Any, handler: Person, outsider: Person
) -> None:
    assert as_client(handler).get(f"problems/{private.pk}/ratings").status_code == 200
    assert as_client(outsider).get(f"problems/{private.pk}/ratings").status_code == 404


def test_units_and_categories_are_public(units: Org) -> None:
    make_category(name="路灯", code="lamps")
    assert next(u["name"] for u in ApiClient().get("units").json()) == "山西铝厂"
    assert [c["code"] for c in ApiClient().get("categories").json()] == ["lamps"]


def test_support_counts_once(units: Org, supervisor: Person, employee: Person, as_client: Any) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    client = as_client(employee)
    client.post(f"problems/{problem.pk}/support", {"support": True})
    assert client.post(f"problems/{problem.pk}/support", {"support": True}).json()["support_count"] == 1
