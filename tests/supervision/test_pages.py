"""The supervision pages: urge desk, notice and reply, extension request and approval queue, look-back
queue; each scoped to what the person may see; the problem-page panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from taizhang.ledger import services as ledger
from taizhang.ledger.models import DeadlineExtension, Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from taizhang.supervision import services
from taizhang.supervision.models import Colour, UrgeNotice
from tests.conftest import PASSWORD, Org
from tests.factories import jpeg_upload, make_category, make_problem
from tests.supervision.conftest import on

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 7, 7)  # a Monday


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


@pytest.fixture
def overdue(units: Org, supervisor: Person, handler: Person) -> Problem:
    with on(DAY - dt.timedelta(days=30)):
        problem = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            deadline=DAY - dt.timedelta(days=1),
            title="食堂排烟不畅",
        )
        ledger.problem_start(user=handler, problem_id=problem.pk)
    return problem


def test_the_urge_desk_shows_supervisors_what_is_late_in_their_scope(
    overdue: Problem,
    units: Org,
    supervisor: Person,
    plant_supervisor: Person,
    handler: Person,
    django_assert_max_num_queries: Any,
) -> None:
    with on(DAY - dt.timedelta(days=30)):
        sibling = make_problem(
            supervisor=supervisor,
            lead_unit=units.sibling,
            deadline=DAY + dt.timedelta(days=1),
            title="二厂路灯",
        )
        for number in range(5):
            make_problem(
                supervisor=supervisor, lead_unit=units.plant, deadline=DAY - dt.timedelta(days=number + 2)
            )
    with on(DAY):
        client = logged_in(supervisor)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("supervision:urge_desk"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "食堂排烟不畅" in body and "二厂路灯" in body
    assert 'data-light="red"' in body
    with on(DAY):
        plant_page = logged_in(plant_supervisor).get(reverse("supervision:urge_desk")).content.decode()
        handler_page = logged_in(handler).get(reverse("supervision:urge_desk")).content.decode()
    assert "食堂排烟不畅" in plant_page and "二厂路灯" not in plant_page
    assert "食堂排烟不畅" not in handler_page  # handlers have no desk: they are urged, not urging
    assert sibling.pk


def test_issuing_and_answering_a_notice_through_the_pages(
    overdue: Problem, supervisor: Person, handler: Person, outsider: Person, employee: Person
) -> None:
    with on(DAY):
        response = logged_in(supervisor).post(
            reverse("supervision:urge_issue", args=[overdue.pk]),
            {"colour": "red", "message": "限三日内整改到位"},
        )
    notice = UrgeNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:notice", args=[notice.pk]
    )
    url = reverse("supervision:notice", args=[notice.pk])
    with on(DAY):
        unit_page = logged_in(handler).get(url)
    assert unit_page.status_code == 200 and unit_page.context["may_reply"]
    assert "限三日内整改到位" in unit_page.content.decode()
    assert logged_in(outsider).get(url).status_code == 404  # another unit's notice
    assert logged_in(employee).get(url).status_code == 404
    with on(DAY):
        assert not logged_in(supervisor).get(url).context["may_reply"]
        answered = logged_in(handler).post(url, {"reply": "已更换风机，周三完工"}, follow=True)
    assert answered.status_code == 200
    assert "已更换风机，周三完工" in answered.content.decode()
    notice.refresh_from_db()
    assert notice.replied_by == handler
    # the notice lists: the unit sees its notice, the sibling unit sees none
    assert notice.pk in [n.pk for n in logged_in(handler).get(reverse("supervision:notices")).context["page"]]
    assert list(logged_in(outsider).get(reverse("supervision:notices")).context["page"]) == []
    # a bad colour is refused with a message and writes nothing
    with on(DAY):
        refused = logged_in(supervisor).post(
            reverse("supervision:urge_issue", args=[overdue.pk]),
            {"colour": "purple", "message": "x"},
            follow=True,
        )
    assert UrgeNotice.objects.count() == 1
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]


def test_extensions_requested_in_working_days_and_approved_from_the_queue(
    units: Org, supervisor: Person, handler: Person, outsider: Person
) -> None:
    with on(dt.date(2025, 9, 22)):
        problem = make_problem(
            supervisor=supervisor,
            lead_unit=units.plant,
            category=make_category(working_days=True),
            deadline=dt.date(2025, 9, 30),
        )
        ledger.problem_start(user=handler, problem_id=problem.pk)
    form_url = reverse("supervision:extension_request", args=[problem.pk])
    with on(dt.date(2025, 9, 29)):
        assert logged_in(outsider).get(form_url).status_code == 404
        assert logged_in(handler).get(form_url).status_code == 200
        missing = logged_in(handler).post(form_url, {"days": "3", "reason": " "}, follow=True)
        assert not DeadlineExtension.objects.exists()
        assert missing.status_code == 200
        done = logged_in(handler).post(form_url, {"days": "3", "reason": "国庆期间无法施工"})
    assert done.status_code == 302
    extension = DeadlineExtension.objects.get()
    # three working days after 30 September, across the National Day holiday
    assert extension.new_deadline == dt.date(2025, 10, 11)
    queue = logged_in(supervisor).get(reverse("supervision:extensions"))
    assert [e.pk for e in queue.context["extensions"]] == [extension.pk]
    assert logged_in(outsider).get(reverse("supervision:extensions")).status_code == 403  # not a supervisor
    decide = reverse("supervision:extension_decide", args=[problem.pk])
    with on(dt.date(2025, 9, 29)):
        logged_in(outsider).post(decide, {"decision": "approve", "note": "同意"})
        extension.refresh_from_db()
        assert extension.status == "pending"  # refused: not a supervisor over the unit
        logged_in(supervisor).post(decide, {"decision": "approve", "note": "同意"})
    problem.refresh_from_db()
    assert problem.deadline == dt.date(2025, 10, 11)
    assert list(
        problem.events.filter(kind__startswith="problem.extension").values_list("kind", flat=True)
    ) == [
        "problem.extension_requested",
        "problem.extension_approved",
    ]


def test_the_look_back_queue_records_a_regression_with_photos(
    closed_problem: Callable[..., Problem], supervisor: Person, handler: Person
) -> None:
    with on(DAY):
        problem = closed_problem()
    look_back = problem.look_backs.get()
    assert logged_in(handler).get(reverse("supervision:look_backs")).status_code == 403  # not a supervisor
    page = logged_in(supervisor).get(reverse("supervision:look_backs"))
    assert [lb.pk for lb in page.context["look_backs"]] == [look_back.pk]
    url = reverse("supervision:look_back_record", args=[look_back.pk])
    assert logged_in(handler).post(url, {"result": "regressed", "note": "坏了"}).status_code == 403
    with on(DAY + dt.timedelta(days=90)):
        logged_in(supervisor).post(
            url, {"result": "regressed", "note": "又坏了", "photos": [jpeg_upload("b.jpg")]}
        )
    problem.refresh_from_db()
    assert (problem.state, problem.reopen_count) == (State.IN_PROGRESS, 1)


def render_panel(problem: Problem, user: Any) -> str:
    request = RequestFactory().get(f"/problems/{problem.pk}/")
    request.user = user
    template = Template("{% load supervision %}{% supervision_panel problem %}")
    return template.render(Context({"request": request, "problem": problem}))


def test_the_problem_panel_shows_light_notices_and_look_backs_to_those_who_may_see_them(
    overdue: Problem, supervisor: Person, handler: Person, employee: Person
) -> None:
    with on(DAY):
        services.urge_issue(user=supervisor, problem_id=overdue.pk, colour=Colour.RED, message="限期整改")
        supervisor_view = render_panel(overdue, supervisor)
        handler_view = render_panel(overdue, handler)
        public_view = render_panel(overdue, AnonymousUser())
        employee_view = render_panel(overdue, employee)
    assert 'data-light="red"' in supervisor_view and 'data-light="red"' in public_view
    assert 'data-testid="urge-form"' in supervisor_view and 'data-testid="urge-form"' not in handler_view
    assert "data-notice=" in handler_view and 'data-testid="request-extension"' in handler_view
    assert "data-notice=" not in public_view and "data-notice=" not in employee_view
