"""Import a messy ledger in a real browser: upload → mapping → check (preview) → import, with the progress
bar; then export what was imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.e2e.conftest import log_in
from tests.excel.builders import messy_workbook
from tests.factories import make_category


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_checks_and_imports_a_ledger(
    live_server: Any,
    page: Page,
    tmp_path: Path,
    units: Org,
    supervisor: Person,
    leader: Person,
    handler: Person,
) -> None:
    for name in ("形式主义", "官僚主义", "路灯照明"):
        make_category(name=name)
    ledger_file = tmp_path / "2014年整改台账.xlsx"
    messy_workbook().save(ledger_file)
    log_in(page, live_server.url, supervisor.username, PASSWORD)
    page.goto(f"{live_server.url}/excel/import/")
    page.set_input_files("input[name=file]", str(ledger_file))
    page.click("main form.upload button[type=submit]")
    # the mapping, as detected: 存在问题 is the description, 责任部门 the unit
    expect(page.locator("select[name=column_2]")).to_have_value("description")
    expect(page.locator("select[name=column_5]")).to_have_value("unit")
    expect(page.locator("input[name=year]")).to_have_value("2014")
    page.click("#check-file")
    # the preview: every row's plan, nothing written yet
    expect(page.locator(".summary h2")).to_be_visible()
    expect(page.locator("table.results")).to_contain_text("会议多、文件多")
    expect(page.locator("table.results")).to_contain_text("已完成")  # the flagged row's warning
    expect(page.locator(".job-progress .bar")).to_have_attribute("style", "width: 100%")
    assert Problem.objects.count() == 0
    page.click("#run-import")
    expect(page.locator(".job-progress")).to_have_attribute("data-status", "done")
    expect(page.locator(".job-progress .progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator(".counts")).to_contain_text("10")
    assert Problem.objects.count() == 10
    # and back out again, as the ledger table's export link would
    with page.expect_download() as download:
        page.evaluate("window.location.href = '/excel/export/?state=in_progress'")
    assert download.value.suggested_filename.endswith(".xlsx")
