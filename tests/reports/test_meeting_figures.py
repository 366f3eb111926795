"""会议次数 counted from the meeting records (ExpenseKind.meetings_from): year on year, the form, imports."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import Meeting, MeetingKind
from taizhang.core import clock
from taizhang.core.errors import InvalidInput
from taizhang.org.models import Person, Unit
from taizhang.reports.models import ExpenseKind, ExpenseRecord
from taizhang.reports.period import Period
from taizhang.reports.scope import report_scope
from taizhang.reports.selectors import YearOnYear, expenses_year_on_year
from taizhang.reports.services import ImportRejected, expense_import, expense_month_save
from tests.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db

MARCH = Period.month(2014, 3)
DOC = Path(__file__).resolve().parents[2] / "docs" / "measures.md"


@pytest.fixture
def counted(db: None) -> ExpenseKind:
    """会议次数, entered up to 2013 and counted from the meeting records from January 2014."""
    return ExpenseKind.objects.create(
        name="会议次数",
        code="meetings",
        unit_of_measure="次",
        decimals=0,
        meetings_from=dt.date(2014, 1, 1),
    )


def meeting(user: Person, unit: Unit, day: dt.date) -> Meeting:
    return campaigns.meeting_record(
        user=user,
        data=campaigns.MeetingInput(unit=unit, kind=MeetingKind.OFFICE, title="办公会", held_on=day),
    )


def meetings_line(user: Person, unit: Unit | None, period: Period = MARCH) -> YearOnYear:
    lines = expenses_year_on_year(scope=report_scope(user, unit), period=period)
    return next(line for line in lines if line.kind == "会议次数")


def test_a_meeting_recorded_counts_once_in_its_month_and_a_removed_one_no_longer(
    units: Org, counted: ExpenseKind, handler: Person, supervisor: Person
) -> None:
    assert meetings_line(supervisor, units.plant).current == 0
    first = meeting(handler, units.workshop, dt.date(2014, 3, 12))
    assert meetings_line(supervisor, units.plant).current == 1  # the workshop lies in the plant's subtree
    assert meetings_line(supervisor, units.workshop).current == 1
    meeting(handler, units.plant, dt.date(2014, 3, 31))
    meeting(handler, units.plant, dt.date(2014, 4, 1))  # April's, not March's
    assert meetings_line(supervisor, units.plant).current == 2
    assert meetings_line(supervisor, units.plant, Period.month(2014, 4)).current == 1
    # Corrected in the database (the application never deletes a meeting): the figure follows.
    Meeting.objects.filter(pk=first.pk).delete()
    assert meetings_line(supervisor, units.plant).current == 1
    assert meetings_line(supervisor, units.workshop).current == 0


def test_year_on_year_reads_the_records_from_the_month_the_kind_counts_them(
    units: Org, counted: ExpenseKind, handler: Person, supervisor: Person
) -> None:
    """March 2013 was entered (plant 5 + workshop 2 = 7); March 2014 is counted (3 meetings); the figure
    entered for March 2014 before the kind counted meetings (9) is ignored, not added."""
    for unit, month, amount in [
        (units.plant, dt.date(2013, 3, 1), 5),
        (units.workshop, dt.date(2013, 3, 1), 2),
        (units.plant, dt.date(2014, 3, 1), 9),
        (units.sibling, dt.date(2013, 3, 1), 40),
    ]:
        ExpenseRecord.objects.create(
            unit=unit, month=month, kind=counted, amount=amount, updated_at=clock.now()
        )
    meeting(handler, units.plant, dt.date(2013, 3, 20))  # before the records count: not added to 2013
    for day in (3, 8, 13):
        meeting(handler, units.workshop, dt.date(2014, 3, day))
    line = meetings_line(supervisor, units.plant, Period(dt.date(2014, 3, 10), dt.date(2014, 3, 11)))
    assert (line.current, line.previous) == (Decimal(3), Decimal(7))
    assert line.change_percent == -57 and line.improved is True
    # docs/measures.md works this example out by hand: the page and the code agree
    stated = re.search(r"reads (\d+) against (\d+), −(\d+) %", DOC.read_text(encoding="utf-8"))
    assert stated is not None
    assert (line.current, line.previous, line.change_percent) == (
        Decimal(stated[1]),
        Decimal(stated[2]),
        -int(stated[3]),
    )
    assert line.meetings_from == dt.date(2014, 1, 1)
    enterprise = meetings_line(supervisor, units.root)
    assert (enterprise.current, enterprise.previous) == (Decimal(3), Decimal(47))


def test_units_outside_a_persons_scope_do_not_see_the_meetings(
    units: Org, counted: ExpenseKind, handler: Person, outsider: Person, supervisor: Person
) -> None:
    meeting(handler, units.workshop, dt.date(2014, 3, 12))
    meeting(outsider, units.sibling, dt.date(2014, 3, 14))
    assert meetings_line(outsider, None).current == 1  # the sibling's own, not the plant's
    assert meetings_line(handler, None).current == 1  # the plant's, not the sibling's
    assert meetings_line(supervisor, None).current == 2


def test_a_figure_cannot_be_entered_for_a_month_counted_from_the_records(
    units: Org, counted: ExpenseKind, handler: Person
) -> None:
    with clock.frozen_at(dt.datetime(2014, 4, 2, tzinfo=dt.UTC)):
        with pytest.raises(InvalidInput) as refused:
            expense_month_save(
                user=handler, unit=units.plant, month=dt.date(2014, 3, 1), figures={counted.pk: "6"}
            )
        assert set(refused.value.errors) == {f"kind_{counted.pk}"}
        assert "会议记录" in str(refused.value.errors[f"kind_{counted.pk}"][0])
        # a blank leaves the month alone; an earlier month is entered as before
        assert (
            expense_month_save(
                user=handler, unit=units.plant, month=dt.date(2014, 3, 1), figures={counted.pk: ""}
            )
            == 0
        )
        assert (
            expense_month_save(
                user=handler, unit=units.plant, month=dt.date(2013, 12, 1), figures={counted.pk: "6"}
            )
            == 1
        )
    assert list(ExpenseRecord.objects.values_list("month", "amount")) == [(dt.date(2013, 12, 1), Decimal(6))]


def test_an_import_row_for_a_counted_month_is_refused_with_its_row(
    units: Org, counted: ExpenseKind, handler: Person
) -> None:
    content = "unit,month,kind,amount\nyhl1,2013-12,meetings,4\nyhl1,2014-01,会议次数,3\n"
    with pytest.raises(ImportRejected) as rejected:
        expense_import(user=handler, content=content.encode(), filename="figures.csv")
    assert [error.row for error in rejected.value.errors] == [3]
    assert "2014-01" in rejected.value.errors[0].message
    assert not ExpenseRecord.objects.exists()


def test_the_month_form_shows_the_count_read_only_and_the_expenses_page_says_where_it_comes_from(
    units: Org, counted: ExpenseKind, handler: Person
) -> None:
    meeting(handler, units.plant, dt.date(2014, 3, 12))
    meeting(handler, units.plant, dt.date(2014, 3, 19))
    meeting(handler, units.workshop, dt.date(2014, 3, 20))  # the workshop's own figure, not the plant's
    client = Client()
    assert client.login(username=handler.username, password=PASSWORD)
    page = client.get(reverse("reports:expense_enter"), {"unit": str(units.plant.pk), "month": "2014-03"})
    html = page.content.decode()
    assert f'name="kind_{counted.pk}" value="2"' in html and "disabled" in html
    assert "根据会议记录统计：本单位本月召开的会议" in html
    earlier = client.get(reverse("reports:expense_enter"), {"unit": str(units.plant.pk), "month": "2013-12"})
    assert "disabled" not in earlier.content.decode()
    assert "自 2014-01 起根据会议记录统计" in earlier.content.decode()
    expenses = client.get(reverse("reports:expenses"), {"start": "2014-03-01", "end": "2014-03-31"})
    assert "自 2014-01 起根据会议记录统计" in expenses.content.decode()
