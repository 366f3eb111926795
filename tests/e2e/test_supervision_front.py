"""Urging in a real browser: the supervisor issues a red notice from the urge desk; the unit's handler finds
it among their notifications and answers it on the notice."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from taizhang.supervision.models import UrgeNotice
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in
from tests.factories import make_problem

SCREENSHOTS = os.environ.get("TAIZHANG_SCREENSHOTS", "")


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_urges_and_the_unit_answers(
    live_server: Any, page: Page, browser: Browser, units: Org, supervisor: Person, handler: Person
) -> None:
    # The live server runs on the real clock: an item one day overdue today.
    problem = make_problem(
        supervisor=supervisor,
        lead_unit=units.plant,
        deadline=clock.today() - dt.timedelta(days=1),
        title="职工食堂排烟不畅",
        target_quantity=2,
    )
    ledger.problem_start(user=handler, problem_id=problem.pk)

    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/supervision/")
    row = page.locator(f"tr[data-problem='{problem.pk}']")
    expect(row.locator("[data-light]")).to_have_attribute("data-light", "red")
    row.locator("select[name=colour]").select_option("red")
    row.locator("input[name=message]").fill("限三日内整改到位")
    shot(page, "urge-desk")
    row.locator("button[type=submit]").click()
    expect(page.get_by_test_id("urge-notice")).to_contain_text("限三日内整改到位")
    notice = UrgeNotice.objects.get(problem=problem)

    unit = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(unit, live_server.url, handler.username, PASSWORD)
    unit.goto(f"{live_server.url}/supervision/notifications/")
    expect(unit.get_by_test_id("unread")).to_have_text("1")
    shot(unit, "notifications")
    unit.locator(f"a[href='/supervision/notices/{notice.pk}/']").click()
    unit.fill("textarea[name=reply]", "已更换排烟风机，周三完工")
    unit.locator("main form button[type=submit]").last.click()
    expect(unit.get_by_test_id("reply")).to_have_text("已更换排烟风机，周三完工")
    shot(unit, "notice-answered")
    notice.refresh_from_db()
    assert notice.replied_by == handler
    assert problem.events.filter(kind="problem.urge_replied").count() == 1
    unit.context.close()
