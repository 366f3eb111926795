"""Opinions from the web form, the JSON API, Open311 and an imported file get a suggestion (they go through
the same submit service); the suggestion is never part of what those interfaces answer."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.api import services as api_services
from taizhang.api.models import ApiToken
from taizhang.core import clock
from taizhang.core.options import options_override
from taizhang.dispatch import services
from taizhang.dispatch.models import Suggestion
from taizhang.intake.models import Channel, Opinion, normalise_receipt
from taizhang.org.models import Person
from tests.dispatch.conftest import Dispatch
from tests.excel.test_opinion_import import workbook

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


def submitted(receipt_url: str) -> Opinion:
    """The opinion the form made, by the receipt page it sent the submitter to."""
    code = receipt_url.rstrip("/").rsplit("/", 1)[-1]
    opinion = Opinion.objects.get(receipt_code=normalise_receipt(code))
    assert opinion.channel == Channel.WEB
    return opinion


def test_the_web_form_gets_a_suggestion_the_submitter_does_not_see(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    client = Client()
    form = client.get(reverse("intake:submit"))
    key = form.context["form"]["idempotency_key"].value()
    response = client.post(
        reverse("intake:submit"),
        {"text": "班车司机开车太快，早上的班车还经常晚点", "place_text": "班车站", "idempotency_key": key},
    )
    assert response.status_code == 302, response.content
    opinion = submitted(response["Location"])
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.model_version == 1 and not suggestion.applied_automatically
    assert suggestion.category == dispatch_org.categories["交通班车"]
    assert suggestion.unit == dispatch_org.units["车队"]
    opinion.refresh_from_db()
    assert opinion.unit == dispatch_org.org.root and opinion.category is None  # auto-apply is off
    receipt = client.get(response["Location"]).content.decode()
    assert "班车司机" in receipt and "车队" not in receipt
    desk = Client()
    desk.force_login(supervisor)
    page = desk.get(reverse("intake:triage_opinion", args=[opinion.pk])).content.decode()
    assert 'data-testid="dispatch-unit">车队<' in page and "置信度" in page


def test_the_web_form_with_auto_apply_files_a_confident_opinion_on_arrival(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    with options_override(dispatch_auto_apply=True, dispatch_auto_apply_threshold=0.3):
        response = Client().post(
            reverse("intake:submit"),
            {"text": "班车司机开车太快，早上的班车还经常晚点", "place_text": "班车站", "anonymous": "on"},
        )
    assert response.status_code == 302, response.content
    opinion = submitted(response["Location"])
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.applied_automatically and suggestion.previous_unit == dispatch_org.org.root
    assert opinion.unit == dispatch_org.units["车队"]
    assert opinion.category == dispatch_org.categories["交通班车"]
    desk = Client()
    desk.force_login(supervisor)
    page = desk.get(reverse("intake:triage_opinion", args=[opinion.pk])).content.decode()
    assert 'data-testid="dispatch-applied"' in page and "收到时由模型 v1 自动采用" in page


def test_opinions_imported_from_a_hotlines_file_get_suggestions(
    dispatch_org: Dispatch, history: list[dict[str, Any]], supervisor: Person
) -> None:
    services.model_train()
    yesterday = (clock.now() - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    rows = [
        ("GD-1", yesterday, "澡堂的淋浴喷头坏了一大半，洗澡要排队", "第一澡堂"),
        ("GD-2", yesterday, "食堂的饭菜太咸了，而且菜价又涨了", ""),
    ]
    file = io.BytesIO(workbook(rows, ("工单编号", "来电时间", "诉求内容", "地点")))
    file.name = "12345工单.xlsx"
    desk = Client()
    desk.force_login(supervisor)
    response = desk.post(reverse("excel:import_opinions"), {"file": file, "channel": "hotline"})
    assert response.status_code == 200
    imported = Opinion.objects.filter(idempotency_key__startswith="import:", channel=Channel.HOTLINE)
    bath, canteen = imported.get(text__startswith="澡堂"), imported.get(text__startswith="食堂")
    assert Suggestion.objects.get(opinion=bath).unit == dispatch_org.units["后勤服务中心"]
    assert Suggestion.objects.get(opinion=canteen).category == dispatch_org.categories["食堂饮食"]
    assert Suggestion.objects.get(opinion=canteen).unit == dispatch_org.units["餐饮中心"]
    page = desk.get(reverse("intake:triage_opinion", args=[canteen.pk])).content.decode()
    assert 'data-testid="dispatch-unit">餐饮中心<' in page
