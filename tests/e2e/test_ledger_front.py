"""The minimal front in a real browser: log in, see the ledger, open a problem and its history."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in
from tests.factories import raised_problem


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
