"""Export then import reproduces the ledger.

- Into the same database: every row is found again (by its problem code) and nothing changes — no new
  item, no new event, the same versions.
- Into an empty ledger (same organisation and categories): the same content, cell for cell, except what a
  spreadsheet cannot carry and the import therefore maps as documented in docs/excel.md:
  问题编号 (new codes), 整改状态 申请销号 / 公示中 / 已销号 → 整改中 and 退回 → 已立项, 销号时间 (empty) and
  群众满意度 (empty: ratings come from the raisers).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from taizhang.excel.exports import ledger_export
from taizhang.excel.mapping import EXPORT_COLUMNS
from taizhang.excel.models import RowAction
from taizhang.intake.models import Opinion
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import CodeSequence, DeadlineExtension, Event, Evidence, Problem, Rating, Support
from taizhang.ledger.selectors import LedgerFilter
from taizhang.org.models import Person
from tests.conftest import Org
from tests.excel.builders import first_sheet
from tests.excel.conftest import run_import
from tests.excel.ledger import build_ledger

pytestmark = pytest.mark.django_db

NAMES = [name for name, _field in EXPORT_COLUMNS]
#: What a fresh import writes in 整改状态 for what the export wrote.
STATE_AFTER_FRESH_IMPORT = {
    "已立项": "已立项",
    "整改中": "整改中",
    "申请销号": "整改中",
    "公示中": "整改中",
    "已销号": "整改中",
    "退回": "已立项",
    "中止": "中止",
}


@pytest.fixture
def ledger(
    units: Org, supervisor: Person, employee: Person, handler: Person, leader: Person, leader2: Person
) -> None:
    build_ledger(
        units=units, supervisor=supervisor, employee=employee, handler=handler, leader=leader, leader2=leader2
    )


def export(user: Person, fmt: str) -> bytes:
    buffer = io.BytesIO()
    ledger_export(user, LedgerFilter(), fmt, buffer)
    return buffer.getvalue()


def table(data: bytes) -> list[dict[str, Any]]:
    sheet = first_sheet(load_workbook(io.BytesIO(data)))
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[1]) == NAMES
    return [dict(zip(NAMES, row, strict=True)) for row in rows[2:]]


def chain_state() -> dict[int, tuple[int, int, str]]:
    return {p.pk: (p.version, p.event_count, p.head_hash) for p in Problem.objects.all()}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_importing_an_export_into_the_same_database_changes_nothing(
    ledger: None, supervisor: Person, fmt: str
) -> None:
    before = chain_state()
    events = Event.objects.count()
    data = export(supervisor, fmt)
    run = run_import(supervisor, data, f"台账.{fmt}")
    assert run.outcome.aborted is None and run.outcome.report.written
    assert [result.action for result in run.sink.results] == [RowAction.UNCHANGED] * len(before)
    assert chain_state() == before and Event.objects.count() == events
    assert list(verify_chains()) == []


def empty_everything_that_refers_to_the_ledger() -> None:
    """A fresh database for the demo's organisation: no problems, opinions or events, nor anything that
    points at them (visits' opinions, urge notices, look-backs …), found by the foreign keys."""
    from django.apps import apps

    core = {Problem, Opinion, Event}
    referring = [
        model
        for model in apps.get_models()
        if model not in core
        and any(getattr(f, "related_model", None) in core for f in model._meta.get_fields() if f.concrete)
    ]
    # raw deletes: no collector refusing because of what still points at the rows
    for model in referring:
        model._base_manager.all()._raw_delete(model._base_manager.db)
    for model in (
        Rating,
        Support,
        Evidence,
        DeadlineExtension,
        Opinion,
        Event,
        Problem.assisting_units.through,
        Problem,
        CodeSequence,
    ):
        model._base_manager.all()._raw_delete(model._base_manager.db)


def test_importing_an_export_into_an_empty_ledger_reproduces_it(ledger: None, supervisor: Person) -> None:
    data = export(supervisor, "xlsx")
    original = table(data)
    assert {row["整改状态"] for row in original} == set(STATE_AFTER_FRESH_IMPORT)  # every state is covered
    empty_everything_that_refers_to_the_ledger()
    run = run_import(supervisor, data, "台账.xlsx")
    assert run.outcome.aborted is None, run.outcome.aborted
    assert [result.action for result in run.sink.results] == [RowAction.CREATE] * len(original)
    flagged = {row["序号"] + 2 for row in original if row["整改状态"] in ("申请销号", "公示中", "已销号")}
    assert {
        r.row for r in run.sink.results if any("close it out" in i["message"] for i in r.issues)
    } == flagged
    reproduced = table(export(supervisor, "xlsx"))
    assert len(reproduced) == len(original)
    for before, after in zip(original, reproduced, strict=True):
        expected = dict(before)
        expected["整改状态"] = STATE_AFTER_FRESH_IMPORT[before["整改状态"]]
        expected["销号时间"] = None
        expected["群众满意度"] = None
        expected["问题编号"] = after["问题编号"]
        assert after == expected
    assert list(verify_chains()) == []
    # and the reproduced ledger, imported again, is found again: nothing duplicated
    again = run_import(supervisor, data, "台账.xlsx")
    assert {result.action for result in again.sink.results} == {RowAction.UNCHANGED}
    assert Problem.objects.count() == len(original)


@pytest.mark.slow
def test_the_demo_ledger_round_trips() -> None:
    """The article's ledger: exported, imported into the same database (nothing changes), then into an
    empty ledger (the same content, states mapped as documented)."""
    from taizhang.demo.loader import load_demo

    load_demo()
    admin = Person.objects.get(username="admin")
    data = export(admin, "xlsx")
    original = table(data)
    assert len(original) == Problem.objects.count() >= 40
    before = chain_state()
    same = run_import(admin, data, "中铝山西企业整改台账.xlsx")
    assert [result.action for result in same.sink.results] == [RowAction.UNCHANGED] * len(original)
    assert chain_state() == before

    empty_everything_that_refers_to_the_ledger()
    fresh = run_import(admin, data, "中铝山西企业整改台账.xlsx")
    assert fresh.outcome.aborted is None, fresh.outcome.aborted
    reproduced = {row["问题描述"]: row for row in table(export(admin, "xlsx"))}
    assert len(reproduced) == len(original)
    for row in original:
        after = reproduced[row["问题描述"]]
        expected = {
            **row,
            "整改状态": STATE_AFTER_FRESH_IMPORT[row["整改状态"]],
            "销号时间": None,
            "群众满意度": None,
            "问题编号": after["问题编号"],
            "序号": after["序号"],
        }
        assert after == expected
    assert list(verify_chains()) == []
