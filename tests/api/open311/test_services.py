"""GET Service List and GET Service Definition."""

from __future__ import annotations

import pytest

from taizhang.ledger.models import Category
from tests.api.open311.conftest import get, json_of, xml_of

pytestmark = pytest.mark.django_db

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


def test_the_service_list_is_a_bare_array_of_services(services: list[Category]) -> None:
    body = json_of(get("services.json"))
    assert isinstance(body, list)
    by_code = {s["service_code"]: s for s in body}
    assert set(by_code) == {"street-lamp", "toilet"}
    for service in body:
        assert set(service) == SERVICE_FIELDS
        assert isinstance(service["service_code"], str)
        assert service["type"] == "realtime"
    assert by_code["street-lamp"]["metadata"] is True  # it has attributes
    assert by_code["toilet"]["metadata"] is False
    assert by_code["street-lamp"]["group"] == "民生设施"
    assert "路灯" in by_code["street-lamp"]["keywords"]


def test_the_service_list_in_xml(services: list[Category]) -> None:
    root = xml_of(get("services.xml"))
    assert [s.findtext("service_code") for s in root.findall("service")] == ["street-lamp", "toilet"] or [
        s.findtext("service_code") for s in root.findall("service")
    ] == ["toilet", "street-lamp"]
    lamp = next(s for s in root.findall("service") if s.findtext("service_code") == "street-lamp")
    assert lamp.findtext("metadata") == "true"
    assert {child.tag for child in lamp} == SERVICE_FIELDS


def test_inactive_categories_are_not_services(services: list[Category], toilets: Category) -> None:
    toilets.is_active = False
    toilets.save()
    assert [s["service_code"] for s in json_of(get("services.json"))] == ["street-lamp"]
    assert get("services/toilet.json").status_code == 404


def test_a_service_definition_lists_its_attributes_in_order(services: list[Category]) -> None:
    body = json_of(get("services/street-lamp.json"))
    assert isinstance(body, dict)
    assert body["service_code"] == "street-lamp"
    attributes = body["attributes"]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4]
    kind = attributes[0]
    assert kind == {
        "variable": True,
        "code": "kind",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "故障类型",
        "values": [{"key": "dark", "name": "不亮"}, {"key": "flicker", "name": "闪烁"}],
    }
    assert attributes[3]["variable"] is False


def test_a_service_definition_in_xml(services: list[Category]) -> None:
    root = xml_of(get("services/street-lamp.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "street-lamp"
    keys = [v.findtext("key") for v in root.findall("attributes/attribute/values/value")]
    assert keys == ["dark", "flicker", "night", "day"]
    first = root.find("attributes/attribute")
    assert first is not None
    assert first.findtext("required") == "true"
    assert first.findtext("datatype") == "singlevaluelist"


def test_a_service_without_attributes_has_an_empty_list(services: list[Category]) -> None:
    assert json_of(get("services/toilet.json")) == {"service_code": "toilet", "attributes": []}
    root = xml_of(get("services/toilet.xml"))
    attributes = root.find("attributes")
    assert attributes is not None
    assert list(attributes) == []


def test_an_unknown_service_code_is_not_found(services: list[Category]) -> None:
    response = get("services/no-such-thing.xml")
    assert response.status_code == 404
    assert "no-such-thing" in (xml_of(response).findtext("error/description") or "")
