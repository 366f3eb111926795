"""Deployment security: Django's deploy checks, CSP and other headers, login throttling, password rules."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from taizhang.org.models import Person
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_deploy_checks_are_clean_in_production_settings(tmp_path: Any) -> None:
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DEBUG", "TAIZHANG_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
        },
        "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-" + "z" * 20,
        "DEBUG": "0",
        "SECURE_COOKIES": "1",
        "SECURE_SSL_REDIRECT": "1",
        "ALLOWED_HOSTS": "taizhang.example.org",
        "TAIZHANG_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "taizhang.config.cli", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    response = client.get(reverse("web:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "style=" not in response.content.decode()


def test_repeated_failed_logins_lock_the_account_for_a_while(
    settings: Any, client: Client, employee: Person
) -> None:
    settings.AXES_ENABLED = True
    url = reverse("web:login")
    for _attempt in range(5):
        client.post(url, {"username": employee.username, "password": "wrong password"})
    locked = client.post(url, {"username": employee.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_is_not_throttled(settings: Any, client: Client, employee: Person) -> None:
    settings.AXES_ENABLED = True
    client.post(reverse("web:login"), {"username": employee.username, "password": "wrong password"})
    response = client.post(reverse("web:login"), {"username": employee.username, "password": PASSWORD})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(employee.pk)


@pytest.mark.parametrize("password", ["short1", "12345678901234", "password123", "qwertyuiop"])
def test_weak_passwords_are_refused(employee: Person, password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, user=employee)
    validate_password("绿色铝城-灯更亮-2014", user=employee)
