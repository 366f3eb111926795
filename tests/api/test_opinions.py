"""Opinions through the API: anonymous or named, idempotent by key, read by receipt code."""

from __future__ import annotations

from typing import Any

import pytest

from taizhang.api.models import ServiceAttribute
from taizhang.intake.models import Opinion
from taizhang.org.models import Person
from tests.api.conftest import ApiClient
from tests.conftest import Org
from tests.factories import make_category

pytestmark = pytest.mark.django_db


def test_an_anonymous_opinion_keeps_nothing_of_who_sent_it(
    units: Org, as_client: Any, employee: Person
) -> None:
    response = as_client(employee).post(
        "opinions", {"text": "澡堂热水不够", "anonymous": True, "unit_id": units.plant.pk}
    )
    assert response.status_code == 201
    body = response.json()
    opinion = Opinion.objects.get()
    assert body["receipt_code"] == opinion.receipt_display and body["anonymous"] is True
    assert opinion.submitter is None and opinion.contact_name == "" and opinion.channel == "api"


def test_a_signed_in_opinion_is_the_persons(units: Org, as_client: Any, employee: Person) -> None:
    as_client(employee).post("opinions", {"text": "澡堂热水不够", "unit_id": units.plant.pk})
    assert Opinion.objects.get().submitter == employee


def test_the_same_idempotency_key_creates_one_opinion(units: Org) -> None:
    client = ApiClient()
    first = client.post("opinions", {"text": "路灯不亮", "anonymous": True}, **{"Idempotency-Key": "k-1"})
    again = client.post("opinions", {"text": "路灯不亮", "anonymous": True}, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["receipt_code"] == again.json()["receipt_code"]
    assert Opinion.objects.count() == 1
    assert Opinion.objects.get().idempotency_key != "k-1"  # namespaced and hashed, not the client's string


def test_a_key_reused_for_other_text_is_refused(units: Org) -> None:
    client = ApiClient()
    client.post("opinions", {"text": "路灯不亮", "anonymous": True}, **{"Idempotency-Key": "k-1"})
    other = client.post("opinions", {"text": "厕所漏水", "anonymous": True}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 400
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert Opinion.objects.count() == 1


def test_keys_belong_to_their_caller(units: Org, as_client: Any, employee: Person, handler: Person) -> None:
    as_client(employee).post("opinions", {"text": "路灯不亮"}, **{"Idempotency-Key": "same"})
    theirs = as_client(handler).post("opinions", {"text": "路灯不亮"}, **{"Idempotency-Key": "same"})
    assert theirs.status_code == 201  # not the employee's opinion (nor their receipt code)
    assert Opinion.objects.count() == 2


def test_reading_by_receipt_code_needs_no_sign_in(units: Org) -> None:
    code = ApiClient().post("opinions", {"text": "路灯不亮", "anonymous": True}).json()["receipt_code"]
    response = ApiClient().get(f"opinions/{code.lower().replace('-', '')}")
    assert response.status_code == 200
    assert response.json()["text"] == "路灯不亮" and response.json()["state"] == "new"
    assert ApiClient().get("opinions/ZZZZZ-ZZZZZ").status_code == 404


def test_bad_input_changes_nothing_and_names_the_fields(units: Org) -> None:
    response = ApiClient().post("opinions", {"text": "x", "latitude": 12.5})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert set(error["fields"]) >= {"text", "latitude"}
    assert ApiClient().post("opinions", {"text": "路灯不亮", "unit_id": 99999}).status_code == 400
    assert not Opinion.objects.exists()


def test_answers_to_extra_questions_are_checked(units: Org) -> None:
    lamps = make_category(name="路灯", code="lamps")
    ServiceAttribute.objects.create(
        category=lamps,
        code="kind",
        datatype="singlevaluelist",
        required=True,
        order=1,
        description="故障类型",
        values=[{"key": "dark", "name": "不亮"}],
    )
    missing = ApiClient().post("opinions", {"text": "路灯不亮", "category_id": lamps.pk})
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {"kind": ["Answer “故障类型”; it is required."]}
    fine = ApiClient().post(
        "opinions", {"text": "路灯不亮", "category_id": lamps.pk, "attributes": {"kind": "dark"}}
    )
    assert fine.status_code == 201
    assert Opinion.objects.get().attributes == {"kind": "dark"}
