"""Expenses and meetings: the month form, CSV/Excel imports (all or nothing), year on year, the demo."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from taizhang.core import clock
from taizhang.core.errors import InvalidInput, NotPermitted
from taizhang.demo.expenses import load_demo_expenses
from taizhang.org.models import Person, Unit
from taizhang.reports.models import ExpenseKind, ExpenseRecord
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope, report_scope
from taizhang.reports.selectors import expenses_year_on_year
from taizhang.reports.services import ImportRejected, expense_import, expense_month_save
from tests.conftest import Org

pytestmark = pytest.mark.django_db

EVERYTHING = UnitScope(paths=(), everything=True)


@pytest.fixture
def kinds(db: None) -> dict[str, ExpenseKind]:
    return {
        "vehicle": ExpenseKind.objects.create(name="公车运行费", code="vehicle", unit_of_measure="元"),
        "meetings": ExpenseKind.objects.create(
            name="会议次数", code="meetings", unit_of_measure="次", decimals=0, sort_order=2
        ),
    }


def amounts() -> dict[tuple[str, str, str], Decimal]:
    return {
        (r.unit.code, f"{r.month:%Y-%m}", r.kind.code): r.amount
        for r in ExpenseRecord.objects.select_related("unit", "kind")
    }


def test_the_demo_reads_as_the_article_and_loads_once(units: Org) -> None:
    everyone = list(Unit.objects.all())
    assert load_demo_expenses(everyone) > 0
    lines = {
        line.kind: line for line in expenses_year_on_year(scope=EVERYTHING, period=Period.months(2014, 1, 8))
    }
    assert lines["公车运行费"].current == lines["公车运行费"].previous * Decimal("0.60")
    assert lines["公务接待费"].current == lines["公务接待费"].previous * Decimal("0.76")
    assert lines["外出培训费"].current == lines["外出培训费"].previous * Decimal("0.55")
    assert [lines[k].change_percent for k in ("公车运行费", "公务接待费", "外出培训费")] == [-40, -24, -45]
    assert lines["发文数量"].current < lines["发文数量"].previous
    assert all(line.improved for kind, line in lines.items() if kind != "会议次数")
    # 会议次数 counts the meeting records (none here; tests/demo reads the demo's): nothing is entered
    assert lines["会议次数"].meetings_from == dt.date(2013, 1, 1)
    assert not ExpenseRecord.objects.filter(kind__code="meetings").exists()
    # every unit has its own monthly figures, not one lump
    assert ExpenseRecord.objects.values("unit").distinct().count() == len(everyone)
    before = amounts()
    assert load_demo_expenses(everyone) == 0
    assert amounts() == before


def test_year_on_year_sums_the_months_a_period_touches_in_a_subtree(
    units: Org, kinds: dict[str, ExpenseKind], supervisor: Person
) -> None:
    """Plant + workshop: 2014-02 100 + 50, 2014-03 30 = 180 against 2013-02 200 and 2013-03 100 = 300
    → −40 %. The sibling's 999 and the plant's 2014-04 figure lie outside. Meetings: none in 2013 → no
    change to show."""
    vehicle, meetings = kinds["vehicle"], kinds["meetings"]
    for unit, month, kind, amount in [
        (units.plant, dt.date(2014, 2, 1), vehicle, 100),
        (units.workshop, dt.date(2014, 2, 1), vehicle, 50),
        (units.plant, dt.date(2014, 3, 1), vehicle, 30),
        (units.plant, dt.date(2014, 4, 1), vehicle, 7),
        (units.plant, dt.date(2013, 2, 1), vehicle, 200),
        (units.workshop, dt.date(2013, 3, 1), vehicle, 100),
        (units.sibling, dt.date(2014, 2, 1), vehicle, 999),
        (units.plant, dt.date(2014, 3, 1), meetings, 4),
    ]:
        ExpenseRecord.objects.create(unit=unit, month=month, kind=kind, amount=amount, updated_at=clock.now())
    period = Period(dt.date(2014, 2, 10), dt.date(2014, 3, 5))  # touches February and March
    lines = expenses_year_on_year(scope=report_scope(supervisor, units.plant), period=period)
    assert [(line.kind, line.current, line.previous) for line in lines] == [
        ("公车运行费", Decimal(180), Decimal(300)),
        ("会议次数", Decimal(4), Decimal(0)),
    ]
    assert lines[0].change_percent == -40 and lines[0].improved is True
    assert lines[1].change is None and lines[1].improved is None


def test_the_month_form_saves_checks_and_removes(
    units: Org, kinds: dict[str, ExpenseKind], handler: Person, outsider: Person
) -> None:
    vehicle, meetings = kinds["vehicle"], kinds["meetings"]
    march = dt.date(2014, 3, 1)
    with clock.frozen_at(dt.datetime(2014, 4, 2, tzinfo=dt.UTC)):
        changed = expense_month_save(
            user=handler, unit=units.plant, month=march, figures={vehicle.pk: "12,345.50", meetings.pk: "6"}
        )
        assert changed == 2
        assert amounts() == {
            ("yhl1", "2014-03", "vehicle"): Decimal("12345.50"),
            ("yhl1", "2014-03", "meetings"): Decimal(6),
        }
        with pytest.raises(InvalidInput) as bad:
            expense_month_save(
                user=handler, unit=units.plant, month=march, figures={vehicle.pk: "-1", meetings.pk: "2.5"}
            )
        assert set(bad.value.errors) == {f"kind_{vehicle.pk}", f"kind_{meetings.pk}"}
        with pytest.raises(NotPermitted):
            expense_month_save(user=outsider, unit=units.plant, month=march, figures={vehicle.pk: "1"})
        with pytest.raises(InvalidInput):
            expense_month_save(
                user=handler, unit=units.plant, month=dt.date(2014, 5, 1), figures={vehicle.pk: "1"}
            )
        assert len(amounts()) == 2  # nothing of the refused saves was written
        assert expense_month_save(user=handler, unit=units.plant, month=march, figures={meetings.pk: ""}) == 1
    assert amounts() == {("yhl1", "2014-03", "vehicle"): Decimal("12345.50")}


CSV = """unit,month,kind,amount
yhl1,2014-01,vehicle,1000
yhl1-yl,2014/02,公车运行费,"2,000.5"
yhl1,2014-01,meetings,3
"""


def test_a_csv_import_saves_every_row(units: Org, kinds: dict[str, ExpenseKind], handler: Person) -> None:
    result = expense_import(user=handler, content=CSV.encode(), filename="figures.csv")
    assert (result.saved, result.unchanged, result.errors) == (3, 0, [])
    assert amounts() == {
        ("yhl1", "2014-01", "vehicle"): Decimal(1000),
        ("yhl1-yl", "2014-02", "vehicle"): Decimal("2000.5"),
        ("yhl1", "2014-01", "meetings"): Decimal(3),
    }
    again = expense_import(user=handler, content=CSV.encode(), filename="figures.csv")
    assert (again.saved, again.unchanged) == (0, 3)
    corrected = expense_import(
        user=handler, content=CSV.replace("1000", "900").encode(), filename="figures.csv"
    )
    assert (corrected.saved, corrected.unchanged) == (1, 2)
    assert amounts()[("yhl1", "2014-01", "vehicle")] == Decimal(900)
    assert ExpenseRecord.objects.get(unit=units.plant, kind__code="vehicle").updated_by == handler


BAD = """单位,月份,类别,金额
yhl1,2014-01,vehicle,1000
yhl2,2014-01,vehicle,10
yhl1,2014-13,vehicle,10
yhl1,2014-02,taxis,10
yhl1,2014-02,meetings,1.5
yhl1,2014-01,vehicle,5
"""


def test_one_bad_row_imports_nothing_and_says_which_rows_and_why(
    units: Org, kinds: dict[str, ExpenseKind], handler: Person
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        expense_import(user=handler, content=BAD.encode("gb18030"), filename="figures.csv")
    assert [error.row for error in rejected.value.errors] == [3, 4, 5, 6, 7]
    messages = [error.message for error in rejected.value.errors]
    assert "第二氧化铝厂" in messages[0]  # outside the handler's units
    assert "2014-13" in messages[1] and "taxis" in messages[2] and "第 2 行" in messages[4]
    assert amounts() == {}
    partial = expense_import(
        user=handler, content=BAD.encode("gb18030"), filename="figures.csv", valid_rows_only=True
    )
    assert partial.saved == 1 and len(partial.errors) == 5
    assert amounts() == {("yhl1", "2014-01", "vehicle"): Decimal(1000)}


def test_an_excel_workbook_imports_like_a_csv(
    units: Org, kinds: dict[str, ExpenseKind], handler: Person
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["单位", "月份", "类别", "金额"])
    sheet.append(["yhl1", dt.datetime(2014, 3, 1), "vehicle", 1234.5])  # noqa: DTZ001  # Excel has no zones
    sheet.append(["原料车间", "2014年4月", "会议次数", 2])
    buffer = io.BytesIO()
    book.save(buffer)
    result = expense_import(user=handler, content=buffer.getvalue(), filename="figures.xlsx")
    assert result.saved == 2
    assert amounts() == {
        ("yhl1", "2014-03", "vehicle"): Decimal("1234.5"),
        ("yhl1-yl", "2014-04", "meetings"): Decimal(2),
    }


def test_files_that_are_not_figures_are_refused(
    units: Org, kinds: dict[str, ExpenseKind], handler: Person
) -> None:
    with pytest.raises(InvalidInput):
        expense_import(user=handler, content=b"not a workbook", filename="figures.xlsx")
    with pytest.raises(InvalidInput):
        expense_import(user=handler, content=b"name,value\nx,1\n", filename="figures.csv")
    with pytest.raises(InvalidInput):
        expense_import(user=handler, content=CSV.encode(), filename="figures.pdf")
    assert amounts() == {}


def test_the_demo_figures_come_out_exact_for_many_units(units: Org) -> None:
    from taizhang.org import services as org

    many = [units.root]
    for number in range(60):
        many.append(org.unit_create(name=f"车间{number}", code=f"many-{number}", parent=units.plant))
    load_demo_expenses(many)
    lines = {
        line.kind: line for line in expenses_year_on_year(scope=EVERYTHING, period=Period.months(2014, 1, 8))
    }
    assert [lines[k].change_percent for k in ("公车运行费", "公务接待费", "外出培训费")] == [-40, -24, -45]
    assert lines["公车运行费"].current == lines["公车运行费"].previous * Decimal("0.60")
