"""GET Service Requests (filters, window, cap), GET Service Request, GET token; and the status mapping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from taizhang.api.open311 import views
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category
from taizhang.org.models import Person
from tests.api.open311.conftest import get, json_of, post, valid_post, xml_of
from tests.conftest import Org
from tests.factories import make_opinion

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def submit(key: str, **fields: Any) -> Opinion:
    response = post("requests.json", valid_post(key, **fields))
    assert response.status_code == 200, response.content
    return Opinion.objects.get(pk=json_of(response)[0]["service_request_id"])


def test_a_request_reads_back_with_every_field(key: str) -> None:
    opinion = submit(key, address_string="北门")
    [request] = json_of(get(f"requests/{opinion.pk}.json"))
    assert set(request) == REQUEST_FIELDS
    assert request["service_request_id"] == str(opinion.pk)
    assert request["status"] == "open"
    assert request["service_code"] == "street-lamp" and request["service_name"] == "路灯照明"
    assert request["description"] == "原料车间门口的路灯不亮"
    assert request["address"] == "北门"
    assert request["lat"] == pytest.approx(37.858) and request["long"] == pytest.approx(112.553)
    assert request["requested_datetime"].endswith("+08:00")  # a zone, always
    dt.datetime.fromisoformat(request["requested_datetime"])


def test_a_single_request_in_xml_is_service_requests_request(key: str) -> None:
    opinion = submit(key)
    root = xml_of(get(f"requests/{opinion.pk}.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert {child.tag for child in request} == REQUEST_FIELDS
    assert request.findtext("status") == "open"
    assert request.findtext("zipcode") == ""  # present, empty


def test_an_unknown_request_is_not_found(key: str) -> None:
    assert get("requests/424242.json").status_code == 404
    assert get("requests/not-a-number.xml").status_code == 404


def test_only_requests_sent_through_open311_are_shown(key: str, units: Org, employee: Person) -> None:
    internal = make_opinion(user=employee, unit=units.plant, text="车间里说的话")
    mine = submit(key)
    assert get(f"requests/{internal.pk}.json").status_code == 404
    assert [r["service_request_id"] for r in json_of(get("requests.json"))] == [str(mine.pk)]


def test_the_list_is_a_bare_array_newest_first(key: str) -> None:
    first = submit(key)
    second = submit(key, description="又坏了一盏")
    body = json_of(get("requests.json"))
    assert isinstance(body, list)
    assert [r["service_request_id"] for r in body] == [str(second.pk), str(first.pk)]


def test_service_request_id_is_a_comma_list_that_overrides_every_other_filter(key: str) -> None:
    with time_machine.travel("2014-03-01T10:00:00+08:00"):
        old = submit(key)
    new = submit(key)
    body = json_of(
        get("requests.json", service_request_id=f"{old.pk},{new.pk}", status="closed", service_code="toilet")
    )
    assert sorted(r["service_request_id"] for r in body) == sorted([str(old.pk), str(new.pk)])


def test_service_code_filters_by_a_comma_list(key: str, toilets: Category) -> None:
    lamp = submit(key)
    toilet = submit(key, service_code="toilet", **{"attribute[kind]": None})
    assert [r["service_request_id"] for r in json_of(get("requests.json", service_code="toilet"))] == [
        str(toilet.pk)
    ]
    both = json_of(get("requests.json", service_code="toilet,street-lamp"))
    assert {r["service_request_id"] for r in both} == {str(lamp.pk), str(toilet.pk)}


def test_the_default_window_is_the_last_90_days(key: str) -> None:
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=91)):
        submit(key)
    recent = submit(key)
    assert [r["service_request_id"] for r in json_of(get("requests.json"))] == [str(recent.pk)]


def test_start_and_end_dates_match_the_requested_datetime(key: str) -> None:
    with time_machine.travel("2014-03-01T10:00:00+08:00"):
        march = submit(key)
    with time_machine.travel("2014-05-01T10:00:00+08:00"):
        may = submit(key)
    body = json_of(get("requests.json", start_date="2014-02-01T00:00:00Z", end_date="2014-04-01T00:00:00Z"))
    assert [r["service_request_id"] for r in body] == [str(march.pk)]
    only_start = json_of(get("requests.json", start_date="2014-04-15T00:00:00+08:00"))
    assert [r["service_request_id"] for r in only_start] == [str(may.pk)]
    only_end = json_of(get("requests.json", end_date="2014-04-15T00:00:00+08:00"))
    assert [r["service_request_id"] for r in only_end] == [str(march.pk)]


def test_a_span_over_90_days_or_backwards_is_refused(key: str) -> None:
    too_long = get("requests.json", start_date="2014-01-01T00:00:00Z", end_date="2014-06-01T00:00:00Z")
    assert too_long.status_code == 400
    backwards = get("requests.json", start_date="2014-06-01T00:00:00Z", end_date="2014-05-01T00:00:00Z")
    assert backwards.status_code == 400


def test_dates_need_a_zone_and_the_w3c_format(key: str) -> None:
    assert get("requests.json", start_date="2014-01-01T00:00:00").status_code == 400
    assert get("requests.json", start_date="yesterday").status_code == 400
    assert get("requests.json", start_date="2014-01-01T00:00:00-05:00").status_code == 200
    assert get("requests.json", start_date="2014-01-01").status_code == 200  # a complete date


def test_status_filters_open_closed_or_both(key: str, supervisor: Person) -> None:
    open_one = submit(key)
    answered = submit(key)
    intake.opinion_answer(user=supervisor, opinion_id=answered.pk, response="已于昨日修复")

    def ids(**params: str) -> list[str]:
        return [r["service_request_id"] for r in json_of(get("requests.json", **params))]

    assert ids(status="open") == [str(open_one.pk)]
    assert ids(status="closed") == [str(answered.pk)]
    assert sorted(ids(status="open,closed")) == sorted([str(open_one.pk), str(answered.pk)])
    assert get("requests.json", status="pending").status_code == 400


def test_results_are_capped(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "MAX_RESULTS", 2)
    for _ in range(3):
        submit(key)
    assert len(json_of(get("requests.json"))) == 2


def test_the_problem_state_maps_to_status_and_notes(
    key: str, units: Org, supervisor: Person, handler: Person, leader2: Person
) -> None:
    opinion = submit(key)
    lamps = Category.objects.get(code="street-lamp")
    lamps.evidence_required = False
    lamps.save()
    draft = ledger.ProblemDraft(
        title="修复路灯",
        category=lamps,
        lead_unit=units.plant,
        deadline=dt.date(2030, 6, 30),
        measures="更换灯泡",
    )
    problem = intake.opinion_triage(user=supervisor, opinion_id=opinion.pk, draft=draft)
    [request] = json_of(get(f"requests/{opinion.pk}.json"))
    assert request["status"] == "open"
    assert problem.code in request["status_notes"]
    assert request["agency_responsible"] == "第一氧化铝厂"
    assert request["service_notice"] == "更换灯泡"
    assert request["expected_datetime"] == "2030-06-30T23:59:59+08:00"
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(user=handler, problem_id=problem.pk, completion_note="换了12盏灯")
    ledger.problem_sign(user=leader2, problem_id=problem.pk)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=4)):
        ledger.problem_verify(user=supervisor, problem_id=problem.pk)
    problem.refresh_from_db()
    [request] = json_of(get(f"requests/{opinion.pk}.json"))
    assert request["status"] == "closed"
    assert "换了12盏灯" in request["status_notes"]
    assert problem.closed_at is not None
    assert dt.datetime.fromisoformat(request["updated_datetime"]) == problem.closed_at.replace(microsecond=0)


def test_a_declined_request_is_closed_with_the_reason(key: str, supervisor: Person) -> None:
    opinion = submit(key)
    intake.opinion_decline(user=supervisor, opinion_id=opinion.pk, reason="不属于本单位管理范围")
    [request] = json_of(get(f"requests/{opinion.pk}.json"))
    assert request["status"] == "closed"
    assert request["status_notes"] == "不属于本单位管理范围"


def test_a_cancelled_problem_closes_its_requests(key: str, units: Org, supervisor: Person) -> None:
    opinion = submit(key)
    draft = ledger.ProblemDraft(
        title="修复路灯",
        category=Category.objects.get(code="street-lamp"),
        lead_unit=units.plant,
        deadline=dt.date(2030, 6, 30),
    )
    problem = intake.opinion_triage(user=supervisor, opinion_id=opinion.pk, draft=draft)
    ledger.problem_cancel(user=supervisor, problem_id=problem.pk, reason="道路改造，路灯拆除")
    assert json_of(get(f"requests/{opinion.pk}.json"))[0]["status"] == "closed"
    assert json_of(get("requests.json", status="closed"))[0]["service_request_id"] == str(opinion.pk)


def test_tokens_are_never_issued_so_every_token_is_not_found(key: str) -> None:
    response = get("tokens/12345.json")
    assert response.status_code == 404
    assert json_of(response)[0]["code"] == 404
    assert xml_of(get("tokens/12345.xml")).tag == "errors"
    assert all(s["type"] == "realtime" for s in json_of(get("services.json")))
