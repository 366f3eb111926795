"""/healthz: up with its database, 503 without; no sign-in; nothing but status, database and version."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from taizhang.ops.health import app_version

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_the_database_and_the_version() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "version": app_version()}
    assert app_version() not in {"", "unknown"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_cannot_be_reached() -> None:
    refused = OperationalError("connection refused")
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "unavailable"
    assert Client().get("/healthz").status_code == 200  # and back once it can


def test_healthz_needs_no_sign_in_and_takes_no_writes() -> None:
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405


def test_healthz_is_exempt_from_the_https_redirect(settings: object) -> None:
    with mock.patch.multiple(settings, SECURE_SSL_REDIRECT=True):
        assert Client().get("/healthz").status_code == 200
        assert Client().get("/").status_code == 301
