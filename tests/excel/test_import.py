"""Importing messy ledgers: the check (dry run), all-or-nothing and valid-rows-only imports, names, states,
re-imports, and the event chain afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from taizhang.core import clock
from taizhang.core.errors import InvalidInput, NotPermitted
from taizhang.excel.models import ImportMode, RowAction
from taizhang.ledger.integrity import verify_chains
from taizhang.ledger.models import Event, Problem
from taizhang.ledger.workflow import State
from taizhang.org.models import Person, Unit
from tests.conftest import Org
from tests.excel.builders import HEADER, first_sheet, messy_workbook, simple_workbook, to_bytes
from tests.excel.conftest import Categories, run_import

pytestmark = pytest.mark.django_db

ITEM_ROWS = [5, 6, 7, 10, 11, 12, 13, 14, 15, 16]


@pytest.fixture
def people(leader: Person, handler: Person, leader2: Person) -> dict[str, Person]:
    return {"leader": leader, "handler": handler, "leader2": leader2}


def test_the_check_lists_every_item_and_writes_nothing(
    units: Org, supervisor: Person, categories: Categories, people: dict[str, Person]
) -> None:
    run = run_import(supervisor, to_bytes(messy_workbook()), dry_run=True)
    assert sorted(run.sink.by_row()) == ITEM_ROWS  # title, filler, header, sections, blank and note skipped
    assert {result.action for result in run.sink.results} == {RowAction.CREATE}
    assert run.outcome.report.counts["skipped_section"] == 2
    assert run.outcome.report.counts["skipped_blank"] == 1
    assert run.outcome.report.counts["skipped_note"] == 1
    assert not Problem.objects.exists()
    # 已完成 in the file: flagged, not closed
    assert any("已完成" in issue["message"] for issue in run.row(7).issues)


def test_a_messy_ledger_imports_as_people_meant_it(
    units: Org, supervisor: Person, categories: Categories, people: dict[str, Person]
) -> None:
    with clock.frozen_at(dt.datetime(2014, 9, 5, 10, tzinfo=dt.UTC)):
        run = run_import(supervisor, to_bytes(messy_workbook()))
    assert run.outcome.aborted is None, run.outcome.aborted
    assert run.outcome.report.written
    problems = {
        p.title: p for p in Problem.objects.select_related("lead_unit", "leader", "owner", "category")
    }
    assert len(problems) == 10
    meetings = problems["会议多、文件多"]  # trailing space gone
    assert meetings.lead_unit == units.plant and meetings.leader == people["leader"]
    assert meetings.owner == people["handler"]
    assert meetings.category == categories.formalism  # from the section row 一、形式主义方面
    assert meetings.deadline == dt.date(2014, 9, 30) and meetings.state == State.OPEN
    # 责任部门 and 分管领导 were merged down over three rows: each item has them
    for title in ("检查评比过多", "调研走过场"):
        assert problems[title].lead_unit == units.plant
        assert problems[title].leader == people["leader"]
    inspections = problems["检查评比过多"]
    assert inspections.deadline == dt.date(2014, 9, 30)  # full-width ２０１４.９.３０
    assert inspections.state == State.IN_PROGRESS and inspections.done_quantity == 5
    assert inspections.events.filter(kind="problem.progress", note="已清理5项").exists()
    # 已完成 in the file: in progress, with its progress note and quantity, never closed
    done = problems["调研走过场"]
    assert done.state == State.IN_PROGRESS and done.closed_at is None
    assert (done.done_quantity, done.target_quantity, done.measure_word) == (12, 20, "个")
    flagged = done.events.get(kind="problem.progress")
    assert flagged.payload["imported"]["file_state"] == "已完成"
    assert flagged.payload["imported"]["file_closed_on"] == "2014-10-08"
    assert flagged.actor == supervisor and flagged.actor_role == "system"
    # the second section
    assert problems["办事效率低"].category == categories.bureaucratism
    assert problems["办事效率低"].lead_unit == units.workshop
    assert problems["审批环节多"].deadline == dt.date(2014, 10, 31)  # an Excel date cell
    lamps = problems["路灯不亮"]
    assert lamps.category == categories.lamps  # its own 问题类别 beats the section
    assert lamps.deadline == dt.date(2014, 9, 30)  # 9月底前, the ledger's year from the title
    assert (lamps.done_quantity, lamps.target_quantity, lamps.measure_word) == (30, 40, "盏")
    assert problems["门难进脸难看"].deadline == dt.date(2014, 10, 20)  # 10月中旬
    assert problems["制度落实不到位"].is_long_term and problems["制度落实不到位"].deadline is None
    water = problems["厂区积水"]
    assert water.deadline == dt.date(2014, 9, 5)  # 立行立改: the day of the import
    assert water.state == State.CANCELLED  # 中止
    assert problems["澡堂热水不足"].deadline == dt.date(2014, 10, 1)
    assert list(verify_chains()) == []


def test_the_event_chains_verify_after_an_import(
    units: Org, supervisor: Person, categories: Categories, people: dict[str, Person]
) -> None:
    run_import(supervisor, to_bytes(messy_workbook()))
    call_command("verify")  # exits 1 (SystemExit) on a broken chain
    assert Event.objects.filter(kind="problem.created").count() == 10


def row_of(**values: object) -> list[object]:
    defaults: dict[str, object] = {
        "序号": 1,
        "问题来源": "座谈会",
        "存在问题": "路灯不亮",
        "问题类别": "路灯照明",
        "整改措施": "修复",
        "责任部门": "第一氧化铝厂",
        "分管领导": "原卫平",
        "责任人": "侯同义",
        "完成时限": "2014-9-30",
        "进展情况": "",
        "完成数量": None,
        "整改状态": "",
        "销号时间": None,
        "群众满意度": None,
    }
    defaults.update(values)
    return [defaults[name] for name in HEADER]


@pytest.fixture
def bad_file(units: Org, categories: Categories, people: dict[str, Person]) -> bytes:
    return simple_workbook(
        [
            row_of(序号=1, 存在问题="甲"),
            row_of(序号=2, 存在问题="乙", 完成时限="尽快"),
            row_of(序号=3, 存在问题="丙", 责任部门="第一氧化铝场"),
            row_of(序号=4, 存在问题="丁", 分管领导="原卫萍"),
            row_of(序号=5, 存在问题="戊"),
        ]
    )


def test_every_error_names_row_column_and_reason(supervisor: Person, bad_file: bytes) -> None:
    run = run_import(supervisor, bad_file, dry_run=True)
    assert [run.row(n).action for n in (3, 4, 5, 6, 7)] == ["create", "error", "error", "error", "create"]
    (date_error,) = run.row(4).issues
    assert date_error["column"] == "I（完成时限）" and "“尽快”" in date_error["message"]
    (unit_error,) = run.row(5).issues
    assert unit_error["column"] == "F（责任部门）"
    assert "第一氧化铝场" in unit_error["message"] and "第一氧化铝厂" in unit_error["message"]  # suggested
    (person_error,) = run.row(6).issues
    assert person_error["column"] == "G（分管领导）" and "原卫平" in person_error["message"]


def test_all_or_nothing_writes_nothing_when_one_row_is_wrong(supervisor: Person, bad_file: bytes) -> None:
    run = run_import(supervisor, bad_file)
    assert run.outcome.aborted is not None and run.outcome.aborted.row == 4
    assert not run.outcome.report.written
    assert not Problem.objects.exists()


def test_valid_rows_only_imports_the_good_ones(supervisor: Person, bad_file: bytes) -> None:
    run = run_import(supervisor, bad_file, mode=ImportMode.VALID_ONLY)
    assert run.outcome.report.written
    assert sorted(Problem.objects.values_list("title", flat=True)) == ["戊", "甲"]
    assert run.outcome.report.errors == 3
    assert run.row(3).code and Problem.objects.get(code=run.row(3).code).title == "甲"


def test_unknown_names_are_created_when_asked(
    units: Org, supervisor: Person, categories: Categories, people: dict[str, Person]
) -> None:
    data = simple_workbook([row_of(责任部门="新建车间", 分管领导="王新", 问题类别="新类别")])
    check = run_import(supervisor, data, dry_run=True, create_missing=True)
    assert check.row(3).action == "create"
    assert {issue["level"] for issue in check.row(3).issues} == {"warning"}
    assert not Unit.objects.filter(name="新建车间").exists()  # the check creates nothing
    run_import(supervisor, data, create_missing=True)
    problem = Problem.objects.select_related("lead_unit", "leader", "category").get()
    assert problem.lead_unit.name == "新建车间" and problem.lead_unit.parent == units.root
    assert problem.leader is not None and problem.leader.name == "王新"
    assert problem.category.name == "新类别"


def test_reimporting_the_same_file_updates_instead_of_duplicating(
    units: Org, supervisor: Person, categories: Categories, people: dict[str, Person]
) -> None:
    data = to_bytes(messy_workbook())
    run_import(supervisor, data)
    before = {p.pk: (p.version, p.event_count) for p in Problem.objects.all()}
    again = run_import(supervisor, data)
    assert {result.action for result in again.sink.results} == {RowAction.UNCHANGED}
    assert {p.pk: (p.version, p.event_count) for p in Problem.objects.all()} == before
    # the office updates its spreadsheet: a deadline moved, progress made, an item started
    workbook = messy_workbook()
    sheet = first_sheet(workbook)
    sheet["I5"] = "2014年10月15日"
    sheet["J5"] = "已召开专题会"
    sheet["L5"] = "整改中"
    sheet["J12"] = "已修复40盏"
    sheet["K12"] = "40/40盏"
    updated = run_import(supervisor, to_bytes(workbook))
    assert updated.row(5).action == "update" and updated.row(12).action == "update"
    assert Problem.objects.count() == 10
    meetings = Problem.objects.get(title="会议多、文件多")
    assert meetings.deadline == dt.date(2014, 10, 15) and meetings.state == State.IN_PROGRESS
    assert meetings.events.filter(kind="problem.progress", note="已召开专题会").exists()
    assert Problem.objects.get(title="路灯不亮").done_quantity == 40
    assert list(verify_chains()) == []


def test_only_supervisors_of_the_unit_may_import(
    units: Org, outsider: Person, handler: Person, categories: Categories, people: dict[str, Person]
) -> None:
    data = simple_workbook([row_of()])
    with pytest.raises(NotPermitted):
        run_import(handler, data)
    sibling_supervisor = Person.objects.get(username=outsider.username)
    from taizhang.org import services as org
    from taizhang.org.models import Role

    org.role_grant(person=sibling_supervisor, role=Role.SUPERVISOR, unit=units.sibling)
    run = run_import(sibling_supervisor, data, dry_run=True)
    assert run.row(3).action == "error" and "do not supervise" in run.row(3).issues[0]["message"]


def test_a_file_without_a_header_is_refused(supervisor: Person) -> None:
    with pytest.raises(InvalidInput, match="header"):
        run_import(supervisor, simple_workbook([["a", "b"]], header=("甲", "乙")), dry_run=True)


def _ledger() -> set[tuple[object, ...]]:
    return {
        (
            p.title,
            p.lead_unit.name,
            p.leader.name if p.leader else "",
            p.category.name,
            p.deadline,
            p.is_long_term,
            p.state,
            p.done_quantity,
            p.target_quantity,
        )
        for p in Problem.objects.select_related("lead_unit", "leader", "category")
    }


@pytest.mark.parametrize("form", ["xls", "csv-gbk", "csv-utf8"])
def test_the_same_ledger_from_xls_and_csv_imports_the_same(
    form: str, units: Org, supervisor: Person, categories: Categories, people: dict[str, Person]
) -> None:
    from pathlib import Path

    from tests.excel.builders import messy_csv

    moment = dt.datetime(2014, 9, 5, 10, tzinfo=dt.UTC)
    with clock.frozen_at(moment):
        run_import(supervisor, to_bytes(messy_workbook()))
    expected = _ledger()
    Problem.objects.update(external_ref=None)  # forget the first import, so the second creates again
    data, name = {
        "xls": ((Path(__file__).parent / "fixtures" / "messy.xls").read_bytes(), "台账.xls"),
        "csv-gbk": (messy_csv("gbk"), "台账.csv"),
        "csv-utf8": (messy_csv("utf-8-sig"), "台账.csv"),
    }[form]
    ids = set(Problem.objects.values_list("pk", flat=True))
    with clock.frozen_at(moment):
        run = run_import(supervisor, data, name)
    assert run.outcome.aborted is None, run.outcome.aborted
    second = Problem.objects.exclude(pk__in=ids)
    Problem.objects.filter(pk__in=ids).update(title="old")
    assert second.count() == 10
    assert {row for row in _ledger() if row[0] != "old"} == expected
