"""In a real browser: while a person types an opinion, a listed problem that says the same is offered, and
"me too" makes them one of its raisers instead of adding a duplicate."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from taizhang.intake.models import Opinion
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in
from tests.factories import make_problem


@pytest.mark.django_db(transaction=True)
def test_typing_an_opinion_offers_me_too_on_the_same_problem(
    live_server: Any, page: Page, units: Org, supervisor: Person, employee: Person
) -> None:
    lamp = make_problem(supervisor=supervisor, lead_unit=units.plant, title="2号宿舍楼路灯不亮")
    log_in(page, live_server.url, employee.username, PASSWORD)
    page.goto(f"{live_server.url}/submit/")
    page.locator("textarea[name=text]").press_sequentially("2号宿舍楼门口的路灯坏了", delay=20)
    offer = page.locator("[data-testid=similar] li", has_text=lamp.code)
    expect(offer).to_be_visible()
    offer.locator("[data-testid=similar-me-too] button.primary").click()
    expect(page.locator("h1")).to_have_text("2号宿舍楼路灯不亮")
    joined = Opinion.objects.get(problem=lamp, submitter=employee)
    assert joined.text == "2号宿舍楼门口的路灯坏了"
    assert Opinion.objects.filter(submitter=employee).count() == 1  # no duplicate opinion was made
