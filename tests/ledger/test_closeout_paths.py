"""No path closes an item out without evidence or against its raisers' ratings: not the web page, not the JSON
API, not an Excel import, not the Django admin. Each path is tried the way its users would try it, and each
refusal leaves the item, its evidence, its ratings and its event chain as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.api import services as api_services
from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Category, Event, Problem, Rating, Verdict
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import Org
from tests.excel.builders import simple_workbook
from tests.excel.conftest import run_import
from tests.excel.test_import import row_of
from tests.factories import jpeg_upload, make_category, raised_problem

pytestmark = pytest.mark.django_db


def snapshot(problem: Problem) -> tuple[Any, ...]:
    problem.refresh_from_db()
    return (
        problem.state,
        problem.version,
        problem.event_count,
        problem.head_hash,
        problem.evidence.count(),
        Rating.objects.filter(problem=problem).count(),
    )


def browser(person: Person) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(person)
    return client


def api(person: Person) -> Client:
    token = api_services.token_create(user=person, name="test").raw
    return Client(headers={"authorization": f"Bearer {token}", "accept-language": "en"})


@pytest.fixture
def in_progress(units: Org, supervisor: Person, handler: Person, employee: Person) -> Problem:
    problem, _opinion = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    assert problem.category.evidence_required
    return ledger.problem_start(user=handler, problem_id=problem.pk)


@pytest.fixture
def rated_unsatisfied(
    units: Org, supervisor: Person, handler: Person, leader: Person, employee: Person
) -> Problem:
    """Signed and waiting for verification, the only raiser unsatisfied, the rating window over."""
    problem, _opinion = raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant)
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(
        user=handler, problem_id=problem.pk, completion_note="修好了", evidence=[jpeg_upload()]
    )
    ledger.problem_sign(user=leader, problem_id=problem.pk)
    ledger.problem_rate(user=employee, problem_id=problem.pk, verdict=Verdict.UNSATISFIED, comment="还是黑的")
    return Problem.objects.get(pk=problem.pk)


def later() -> Any:
    return clock.frozen_at(clock.now() + dt.timedelta(days=10))


# --- the web page ---------------------------------------------------------------------------------------


def test_the_web_page_refuses_a_close_out_request_without_evidence(
    in_progress: Problem, handler: Person
) -> None:
    before = snapshot(in_progress)
    response = browser(handler).post(
        reverse("ledger:problem", args=[in_progress.pk]),
        {
            "action": "request_closeout",
            "request_closeout-completion_note": "修好了",
            "request_closeout-version": in_progress.version,
        },
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "evidence" in response.content.decode().lower()
    assert snapshot(in_progress) == before


def test_the_web_page_refuses_to_verify_against_the_ratings(
    rated_unsatisfied: Problem, supervisor: Person
) -> None:
    before = snapshot(rated_unsatisfied)
    with later():
        response = browser(supervisor).post(
            reverse("ledger:problem", args=[rated_unsatisfied.pk]),
            {"action": "verify", "verify-version": rated_unsatisfied.version},
            follow=True,
        )
    assert response.status_code == 200
    assert "unsatisfied" in response.content.decode().lower()
    assert snapshot(rated_unsatisfied) == before


# --- the JSON API ---------------------------------------------------------------------------------------


def test_the_api_refuses_a_close_out_request_without_evidence(in_progress: Problem, handler: Person) -> None:
    before = snapshot(in_progress)
    response = api(handler).post(
        f"/api/v1/problems/{in_progress.pk}/closeout",
        {"completion_note": "修好了"},
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "evidence_attached"
    assert snapshot(in_progress) == before


def test_the_api_refuses_to_verify_against_the_ratings(
    rated_unsatisfied: Problem, supervisor: Person
) -> None:
    before = snapshot(rated_unsatisfied)
    with later():
        response = api(supervisor).post(
            f"/api/v1/problems/{rated_unsatisfied.pk}/verify", {}, content_type="application/json"
        )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "raisers_not_unsatisfied"
    assert snapshot(rated_unsatisfied) == before


# --- an Excel import ------------------------------------------------------------------------------------


def test_an_import_never_closes_an_item_the_file_calls_closed_and_satisfied(
    units: Org, supervisor: Person, leader: Person, handler: Person
) -> None:
    make_category(name="路灯照明")
    row = row_of(整改状态="已销号", 销号时间="2014-10-01", 群众满意度="满意", 进展情况="已修复30盏")
    run = run_import(supervisor, simple_workbook([row]))
    assert run.outcome.aborted is None, run.outcome.aborted
    [problem] = Problem.objects.all()
    assert problem.state == State.IN_PROGRESS and problem.closed_at is None
    kinds = set(Event.objects.filter(problem=problem).values_list("kind", flat=True))
    assert not kinds & {"problem.closeout_requested", "problem.signed", "problem.verified", "problem.closed"}
    assert not Rating.objects.exists() and not problem.evidence.exists()
    assert any("close it out" in issue["message"] for issue in run.row(3).issues)
    assert list(verify_chains()) == []


# --- the Django admin -----------------------------------------------------------------------------------


def test_the_admin_cannot_close_an_item_or_write_its_history(
    rated_unsatisfied: Problem, admin_user: Person
) -> None:
    client = browser(admin_user)
    before = snapshot(rated_unsatisfied)
    change = reverse("admin:ledger_problem_change", args=[rated_unsatisfied.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="state"' not in page.content.decode()  # shown, not editable
    assert client.post(change, {"state": "closed", "closed_at_0": "2014-10-01"}).status_code == 403
    assert client.post(reverse("admin:ledger_event_add"), {"kind": "problem.verified"}).status_code == 403
    last = Event.objects.filter(problem=rated_unsatisfied).order_by("-seq")[0]
    assert client.post(reverse("admin:ledger_event_change", args=[last.pk]), {"note": "x"}).status_code == 403
    assert (
        client.post(reverse("admin:ledger_event_delete", args=[last.pk]), {"post": "yes"}).status_code == 403
    )
    bulk = client.post(
        reverse("admin:ledger_problem_changelist"),
        {"action": "delete_selected", "_selected_action": [rated_unsatisfied.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302, 403}
    # ratings, evidence and categories' rules: no admin page writes ratings or evidence
    from django.contrib import admin

    assert Rating not in admin.site._registry
    assert all(model.__name__ != "Evidence" for model in admin.site._registry)
    assert snapshot(rated_unsatisfied) == before
    assert Problem.objects.filter(pk=rated_unsatisfied.pk).exists()
    assert Category.objects.filter(pk=rated_unsatisfied.category_id, evidence_required=True).exists()
