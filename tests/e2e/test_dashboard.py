"""The dashboard in a real browser: every chart draws on a canvas, and its table shows the same numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from taizhang.core import clock
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import make_category, make_opinion, make_problem


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_draws_its_charts_and_shows_their_numbers(
    live_server: Any, page: Page, units: Org, supervisor: Person, employee: Person
) -> None:
    lamps = make_category(name="路灯照明")
    with clock.frozen_at(dt.datetime(2014, 3, 3, 2, tzinfo=dt.UTC)):
        for _ in range(3):
            make_problem(
                supervisor=supervisor, lead_unit=units.plant, category=lamps, deadline=dt.date(2014, 4, 1)
            )
        make_opinion(user=employee, unit=units.plant)
    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/reports/?start=2014-01-01&end=2014-06-30")
    for key in ("funnel", "flow", "ranking", "lights", "satisfaction", "expenses"):
        card = page.locator(f'.chart-card[data-chart="{key}"]')
        expect(card).to_have_attribute("data-loaded", "1")
        expect(card.locator(".chart canvas")).to_have_count(1)
    # the three items were due 04-01 and are still open: 解决率 0 %, three overdue
    expect(page.locator('[data-kpi="resolution"]')).to_have_text("0%")
    expect(page.locator('[data-kpi="overdue"]')).to_have_text("3")
    funnel = page.locator('.chart-card[data-chart="funnel"]')
    expect(funnel.locator("table")).to_be_hidden()
    funnel.locator(".table-toggle").click()
    expect(funnel.locator("table")).to_be_visible()
    expect(funnel.locator(".chart")).to_be_hidden()
    rows = funnel.locator("table tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("1")  # one opinion received
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("3")  # three problems listed
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(Path(ARTIFACTS) / "dashboard.png"), full_page=True)
