"""The problem page and the ledger table: buttons follow the workflow, the server refuses the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.factories import jpeg_upload, make_problem, raised_problem

pytestmark = pytest.mark.django_db


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def buttons(client: Client, problem: Problem) -> set[str]:
    page = client.get(reverse("ledger:problem", args=[problem.pk])).content.decode()
    return {chunk.split('"')[0] for chunk in page.split('data-testid="do-')[1:]}


def act(client: Client, problem: Problem, action: str, **fields: Any) -> Any:
    data = {"action": action, f"{action}-version": Problem.objects.get(pk=problem.pk).version}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(reverse("ledger:problem", args=[problem.pk]), data)


@pytest.fixture
def lamp(units: Org, supervisor: Person, employee: Person) -> Problem:
    return raised_problem(supervisor=supervisor, raiser=employee, unit=units.plant, target_quantity=8)[0]


def test_each_person_sees_the_buttons_the_workflow_gives_them(
    lamp: Problem, handler: Person, leader: Person, supervisor: Person, employee: Person, outsider: Person
) -> None:
    def page(person: Person) -> str:
        return logged_in(person).get(reverse("ledger:problem", args=[lamp.pk])).content.decode()

    assert {"start", "return"} <= buttons(logged_in(handler), lamp)
    assert 'data-testid="request-extension"' in page(handler)  # on its own page, in working days
    assert "verify" not in buttons(logged_in(handler), lamp)
    assert {"start", "edit"} <= buttons(logged_in(leader), lamp)
    assert {"cancel", "edit"} <= buttons(logged_in(supervisor), lamp)
    assert 'data-testid="urge-form"' in page(supervisor) and 'data-testid="urge-form"' not in page(handler)
    assert "start" not in buttons(logged_in(supervisor), lamp)
    assert buttons(logged_in(employee), lamp) == set()
    assert logged_in(outsider).get(reverse("ledger:problem", args=[lamp.pk])).status_code == 200  # public
    assert buttons(logged_in(outsider), lamp) == set()


def test_a_refused_action_is_refused_on_the_server_and_changes_nothing(
    lamp: Problem, employee: Person, outsider: Person
) -> None:
    for person in (employee, outsider):
        response = act(logged_in(person), lamp, "start", note="我来开始")
        assert response.status_code == 200
        assert '<li class="error">' in response.content.decode()
    assert Problem.objects.get(pk=lamp.pk).state == State.OPEN


def test_the_loop_through_the_page(
    lamp: Problem, handler: Person, leader: Person, supervisor: Person, employee: Person
) -> None:
    unit = logged_in(handler)
    assert act(unit, lamp, "start", note="").status_code == 302
    act(unit, lamp, "progress", note="已修4盏", done_quantity=4, photos=[jpeg_upload()])
    response = act(
        unit,
        lamp,
        "request_closeout",
        completion_note="8盏全部修好",
        done_quantity=8,
        evidence=[jpeg_upload("after.jpg")],
    )
    assert response.status_code == 302
    act(logged_in(leader), lamp, "sign", note="同意")
    act(logged_in(employee), lamp, "rate", verdict="satisfied", comment="亮了")
    act(logged_in(supervisor), lamp, "verify", note="现场核实", notice_days=0)
    problem = Problem.objects.get(pk=lamp.pk)
    assert (problem.state, problem.done_quantity) == (State.CLOSED, 8)
    page = logged_in(employee).get(reverse("ledger:problem", args=[lamp.pk])).content.decode()
    assert "已修4盏" in page and "8盏全部修好" in page


def test_guard_messages_appear_on_the_form(lamp: Problem, handler: Person) -> None:
    unit = logged_in(handler)
    act(unit, lamp, "start", note="")
    response = act(unit, lamp, "request_closeout", completion_note="修好了")
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert Problem.objects.get(pk=lamp.pk).state == State.IN_PROGRESS


def test_a_stale_version_is_a_conflict_with_a_clear_message(
    lamp: Problem, leader: Person, supervisor: Person
) -> None:
    seen = Problem.objects.get(pk=lamp.pk).version
    ledger.problem_edit(user=supervisor, problem_id=lamp.pk, version=seen, changes={"measures": "方案甲"})
    response = logged_in(leader).post(
        reverse("ledger:problem", args=[lamp.pk]),
        {"action": "edit", "edit-version": seen, "edit-measures": "方案乙"},
    )
    assert response.status_code == 200 and str(seen) in response.content.decode()
    assert Problem.objects.get(pk=lamp.pk).measures == "方案甲"


def test_an_unknown_action_is_not_found(lamp: Problem, supervisor: Person) -> None:
    response = logged_in(supervisor).post(reverse("ledger:problem", args=[lamp.pk]), {"action": "delete"})
    assert response.status_code == 404


def test_supports_toggle_with_htmx(lamp: Problem, employee: Person) -> None:
    client = logged_in(employee)
    url = reverse("ledger:support", args=[lamp.pk])
    response = client.post(url, {"support": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    client.post(url, {"support": "1"}, headers={"HX-Request": "true"})
    assert Problem.objects.get(pk=lamp.pk).support_count == 1
    client.post(url, {"support": "0"}, headers={"HX-Request": "true"})
    assert Problem.objects.get(pk=lamp.pk).support_count == 0
    assert Client().post(url, {"support": "1"}).status_code == 302  # to the login page


def test_the_ledger_table_filters_and_sorts(units: Org, supervisor: Person) -> None:
    early = make_problem(supervisor=supervisor, lead_unit=units.workshop, title="澡堂漏水")
    late = make_problem(supervisor=supervisor, lead_unit=units.sibling, title="道路坑洼")
    assert early.deadline is not None
    later = early.deadline + dt.timedelta(days=365)
    ledger.problem_edit(user=supervisor, problem_id=late.pk, version=None, changes={"deadline": later})
    client = logged_in(supervisor)
    table = client.get(reverse("ledger:ledger"), {"sort": "-deadline"}).content.decode()
    assert table.index(late.code) < table.index(early.code)
    only_plant = client.get(reverse("ledger:ledger"), {"unit": units.plant.pk}).content.decode()
    assert early.code in only_plant and late.code not in only_plant
    searched = client.get(reverse("ledger:ledger"), {"q": "道路"}).content.decode()
    assert late.code in searched and early.code not in searched


def test_my_work_lists_what_waits_on_each_person(
    lamp: Problem, handler: Person, leader: Person, supervisor: Person, employee: Person
) -> None:
    page = logged_in(handler).get(reverse("web:my_work")).content.decode()
    assert 'data-testid="inbox-to_start"' in page and lamp.code in page
    ledger.problem_start(user=handler, problem_id=lamp.pk)
    ledger.problem_request_closeout(
        user=handler, problem_id=lamp.pk, completion_note="好了", evidence=[jpeg_upload()]
    )
    assert 'data-testid="inbox-to_sign"' in logged_in(leader).get(reverse("web:my_work")).content.decode()
    assert 'data-testid="inbox-to_rate"' in logged_in(employee).get(reverse("web:my_work")).content.decode()
    home = logged_in(leader).get(reverse("web:home")).content.decode()
    assert 'class="count">1<' in home  # the menu's count
    ledger.problem_sign(user=leader, problem_id=lamp.pk)
    assert (
        'data-testid="inbox-to_verify"' in logged_in(supervisor).get(reverse("web:my_work")).content.decode()
    )


def test_me_too_is_offered_to_the_affected_not_to_the_unit(
    units: Org, supervisor: Person, handler: Person, outsider: Person
) -> None:
    problem = make_problem(supervisor=supervisor, lead_unit=units.plant, is_public=True)
    url = reverse("ledger:problem", args=[problem.pk])
    assert 'data-testid="me-too"' in logged_in(outsider).get(url).content.decode()
    assert 'data-testid="me-too"' in Client().get(url).content.decode()
    assert 'data-testid="me-too"' not in logged_in(handler).get(url).content.decode()
    logged_in(outsider).post(reverse("intake:me_too", args=[problem.pk]))
    assert problem.opinions.get().submitter == outsider
    assert 'data-testid="me-too"' not in logged_in(outsider).get(url).content.decode()
    anonymous = Client().post(reverse("intake:me_too", args=[problem.pk]))
    assert anonymous.status_code == 302 and "/r/" in anonymous["Location"]
