"""Personal API tokens (hashed, revocable, shown once) and the session of the app's own pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from taizhang.api import services
from taizhang.api.models import ApiToken
from taizhang.org.models import Person
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def session_client(person: Person, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    assert client.login(username=person.username, password=PASSWORD)
    return client


def test_a_token_is_shown_once_and_stored_only_as_its_hash(employee: Person) -> None:
    client = session_client(employee)
    response = client.post(
        "/api/v1/tokens", json.dumps({"name": "我的手机"}), content_type="application/json"
    )
    assert response.status_code == 201
    raw = response.json()["token"]
    assert raw.startswith("tz_")
    stored = ApiToken.objects.get()
    assert stored.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    listed = client.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["我的手机"]
    assert "token" not in listed[0]


def test_the_token_authenticates_as_its_person(employee: Person) -> None:
    me = ApiClient(services.token_create(user=employee, name="t").raw).get("me")
    assert me.status_code == 200
    assert me.json()["username"] == "zheng"


def test_a_revoked_token_is_refused(employee: Person) -> None:
    issued = services.token_create(user=employee, name="t")
    client = ApiClient(issued.raw)
    assert client.delete(f"tokens/{issued.token.pk}").status_code == 204
    response = client.get("me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_nobody_revokes_another_persons_token(employee: Person, handler: Person) -> None:
    theirs = services.token_create(user=employee, name="t")
    response = ApiClient(services.token_create(user=handler, name="h").raw).delete(
        f"tokens/{theirs.token.pk}"
    )
    assert response.status_code == 404
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_a_wrong_token_is_refused_even_where_no_sign_in_is_needed(units: Any) -> None:
    assert ApiClient("tz_wrong").get("categories").status_code == 401
    assert ApiClient().get("categories").status_code == 200


def test_an_open311_key_is_not_an_api_token(open311_key: str) -> None:
    assert ApiClient(open311_key).get("me").status_code == 401


def test_a_token_cannot_mint_tokens(employee: Person) -> None:
    client = ApiClient(services.token_create(user=employee, name="t").raw)
    assert client.post("tokens", {"name": "more"}).status_code == 401
    assert ApiToken.objects.count() == 1


def test_only_administrators_issue_open311_keys(employee: Person, admin_user: Person) -> None:
    from taizhang.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.token_create(user=employee, name="hotline", kind=ApiToken.Kind.OPEN311)
    assert (
        services.token_create(user=admin_user, name="hotline", kind=ApiToken.Kind.OPEN311).token.kind
        == "open311"
    )


def test_the_session_works_and_needs_csrf_for_writes(employee: Person) -> None:
    client = session_client(employee, csrf=True)
    assert client.get("/api/v1/me").status_code == 200
    refused = client.post("/api/v1/tokens", json.dumps({"name": "x"}), content_type="application/json")
    assert refused.status_code == 403
    client.get("/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/tokens",
        json.dumps({"name": "x"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


def test_without_credentials_the_ledger_is_closed(units: Any) -> None:
    response = ApiClient().get("problems")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_the_token_command_prints_the_token_once(
    admin_user: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import call_command

    call_command("api_token", "create", "--person", "guo", "--name", "hotline", "--kind", "open311")
    raw = capsys.readouterr().out.split()[0]
    assert services.token_lookup(raw, ApiToken.Kind.OPEN311) is not None


def test_a_token_records_only_the_day_it_was_last_used(employee: Person) -> None:
    """So an anonymous opinion sent with one's own token cannot be matched to it by the minute."""
    issued = services.token_create(user=employee, name="我的手机")
    with time_machine.travel(dt.datetime(2025, 3, 4, 15, 37, tzinfo=dt.UTC), tick=False):
        services.token_lookup(issued.raw, ApiToken.Kind.PERSONAL)
    used = ApiToken.objects.get().last_used_at
    assert used is not None
    local = timezone.localtime(used)
    assert (local.date(), local.hour, local.minute) == (dt.date(2025, 3, 4), 0, 0)
