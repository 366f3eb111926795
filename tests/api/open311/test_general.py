"""GeoReport v2, "Internationalization and Encoding", "Format Support", "Definitions", "Errors"."""

from __future__ import annotations

import pytest

from taizhang.ledger.models import Category
from tests.api.open311.conftest import get, json_of, post, xml_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["discovery", "services", "services/street-lamp", "requests", "tokens/abc", "requests/999"]
)
def test_every_resource_answers_in_xml_and_json_with_the_spec_content_types(
    services: list[Category], path: str
) -> None:
    as_xml, as_json = get(f"{path}.xml"), get(f"{path}.json")
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert as_xml.status_code == as_json.status_code
    xml_of(as_xml)
    json_of(as_json)


def test_xml_starts_with_the_declaration_and_has_no_namespace(services: list[Category]) -> None:
    root = xml_of(get("services.xml"))
    assert root.tag == "services"
    assert all(not element.tag.startswith("{") for element in root.iter())


def test_text_is_utf8(services: list[Category]) -> None:
    response = get("services.xml")
    assert "路灯照明".encode() in response.content
    assert "路灯照明" in [s["service_name"] for s in json_of(get("services.json"))]


def test_a_jurisdiction_other_than_ours_is_not_found(services: list[Category]) -> None:
    for path in ("services.json", "services/street-lamp.json", "requests.json", "requests/1.json"):
        response = get(path, jurisdiction_id="sfgov.org")
        assert response.status_code == 404
        assert json_of(response)[0]["code"] == 404


def test_our_jurisdiction_or_none_is_accepted(services: list[Category], settings: object) -> None:
    settings.TAIZHANG_OPEN311_JURISDICTION = "sxlc.example.cn"  # type: ignore[attr-defined]
    assert get("services.json", jurisdiction_id="sxlc.example.cn").status_code == 200
    assert get("services.json", jurisdiction_id="SXLC.example.cn").status_code == 200
    assert get("services.json").status_code == 200


def test_an_empty_parameter_behaves_as_an_absent_one(services: list[Category]) -> None:
    absent = get("services.json")
    empty = get("services.json", jurisdiction_id="")
    assert empty.status_code == absent.status_code == 200
    assert json_of(empty) == json_of(absent)
    assert json_of(get("requests.json", status="", service_code="", start_date="")) == json_of(
        get("requests.json")
    )


def test_errors_are_a_bare_array_in_json_and_errors_error_in_xml(services: list[Category]) -> None:
    as_json = get("services/nope.json")
    assert as_json.status_code == 404
    body = json_of(as_json)
    assert isinstance(body, list)
    assert set(body[0]) == {"code", "description"}
    assert body[0]["description"]
    root = xml_of(get("services/nope.xml"))
    assert root.tag == "errors"
    error = root.find("error")
    assert error is not None
    assert error.findtext("code") == "404"
    assert error.findtext("description")


def test_several_errors_come_back_together(key: str) -> None:
    response = post(
        "requests.json", {"api_key": key, "service_code": "street-lamp", "lat": "x", "long": "999"}
    )
    assert response.status_code == 400
    descriptions = [e["description"] for e in json_of(response)]
    assert len(descriptions) >= 3  # lat not a number, long out of range, the required attribute missing
    assert all(e["code"] == 400 for e in json_of(response))


def test_an_unknown_resource_or_format_gets_an_open311_404(services: list[Category]) -> None:
    assert get("nothing.json").status_code == 404
    unknown_format = get("services.csv")
    assert unknown_format.status_code == 404
    assert xml_of(unknown_format).tag == "errors"


def test_an_unsupported_method_is_a_400(services: list[Category]) -> None:
    from django.test import Client

    response = Client().put("/open311/v2/services.json")
    assert response.status_code == 400
    assert json_of(response)[0]["code"] == 400


def test_error_descriptions_follow_accept_language(services: list[Category]) -> None:
    from django.test import Client

    english = Client().get("/open311/v2/services/nope.json", headers={"Accept-Language": "en"})
    chinese = Client().get("/open311/v2/services/nope.json", headers={"Accept-Language": "zh-CN"})
    assert json_of(english)[0]["code"] == json_of(chinese)[0]["code"] == 404
    assert "was not found" in json_of(english)[0]["description"]
