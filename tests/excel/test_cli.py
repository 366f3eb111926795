"""`taizhang import-ledger` and `taizhang export-ledger`, through the real entry point (the dash alias)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connections
from openpyxl import load_workbook

from taizhang.config.cli import main
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import Org
from tests.excel.builders import first_sheet, messy_workbook, simple_workbook, to_bytes
from tests.excel.conftest import Categories
from tests.excel.test_import import row_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`taizhang CMD` closes the database connections when the command ends (Django's run_from_argv), which
    on PostgreSQL would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def names(leader: Person, handler: Person, categories: Categories) -> None:
    return None


def test_import_ledger_checks_then_imports(
    tmp_path: Path, units: Org, supervisor: Person, names: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(to_bytes(messy_workbook()))
    main(["import-ledger", str(path), "--user", supervisor.username, "--dry-run"])
    out = capsys.readouterr()
    assert "header in row 3" in out.out and "存在问题 → description" in out.out
    assert "17 rows read: 10 to create, 0 to update" in out.out
    assert "checking" in out.err and "100%" in out.err  # the progress bar
    assert not Problem.objects.exists()
    main(["import-ledger", str(path), "--user", supervisor.username])
    out = capsys.readouterr()
    assert "17 rows read: 10 created" in out.out and "importing" in out.err
    assert Problem.objects.count() == 10


def test_import_ledger_reports_errors_and_exits_1(
    tmp_path: Path, units: Org, supervisor: Person, names: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(simple_workbook([row_of(序号=1), row_of(序号=2, 完成时限="下个月")]))
    with pytest.raises(SystemExit) as exited:
        main(["import-ledger", str(path), "--user", supervisor.username])
    assert exited.value.code == 1
    out = capsys.readouterr()
    assert "row 4, I（完成时限）: “下个月”" in out.out and "Nothing was imported" in out.err
    assert not Problem.objects.exists()
    main(["import-ledger", str(path), "--user", supervisor.username, "--valid-only"])
    assert Problem.objects.count() == 1


def test_import_ledger_takes_mapping_corrections(
    tmp_path: Path, units: Org, supervisor: Person, names: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("编号,情况,单位,时间\n1,路灯不亮,第一氧化铝厂,9月底前\n".encode("gbk"))
    with pytest.raises(SystemExit):  # 情况 and 时间 are not known names: no header row is found
        main(["import-ledger", str(path), "--user", supervisor.username])
    path.write_bytes("编号,问题描述,单位,时限\n1,路灯不亮,第一氧化铝厂,9月底前\n".encode("gbk"))
    main(
        [
            "import-ledger",
            str(path),
            "--user",
            supervisor.username,
            "--map",
            "C=unit",
            "--year",
            "2015",
            "--default-category",
            "路灯照明",
        ]
    )
    problem = Problem.objects.get()
    assert problem.lead_unit == units.plant and problem.deadline == dt.date(2015, 9, 30)


def test_export_ledger_writes_what_the_user_may_see(
    tmp_path: Path,
    units: Org,
    supervisor: Person,
    outsider: Person,
    names: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "in.xlsx"
    source.write_bytes(to_bytes(messy_workbook()))
    main(["import-ledger", str(source), "--user", supervisor.username])
    out = tmp_path / "out.xlsx"
    main(["export-ledger", str(out), "--user", supervisor.username, "--unit", units.workshop.code])
    assert first_sheet(load_workbook(out)).max_row == 2 + 7
    main(["export-ledger", str(tmp_path / "none.csv"), "--user", outsider.username])
    assert (tmp_path / "none.csv").read_text(encoding="utf-8-sig").count("\n") == 1  # the header only
