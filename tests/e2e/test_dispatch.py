"""Smart dispatch in a real browser: the triage page shows the suggestion and why; one click on "accept"
fills the triage form, and creating the problem files it with the suggested category and lead unit. A
hotline's file imported from the desk brings its opinions with their suggestions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from taizhang.core import clock
from taizhang.dispatch import services
from taizhang.intake import services as intake
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.dispatch.conftest import Dispatch, build_history, make_dispatch_org
from tests.e2e.conftest import log_in
from tests.excel.test_opinion_import import workbook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(units: Org, supervisor: Person) -> Dispatch:
    """The service units and categories, a triaged history, and a model trained on it."""
    made = make_dispatch_org(units)
    build_history(made, supervisor, per_class=10)
    services.model_train()
    return made


def test_accepting_the_suggestion_is_one_click(
    live_server: Any, page: Page, units: Org, supervisor: Person, world: Dispatch
) -> None:
    opinion = intake.opinion_submit(
        user=None,
        data=intake.OpinionInput(
            text="班车司机开车太快，早上的班车还经常晚点", place_text="班车站", anonymous=True
        ),
    )
    bus, fleet = world.categories["交通班车"], world.units["车队"]

    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/triage/{opinion.pk}/")
    box = page.get_by_test_id("dispatch-suggestion")
    expect(box.get_by_test_id("dispatch-category")).to_have_text("交通班车")
    expect(box.get_by_test_id("dispatch-unit")).to_have_text("车队")
    expect(box.locator("mark").first).to_be_visible()
    expect(box.get_by_test_id("dispatch-neighbours")).to_be_visible()
    expect(page.locator("#id_new-lead_unit")).to_have_value(str(units.root.pk))

    box.get_by_test_id("dispatch-accept").click()

    expect(page.locator("#id_new-category")).to_have_value(str(bus.pk))
    expect(page.locator("#id_new-lead_unit")).to_have_value(str(fleet.pk))
    page.get_by_test_id("decide-create").click()
    page.wait_for_url(f"{live_server.url}/triage/")
    problem = Problem.objects.get(opinions=opinion)
    assert problem.category == bus and problem.lead_unit == fleet


@pytest.mark.usefixtures("world")
def test_a_hotlines_file_imported_from_the_desk_arrives_with_its_suggestions(
    live_server: Any, page: Page, supervisor: Person
) -> None:
    yesterday = (clock.now() - dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    data = workbook(
        [("GD-7", yesterday, "食堂的饭菜太咸了，而且菜价又涨了", "", "", "", "是")],
    )

    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/triage/")
    page.get_by_test_id("import-opinions").click()
    form = page.get_by_test_id("import-opinions-form")
    form.locator("input[type=file]").set_input_files(
        {"name": "12345工单.xlsx", "mimeType": "application/octet-stream", "buffer": data}
    )
    form.get_by_role("button", name="检查并导入").click()
    report = page.get_by_test_id("import-opinions-report")
    expect(report.get_by_test_id("created")).to_contain_text("1")
    report.get_by_role("link", name="前往分拣台").click()
    page.get_by_role("link", name="食堂的饭菜太咸了").click()
    box = page.get_by_test_id("dispatch-suggestion")
    expect(box.get_by_test_id("dispatch-unit")).to_have_text("餐饮中心")
    expect(box.get_by_test_id("dispatch-category")).to_have_text("食堂饮食")
