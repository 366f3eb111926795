"""Smart dispatch in a real browser: the triage page shows the suggestion and why; one click on "accept"
fills the triage form, and creating the problem files it with the suggested category and lead unit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from taizhang.dispatch import services
from taizhang.intake import services as intake
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.dispatch.conftest import build_history, make_dispatch_org
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_accepting_the_suggestion_is_one_click(
    live_server: Any, page: Page, units: Org, supervisor: Person
) -> None:
    world = make_dispatch_org(units)
    build_history(world, supervisor, per_class=10)
    services.model_train()
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
