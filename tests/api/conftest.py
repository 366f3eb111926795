"""Fixtures of the API tests: personal tokens for the personas, an Open311 key, JSON clients."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from taizhang.api import services
from taizhang.api.models import ApiToken
from taizhang.org.models import Person


class ApiClient:
    """A test client that speaks JSON to /api/v1/ with a bearer token (or none)."""

    def __init__(self, token: str | None = None, language: str = "en") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path: str, **headers: str) -> Any:
        return self._call("get", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self._call("post", path, {} if body is None else body, **headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> Any:
        return self._call("patch", path, body or {}, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self._call("delete", path, **headers)


def token_for(person: Person) -> str:
    return services.token_create(user=person, name=f"test {person.username}").raw


@pytest.fixture
def as_client() -> Any:
    """as_client(person) → an ApiClient holding a fresh personal token of that person."""

    def make(person: Person | None, language: str = "en") -> ApiClient:
        return ApiClient(token_for(person) if person else None, language)

    return make


@pytest.fixture
def open311_key(admin_user: Person) -> str:
    return services.token_create(user=admin_user, name="12345 hotline", kind=ApiToken.Kind.OPEN311).raw


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """Tests of other things must not trip the limits; tests/api/test_ratelimit.py sets its own."""
    settings.TAIZHANG_RATE_ANONYMOUS = 0
    settings.TAIZHANG_RATE_AUTHENTICATED = 0
