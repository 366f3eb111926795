"""Opinions from the JSON API and Open311 get a suggestion too (they go through the same submit service);
the suggestion is never part of what those interfaces answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from taizhang.api import services as api_services
from taizhang.api.models import ApiToken
from taizhang.dispatch import services
from taizhang.dispatch.models import Suggestion
from taizhang.intake.models import Channel, Opinion
from taizhang.org.models import Person
from tests.dispatch.conftest import Dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.TAIZHANG_RATE_ANONYMOUS = 0
    settings.TAIZHANG_RATE_AUTHENTICATED = 0


def test_an_api_submission_gets_a_suggestion_it_does_not_see(
    dispatch_org: Dispatch, history: list[dict[str, Any]], employee: Person
) -> None:
    services.model_train()
    token = api_services.token_create(user=employee, name="app").raw
    response = Client().post(
        "/api/v1/opinions",
        json.dumps({"text": "食堂的饭菜太咸了，而且菜价又涨了", "anonymous": True}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.status_code == 201, response.content
    opinion = Opinion.objects.get(channel=Channel.API)
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.model_version == 1
    assert suggestion.category == dispatch_org.categories["食堂饮食"]
    assert suggestion.unit == dispatch_org.units["餐饮中心"]
    body = response.content.decode()
    assert "餐饮中心" not in body and "suggest" not in body


def test_an_open311_request_gets_a_suggestion(
    dispatch_org: Dispatch, history: list[dict[str, Any]], admin_user: Person
) -> None:
    services.model_train()
    key = api_services.token_create(user=admin_user, name="12345", kind=ApiToken.Kind.OPEN311).raw
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "bath",
            "address_string": "第一澡堂",
            "description": "澡堂的淋浴喷头坏了一大半，洗澡要排队",
        },
    )
    assert response.status_code == 200, response.content
    opinion = Opinion.objects.get(channel=Channel.OPEN311)
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.unit == dispatch_org.units["后勤服务中心"]
    assert "后勤服务中心" not in response.content.decode()
