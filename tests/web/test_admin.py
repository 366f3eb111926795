"""The Django admin, for configuration, in Chinese, for the organisation's administrators."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.org import services as org
from taizhang.org.models import Person, Role
from tests.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(units: Org) -> Person:
    person = org.person_create(username="admin2", name="管理员", unit=units.office, password=PASSWORD)
    org.role_grant(person=person, role=Role.ADMIN, unit=units.root)
    return person


def client_for(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "model", ["ledger/category", "org/unit", "org/person", "intake/place", "campaigns/campaign"]
)
def test_an_administrator_configures_without_being_a_superuser(administrator: Person, model: str) -> None:
    client = client_for(administrator)
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 200


def test_records_of_the_workflow_are_read_only_in_the_admin(administrator: Person) -> None:
    client = client_for(administrator)
    assert client.get("/admin/ledger/problem/").status_code == 200
    assert client.get("/admin/ledger/problem/add/").status_code == 403
    assert client.get("/admin/ledger/event/add/").status_code == 403


def test_others_do_not_get_into_the_admin(handler: Person, supervisor: Person) -> None:
    for person in (handler, supervisor):
        response = client_for(person).get(reverse("admin:index"))
        assert response.status_code == 302


def test_an_administrator_cannot_make_a_superuser(administrator: Person, employee: Person) -> None:
    client = client_for(administrator)
    page = client.get(f"/admin/org/person/{employee.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


def test_the_admin_speaks_chinese_by_default(administrator: Person) -> None:
    page = client_for(administrator).get(reverse("admin:index")).content.decode()
    assert "站点管理" in page  # Django's own zh-hans catalogue
