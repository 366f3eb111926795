"""One error format, in the caller's language; the schema committed; the docs page offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from taizhang.api.management.commands.api_schema import schema_text
from taizhang.ledger import workflow
from taizhang.org.models import Person
from tests.conftest import Org
from tests.factories import make_problem

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def test_a_workflow_refusal_in_english_and_chinese(
    units: Org, supervisor: Person, handler: Person, as_client: Any
) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant)
    as_client(handler).post(f"problems/{problem.pk}/start")
    english = as_client(handler, "en").post(f"problems/{problem.pk}/start")
    chinese = as_client(handler, "zh-CN,zh;q=0.9").post(f"problems/{problem.pk}/start")
    assert english.json()["error"]["code"] == chinese.json()["error"]["code"] == "wrong_state"
    assert (english["Content-Language"], chinese["Content-Language"]) == ("en", "zh-hans")
    # The message is the catalogue's rendering in the language asked for (zh-Hans strings come with the
    # lead's translations; the lookup is what is tested here).
    labels = {
        "action": workflow.TRANSITIONS[0].label,
        "state": workflow.STATE_LABELS[workflow.State.IN_PROGRESS],
    }
    for response, language in ((english, "en"), (chinese, "zh-hans")):
        with translation.override(language):
            expected = gettext("“%(action)s” is not possible while the item is “%(state)s”.") % {
                name: str(label) for name, label in labels.items()
            }
        assert response.json()["error"]["message"] == expected


def test_accept_language_wins_over_the_language_cookie(units: Org) -> None:
    client = Client()
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/api/v1/problems", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("Sign in")
    assert response["Content-Language"] == "en"


def test_errors_have_one_shape(units: Org, as_client: Any, supervisor: Person) -> None:
    for response in (
        Client().get("/api/v1/problems"),
        as_client(supervisor).get("problems/999999"),
        as_client(supervisor).get("problems/not-a-number"),
        as_client(supervisor).post("opinions", {"text": 5}),
    ):
        body = response.json()
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message", "fields"}
        assert body["error"]["message"]


def test_the_committed_schema_matches_the_code() -> None:
    committed = (REPO / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(schema_text()), (
        "docs/openapi.json is stale: run `taizhang api_schema --output docs/openapi.json` and commit it"
    )


def test_the_schema_is_served_and_is_openapi_3(units: Org) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/problems/{problem_id}/verify" in schema["paths"]


def test_the_docs_page_loads_nothing_from_elsewhere(units: Org) -> None:
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    for source in sources:
        asset = Client().get(source)
        assert asset.status_code == 200, source
        asset.close()
