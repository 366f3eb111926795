"""The Open311 conformance suite is written from the GeoReport v2 text (wiki.open311.org/GeoReport_v2),
section by section; these fixtures give it services (categories) with and without attributes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from taizhang.api.models import ServiceAttribute
from taizhang.ledger.models import Category
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_category

BASE = "/open311/v2/"


@pytest.fixture
def lamps(db: None) -> Category:
    """A service with metadata: a required single choice, a multivaluelist, a number, an info-only note."""
    category = make_category(name="路灯照明", code="street-lamp", group="民生设施", achievement_noun="路灯")
    ServiceAttribute.objects.create(
        category=category,
        code="pole",
        datatype="number",
        required=False,
        order=2,
        description="灯杆编号",
    )
    ServiceAttribute.objects.create(
        category=category,
        code="kind",
        datatype="singlevaluelist",
        required=True,
        order=1,
        description="故障类型",
        values=[{"key": "dark", "name": "不亮"}, {"key": "flicker", "name": "闪烁"}],
    )
    ServiceAttribute.objects.create(
        category=category,
        code="when",
        datatype="multivaluelist",
        required=False,
        order=3,
        description="什么时候",
        values=[{"key": "night", "name": "夜间"}, {"key": "day", "name": "白天"}],
    )
    ServiceAttribute.objects.create(
        category=category,
        code="note",
        variable=False,
        datatype="text",
        order=4,
        description="紧急情况请拨打 12345",
    )
    return category


@pytest.fixture
def toilets(db: None) -> Category:
    """A service without metadata."""
    return make_category(name="卫生间", code="toilet", group="民生设施")


@pytest.fixture
def services(units: Org, lamps: Category, toilets: Category) -> list[Category]:
    return [lamps, toilets]


def get(path: str, **params: str) -> Any:
    return Client().get(BASE + path, params)


def post(path: str, data: dict[str, Any], **headers: str) -> Any:
    return Client().post(BASE + path, data, headers=headers)


def xml_of(response: Any) -> ET.Element:
    text = response.content.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)  # noqa: S314  # our own output
    assert "}" not in root.tag, "no namespace"
    return root


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def valid_post(key: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": "street-lamp",
        "lat": "37.8580",
        "long": "112.5530",
        "description": "原料车间门口的路灯不亮",
        "attribute[kind]": "dark",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def key(open311_key: str, services: list[Category], admin_user: Person) -> str:
    return open311_key
