"""Service Discovery (wiki.open311.org/Service_Discovery): both formats, every field required."""

from __future__ import annotations

import pytest

from taizhang.ledger.models import Category
from tests.api.open311.conftest import get, json_of, xml_of

pytestmark = pytest.mark.django_db


def test_discovery_json_is_an_object_with_every_field(services: list[Category]) -> None:
    body = json_of(get("discovery.json"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert all(isinstance(body[name], str) and body[name] for name in ("changeset", "contact", "key_service"))
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] in ("production", "test")
    assert endpoint["changeset"] == body["changeset"]
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml_has_endpoints_endpoint_formats_format(services: list[Category]) -> None:
    root = xml_of(get("discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("changeset") and root.findtext("contact") and root.findtext("key_service")
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"


def test_the_changeset_moves_when_a_service_definition_changes(
    services: list[Category], lamps: Category
) -> None:
    import time_machine

    before = json_of(get("discovery.json"))["changeset"]
    with time_machine.travel("2030-01-01T00:00:00Z"):
        attribute = lamps.service_attributes.get(code="pole")
        attribute.description = "灯杆上的编号"
        attribute.save()
    after = json_of(get("discovery.json"))["changeset"]
    assert after > before  # sortable


def test_the_endpoint_type_follows_the_setting(services: list[Category], settings: object) -> None:
    settings.TAIZHANG_OPEN311_TEST = True  # type: ignore[attr-defined]
    assert json_of(get("discovery.json"))["endpoints"][0]["type"] == "test"
