"""POST Service Request: api_key, service_code, location, attributes, personal fields, description."""

from __future__ import annotations

from typing import Any

import pytest

from taizhang.api import services as api_services
from taizhang.intake.models import Channel, Opinion, Place
from taizhang.ledger.models import Category
from taizhang.org.models import Person
from tests.api.open311.conftest import json_of, post, valid_post, xml_of
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def test_a_valid_post_creates_one_opinion_and_returns_its_id_as_a_string(key: str) -> None:
    response = post("requests.json", valid_post(key))
    assert response.status_code == 200
    [created] = json_of(response)
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert "token" not in created  # never both
    opinion = Opinion.objects.get()
    assert created["service_request_id"] == str(opinion.pk)
    assert opinion.channel == Channel.OPEN311
    assert opinion.category is not None and opinion.category.code == "street-lamp"
    assert opinion.text == "原料车间门口的路灯不亮"
    assert str(opinion.latitude) == "37.858000" and str(opinion.longitude) == "112.553000"
    assert opinion.attributes == {"kind": "dark"}
    assert opinion.receipt_display in created["service_notice"]


def test_the_post_response_in_xml_is_service_requests_request(key: str) -> None:
    root = xml_of(post("requests.xml", valid_post(key)))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert request.findtext("service_request_id") == str(Opinion.objects.get().pk)
    assert request.find("token") is None


def test_the_api_key_is_required_and_checked(key: str, admin_user: Person) -> None:
    missing = post("requests.json", valid_post(key, api_key=None))
    wrong = post("requests.json", valid_post("tz_not-a-key"))
    assert missing.status_code == wrong.status_code == 403
    assert json_of(wrong)[0]["code"] == 403
    personal = api_services.token_create(user=admin_user, name="mine").raw
    assert post("requests.json", valid_post(personal)).status_code == 403  # a personal token is no api_key
    revoked = api_services.token_create(user=admin_user, name="old", kind="open311")
    api_services.token_revoke(user=admin_user, token_id=revoked.token.pk)
    assert post("requests.json", valid_post(revoked.raw)).status_code == 403
    assert not Opinion.objects.exists()


def test_service_code_is_required_and_must_exist(key: str) -> None:
    assert post("requests.json", valid_post(key, service_code=None)).status_code == 400
    assert post("requests.json", valid_post(key, service_code="")).status_code == 400
    assert post("requests.json", valid_post(key, service_code="nope")).status_code == 404
    assert not Opinion.objects.exists()


def test_a_location_is_required_in_one_of_three_forms(key: str, units: Org) -> None:
    nowhere = post("requests.json", valid_post(key, lat=None, long=None))
    assert nowhere.status_code == 400
    half = post("requests.json", valid_post(key, long=None))
    assert half.status_code == 400
    assert "须同时提供" in json_of(half)[0]["description"]  # zh-Hans is the default language
    by_address = post(
        "requests.json", valid_post(key, lat=None, long=None, address_string="北门 原料车间 山西铝厂")
    )
    assert by_address.status_code == 200
    Place.objects.create(name="北门", code="north-gate", unit=units.workshop)
    by_id = post("requests.json", valid_post(key, lat=None, long=None, address_id="north-gate"))
    assert by_id.status_code == 200
    placed = Opinion.objects.get(pk=json_of(by_id)[0]["service_request_id"])
    assert placed.place is not None and placed.unit == units.workshop  # the place's unit is concerned
    unknown = post("requests.json", valid_post(key, lat=None, long=None, address_id="nowhere"))
    assert unknown.status_code == 400
    assert Opinion.objects.count() == 2


def test_coordinates_must_be_wgs84_numbers(key: str) -> None:
    assert post("requests.json", valid_post(key, lat="north")).status_code == 400
    assert post("requests.json", valid_post(key, lat="91", long="0")).status_code == 400
    assert post("requests.json", valid_post(key, lat="0", long="-181")).status_code == 400
    assert not Opinion.objects.exists()


def test_attributes_are_checked_against_the_definition(key: str) -> None:
    missing = post("requests.json", valid_post(key, **{"attribute[kind]": None}))
    assert missing.status_code == 400
    assert "attribute[kind]" in json_of(missing)[0]["description"]
    wrong_choice = post("requests.json", valid_post(key, **{"attribute[kind]": "exploded"}))
    assert wrong_choice.status_code == 400
    not_a_number = post("requests.json", valid_post(key, **{"attribute[pole]": "twelve"}))
    assert not_a_number.status_code == 400
    unknown = post("requests.json", valid_post(key, **{"attribute[colour]": "red"}))
    assert unknown.status_code == 400
    assert not Opinion.objects.exists()


def test_a_multivaluelist_takes_attribute_code_brackets(key: str) -> None:
    data: dict[str, Any] = valid_post(key, **{"attribute[pole]": "17"})
    data["attribute[when][]"] = ["night", "day"]
    response = post("requests.json", data)
    assert response.status_code == 200
    assert Opinion.objects.get().attributes == {"kind": "dark", "pole": "17", "when": ["night", "day"]}
    data["attribute[when][]"] = ["night", "noon"]
    assert post("requests.json", data).status_code == 400


def test_a_service_without_attributes_needs_none(key: str, toilets: Category) -> None:
    data = valid_post(key, service_code="toilet", **{"attribute[kind]": None})
    assert post("requests.json", data).status_code == 200


def test_without_personal_fields_the_request_is_anonymous_and_device_ids_are_dropped(key: str) -> None:
    response = post("requests.json", valid_post(key, device_id="IMEI-356938035643809", account_id="u-42"))
    assert response.status_code == 200
    opinion = Opinion.objects.get()
    assert opinion.is_anonymous
    assert opinion.submitter is None and opinion.contact_name == "" and opinion.contact_phone == ""
    stored = " ".join(str(v) for v in Opinion.objects.values().get().values())
    assert "IMEI-356938035643809" not in stored and "u-42" not in stored


def test_named_requests_keep_the_name_and_phone(key: str) -> None:
    data = valid_post(key, first_name="喜康", last_name="郑", phone="13800000000", email="z@example.cn")
    assert post("requests.json", data).status_code == 200
    opinion = Opinion.objects.get()
    assert not opinion.is_anonymous
    assert opinion.contact_name == "喜康 郑" and opinion.contact_phone == "13800000000"


def test_account_id_is_echoed_back(key: str) -> None:
    [created] = json_of(post("requests.json", valid_post(key, account_id="acct-7", first_name="A")))
    assert created["account_id"] == "acct-7"


def test_the_description_is_limited_to_4000_characters_without_html(key: str) -> None:
    assert post("requests.json", valid_post(key, description="灯" * 4000)).status_code == 200
    assert post("requests.json", valid_post(key, description="灯" * 4001)).status_code == 400
    assert post("requests.json", valid_post(key, description="<b>灯</b>不亮")).status_code == 400
    assert post("requests.json", valid_post(key, description="第一行\n第二行")).status_code == 200
    assert Opinion.objects.count() == 2


def test_a_missing_description_falls_back_to_the_service_name(key: str) -> None:
    assert post("requests.json", valid_post(key, description=None)).status_code == 200
    assert Opinion.objects.get().text == "路灯照明"


def test_media_url_is_kept(key: str) -> None:
    post("requests.json", valid_post(key, media_url="http://img.example.cn/lamp.jpg"))
    assert Opinion.objects.get().media_url == "http://img.example.cn/lamp.jpg"
    assert post("requests.json", valid_post(key, media_url="javascript:alert(1)")).status_code == 400


def test_the_body_must_be_form_encoded(key: str) -> None:
    from django.test import Client

    response = Client().post("/open311/v2/requests.json", valid_post(key), content_type="application/json")
    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_a_wrong_jurisdiction_on_post_is_not_found(key: str) -> None:
    assert post("requests.json", valid_post(key, jurisdiction_id="elsewhere.gov")).status_code == 404
