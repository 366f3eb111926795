"""The ledger front in a real browser: log in, the table's filters and pages, a problem's history, rejecting a
close-out with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.ledger.views import PAGE_SIZE
from taizhang.ledger.workflow import State
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in
from tests.factories import jpeg_upload, raised_problem
from tests.ledger.test_ledger_table import build_ledger


@pytest.mark.django_db(transaction=True)
def test_a_handler_logs_in_and_reads_a_problems_history(
    live_server: Any, page: Page, units: Org, supervisor: Person, employee: Person, handler: Person
) -> None:
    problem, _ = raised_problem(
        supervisor=supervisor, raiser=employee, unit=units.plant, title="13号大圆仓吃水难"
    )
    ledger.problem_start(user=handler, problem_id=problem.pk, note="车间已安排勘测")
    log_in(page, live_server.url, handler.username, PASSWORD)
    page.goto(f"{live_server.url}/ledger/")
    row = page.locator("table.ledger tbody tr", has_text=problem.code)
    expect(row).to_contain_text("13号大圆仓吃水难")
    row.get_by_role("link", name=problem.code).click()
    expect(page.locator("h1")).to_have_text("13号大圆仓吃水难")
    expect(page.locator(".timeline")).to_contain_text("车间已安排勘测")


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_rejects_a_close_out_and_the_handler_reads_why(
    live_server: Any,
    page: Page,
    browser: Browser,
    units: Org,
    supervisor: Person,
    employee: Person,
    handler: Person,
) -> None:
    problem, _ = raised_problem(
        supervisor=supervisor,
        raiser=employee,
        unit=units.plant,
        title="3号澡堂淋浴喷头损坏",
        target_quantity=4,
    )
    ledger.problem_start(user=handler, problem_id=problem.pk)
    ledger.problem_request_closeout(
        user=handler,
        problem_id=problem.pk,
        completion_note="4个喷头全部更换",
        done_quantity=4,
        evidence=[jpeg_upload("after.jpg")],
    )
    reason = "照片只拍到2个喷头，请补充另外2个的整改照片"

    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    expect(page.get_by_test_id("state")).to_have_text("申请销号")
    page.locator("details[data-action=reject] > summary").click()
    page.fill("textarea[name=reject-reason]", reason)
    page.get_by_test_id("do-reject").click()
    # the workflow table: review ──reject (reason required)──▶ in_progress
    expect(page.get_by_test_id("state")).to_have_text("整改中")
    rejected = page.get_by_test_id("timeline").locator("li.event").filter(has_text="销号申请被退回")
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text(reason)
    expect(rejected).to_contain_text("杨朝晖")
    assert Problem.objects.get(pk=problem.pk).state == State.IN_PROGRESS

    unit = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(unit, live_server.url, handler.username, PASSWORD)
    unit.goto(f"{live_server.url}/problems/{problem.pk}/")
    expect(unit.get_by_test_id("state")).to_have_text("整改中")
    expect(
        unit.get_by_test_id("timeline").locator("li.event").filter(has_text="销号申请被退回")
    ).to_contain_text(reason)
    expect(unit.locator("details[data-action=request_closeout]")).to_have_count(1)  # and may ask again


@pytest.mark.django_db(transaction=True)
def test_the_ledger_filters_by_category_and_campaign_and_pages_on(
    live_server: Any, page: Page, units: Org, supervisor: Person, handler: Person
) -> None:
    book = build_ledger(units, supervisor, handler)  # 57 lamp items in the campaign, 4 other items
    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/ledger/")
    expect(page.get_by_test_id("ledger-count")).to_have_text("共 61 项")
    filters = page.get_by_test_id("ledger-filters")
    filters.locator("select[name=category]").select_option(label="路灯照明")
    filters.locator("select[name=campaign]").select_option(label="群众路线教育实践活动")
    filters.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("ledger-count")).to_have_text("共 57 项")
    rows = page.get_by_test_id("ledger-table").locator("tbody tr")
    expect(rows).to_have_count(PAGE_SIZE)
    expect(rows.first).to_have_attribute("data-code", book.late_lamps[-1].code)  # the earliest deadline
    page.locator("nav.pager").get_by_role("link", name="下一页").click()
    expect(page.locator("nav.pager")).to_contain_text("2 / 2")
    expect(page.get_by_test_id("ledger-count")).to_have_text("共 57 项")
    shown = [row.get_attribute("data-code") for row in rows.all()]
    assert shown == [problem.code for problem in book.lamps[PAGE_SIZE - 4 :]]
    # the filters hold on page 2
    expect(filters.locator("select[name=category]")).to_have_value(str(book.lamp.pk))
    expect(filters.locator("select[name=campaign]")).to_have_value(str(book.campaign.pk))
