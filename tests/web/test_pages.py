"""The minimal web front: log in, the ledger, a problem's page with its history, evidence files."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import jpeg_upload, make_problem, raised_problem

pytestmark = pytest.mark.django_db


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


@pytest.fixture
def private(units: Org, supervisor: Person, employee: Person, handler: Person) -> Problem:
    problem, _ = raised_problem(
        supervisor=supervisor, raiser=employee, unit=units.plant, is_public=False, title="13号大圆仓吃水难"
    )
    ledger.problem_start(user=handler, problem_id=problem.pk, note="已联系水电车间")
    ledger.problem_record_progress(
        user=handler, problem_id=problem.pk, note="铺设水管40米", photos=[jpeg_upload("pipe.jpg")]
    )
    return problem


def test_logging_in_through_the_form(client: Client, employee: Person) -> None:
    page = client.get(reverse("web:login"))
    assert page.status_code == 200
    response = client.post(reverse("web:login"), {"username": "zheng", "password": PASSWORD})
    assert response.status_code == 302
    wrong = client.post(reverse("web:login"), {"username": "zheng", "password": "wrong"})
    assert wrong.status_code == 200 and b"error" in wrong.content


def test_the_ledger_needs_a_login(client: Client) -> None:
    response = client.get(reverse("ledger:ledger"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_the_ledger_lists_what_the_person_may_see(
    private: Problem, handler: Person, outsider: Person
) -> None:
    assert private.code in logged_in(handler).get(reverse("ledger:ledger")).content.decode()
    assert private.code not in logged_in(outsider).get(reverse("ledger:ledger")).content.decode()


def test_the_ledger_page_query_count_does_not_grow_with_rows(
    units: Org, supervisor: Person, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(supervisor)
    for _ in range(3):
        make_problem(supervisor=supervisor, lead_unit=units.plant)
    client.get(reverse("ledger:ledger"))
    # 14: the page, plus "does the scope cover every unit" and the menu's pending extensions (docs/scale.md)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("ledger:ledger"))
    for _ in range(20):
        make_problem(supervisor=supervisor, lead_unit=units.plant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("ledger:ledger"))


def test_the_problem_page_shows_its_history_to_the_unit(private: Problem, handler: Person) -> None:
    page = logged_in(handler).get(reverse("ledger:problem", args=[private.pk])).content.decode()
    assert "铺设水管40米" in page and "已联系水电车间" in page and "侯同义" in page and "pipe.jpg" in page


def test_a_private_problem_is_not_found_for_others(
    private: Problem, outsider: Person, client: Client
) -> None:
    assert logged_in(outsider).get(reverse("ledger:problem", args=[private.pk])).status_code == 404
    assert client.get(reverse("ledger:problem", args=[private.pk])).status_code == 404


def test_evidence_files_are_served_only_within_scope(
    private: Problem, handler: Person, outsider: Person
) -> None:
    evidence = private.evidence.get()
    url = reverse("ledger:evidence", args=[evidence.pk])
    response = logged_in(handler).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    # consuming the stream lets the test client close the response (and the file) the way a server would
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # type: ignore[attr-defined]  # FileResponse
    assert logged_in(outsider).get(url).status_code == 404


def test_a_public_problem_shows_on_the_board_without_internals(
    units: Org, supervisor: Person, handler: Person, client: Client
) -> None:
    problem = make_problem(
        supervisor=supervisor, lead_unit=units.plant, title="整修生活区路灯", is_public=True
    )
    ledger.problem_start(user=handler, problem_id=problem.pk)
    assert "整修生活区路灯" in client.get(reverse("web:home")).content.decode()
    page = client.get(reverse("ledger:problem", args=[problem.pk])).content.decode()
    assert "整修生活区路灯" in page and "侯同义" not in page
