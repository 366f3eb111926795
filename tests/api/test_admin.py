"""The Django admin: administrators issue Open311 keys (shown once) and edit the extra questions."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from taizhang.api.models import ApiToken
from taizhang.api.services import token_lookup
from taizhang.org.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def admin_client(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def test_an_open311_key_is_issued_in_the_admin_and_shown_once(admin_user: Person) -> None:
    client = admin_client(admin_user)
    page = client.post("/admin/api/apitoken/add/", {"name": "12345 热线"}, follow=True)
    token = ApiToken.objects.get()
    assert token.kind == "open311" and token.person == admin_user
    shown = [str(m) for m in page.context["messages"]]
    raw = next(re.search(r"tz_\S+", m).group() for m in shown if "api_key" in m)  # type: ignore[union-attr]
    assert token_lookup(raw, ApiToken.Kind.OPEN311) == token
    assert raw not in client.get("/admin/api/apitoken/").content.decode()


def test_revoking_in_the_admin(admin_user: Person) -> None:
    client = admin_client(admin_user)
    client.post("/admin/api/apitoken/add/", {"name": "门户"})
    token = ApiToken.objects.get()
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_extra_questions_are_in_the_admin(admin_user: Person) -> None:
    assert admin_client(admin_user).get("/admin/api/serviceattribute/add/").status_code == 200
