"""Re-importing an edited export: what an import may change on items already listed, and what it refuses."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from taizhang.excel.exports import ledger_export
from taizhang.excel.models import ImportMode, RowAction
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Problem
from taizhang.ledger.selectors import LedgerFilter
from taizhang.ledger.workflow import State
from taizhang.org import services as org
from taizhang.org.models import Person
from tests.conftest import Org
from tests.excel.builders import HEADER, first_sheet, simple_workbook, to_bytes
from tests.excel.conftest import Categories, run_import
from tests.excel.ledger import Ledger, build_ledger
from tests.excel.test_import import row_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(
    units: Org, supervisor: Person, employee: Person, handler: Person, leader: Person, leader2: Person
) -> Ledger:
    return build_ledger(
        units=units, supervisor=supervisor, employee=employee, handler=handler, leader=leader, leader2=leader2
    )


def exported(user: Person) -> tuple[Workbook, dict[str, int]]:
    buffer = io.BytesIO()
    ledger_export(user, LedgerFilter(), "xlsx", buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = first_sheet(workbook)
    rows = {str(sheet.cell(row=number, column=15).value): number for number in range(3, sheet.max_row + 1)}
    return workbook, rows


def test_an_edited_export_updates_its_items(ledger: Ledger, supervisor: Person, leader2: Person) -> None:
    workbook, rows = exported(supervisor)
    sheet = first_sheet(workbook)
    opened, working = ledger.problems["open"], ledger.problems["working"]
    sheet[f"B{rows[opened.code]}"] = "12345热线"
    sheet[f"G{rows[opened.code]}"] = "李庆红、原卫平"  # several names: the first is kept
    sheet[f"L{rows[opened.code]}"] = "整改中"
    sheet[f"J{rows[working.code]}"] = "已整修4间"
    sheet[f"K{rows[working.code]}"] = "4/4间"
    sheet[f"L{rows[ledger.problems['returned'].code]}"] = "中止"
    run = run_import(supervisor, to_bytes(workbook))
    assert run.outcome.aborted is None, run.outcome.aborted
    opened.refresh_from_db()
    assert (opened.source, opened.leader, opened.state) == ("12345热线", leader2, State.IN_PROGRESS)
    assert any("only the first" in issue["message"] for issue in run.row(rows[opened.code]).issues)
    working.refresh_from_db()
    assert working.done_quantity == 4
    assert working.events.filter(kind="problem.progress", note="已整修4间", actor_role="system").exists()
    returned = Problem.objects.get(pk=ledger.problems["returned"].pk)
    assert returned.state == State.CANCELLED
    assert run.row(rows[ledger.problems["closed"].code]).action == RowAction.UNCHANGED
    assert list(verify_chains()) == []


def test_what_an_import_refuses_to_change(ledger: Ledger, supervisor: Person, units: Org) -> None:
    workbook, rows = exported(supervisor)
    sheet = first_sheet(workbook)
    closed, working, opened = ledger.problems["closed"], ledger.problems["working"], ledger.problems["open"]
    sheet[f"I{rows[closed.code]}"] = "2030年1月1日"  # a closed item's deadline
    sheet[f"F{rows[working.code]}"] = "第一氧化铝厂"  # another unit
    sheet[f"L{rows[opened.code]}"] = "已销号"  # closed in the file
    run = run_import(supervisor, to_bytes(workbook), mode=ImportMode.VALID_ONLY)
    closed_result = run.row(rows[closed.code])
    assert closed_result.action == RowAction.ERROR and "cannot change" in closed_result.issues[0]["message"]
    unit_result = run.row(rows[working.code])
    assert unit_result.action == RowAction.ERROR and "reassigns it" in unit_result.issues[0]["message"]
    opened_result = run.row(rows[opened.code])
    assert opened_result.action == RowAction.UPDATE and "close it out" in opened_result.issues[0]["message"]
    assert Problem.objects.get(pk=opened.pk).state == State.IN_PROGRESS  # started, never closed
    assert Problem.objects.get(pk=closed.pk).deadline == closed.deadline
    assert Problem.objects.get(pk=working.pk).lead_unit == units.workshop


def test_a_code_of_another_item_is_refused(ledger: Ledger, supervisor: Person) -> None:
    other = ledger.problems["working"]  # in 原料车间; the row says 第一氧化铝厂
    rows = [[*row_of(存在问题="另一个问题"), other.code]]
    run = run_import(supervisor, simple_workbook(rows, header=[*HEADER, "问题编号"]), dry_run=True)
    (issue,) = run.row(3).issues
    assert issue["column"].startswith("F") and other.code in issue["message"]
    assert "remove its problem code" in issue["message"]


def test_units_of_the_same_name_must_be_told_apart(
    units: Org, supervisor: Person, categories: Categories, leader: Person, handler: Person
) -> None:
    org.unit_create(name="机修班", code="jx1", parent=units.plant)
    org.unit_create(name="机修班", code="jx2", parent=units.sibling)
    run = run_import(supervisor, simple_workbook([row_of(责任部门="机修班")]), dry_run=True)
    (issue,) = run.row(3).issues
    assert "Several units" in issue["message"] and "第一氧化铝厂" in issue["message"]
    # a supervisor of one plant only means his 机修班
    local = org.person_create(username="local", name="本厂督导", unit=units.plant, password="x" * 12)
    from taizhang.org.models import Role

    org.role_grant(person=local, role=Role.SUPERVISOR, unit=units.plant)
    assert (
        run_import(local, simple_workbook([row_of(责任部门="机修班")]), dry_run=True).row(3).action
        == "create"
    )
