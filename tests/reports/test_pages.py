"""The report pages through Django's test client: scoping, filters, chart data, expenses, downloads."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from taizhang.reports.models import ExpenseKind, ExpenseRecord
from tests.conftest import PASSWORD, Org
from tests.factories import make_category, make_problem

pytestmark = pytest.mark.django_db

PERIOD: dict[str, str | int] = {"start": "2014-01-01", "end": "2014-12-31"}


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


@pytest.fixture
def ledger_2014(units: Org, supervisor: Person, handler: Person, leader: Person) -> list[Problem]:
    """Three plant items listed 2014-03-01 (one closed out 03-10 on time), one sibling item."""
    lamps = make_category(
        name="路灯照明", achievement_noun="路灯", measure_word="盏", evidence_required=False
    )
    made = []
    with clock.frozen_at(dt.datetime(2014, 3, 1, 2, tzinfo=dt.UTC)):
        for _ in range(3):
            made.append(
                make_problem(
                    supervisor=supervisor,
                    lead_unit=units.plant,
                    category=lamps,
                    deadline=dt.date(2014, 3, 20),
                )
            )
        made.append(
            make_problem(
                supervisor=supervisor, lead_unit=units.sibling, category=lamps, deadline=dt.date(2014, 3, 20)
            )
        )
        ledger.problem_start(user=handler, problem_id=made[0].pk)
        ledger.problem_request_closeout(
            user=handler, problem_id=made[0].pk, completion_note="修好了", done_quantity=12
        )
    with clock.frozen_at(dt.datetime(2014, 3, 10, 2, tzinfo=dt.UTC)):
        ledger.problem_sign(user=leader, problem_id=made[0].pk)
        ledger.problem_verify(user=supervisor, problem_id=made[0].pk)
    return made


def test_reports_need_a_staff_role(client: Client, employee: Person) -> None:
    assert client.get(reverse("reports:dashboard")).status_code == 302
    assert logged_in(employee).get(reverse("reports:dashboard")).status_code == 403
    assert logged_in(employee).get(reverse("reports:chart", args=["funnel"])).status_code == 403


def test_the_dashboard_shows_the_rates_and_achievements_of_the_persons_units(
    ledger_2014: list[Problem], handler: Person, units: Org
) -> None:
    """The handler's scope is the plant: 3 items due by 03-20, 1 resolved on time → 33 %; 12 盏 done."""
    client = logged_in(handler)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert "第二氧化铝厂" not in page  # the sibling is outside the handler's scope, also in the unit menu
    for key in ("funnel", "flow", "ranking", "lights", "satisfaction", "expenses"):
        assert f'data-chart="{key}"' in page
    assert f'data-src="{reverse("reports:kpis")}?' in page  # the measures load after the page
    kpis = client.get(reverse("reports:kpis"), PERIOD).content.decode()
    assert 'data-kpi="resolution">33%' in kpis
    assert "修复路灯 <strong>12</strong> 盏" in kpis


def test_a_unit_outside_the_scope_is_refused(ledger_2014: list[Problem], handler: Person, units: Org) -> None:
    response = logged_in(handler).get(
        reverse("reports:chart", args=["funnel"]), {**PERIOD, "unit": units.sibling.pk}
    )
    assert response.status_code == 400
    assert "unit" in response.json()["errors"]


def test_chart_data_gives_the_numbers_for_chart_and_table(
    ledger_2014: list[Problem], supervisor: Person, units: Org
) -> None:
    client = logged_in(supervisor)
    funnel = client.get(reverse("reports:chart", args=["funnel"]), PERIOD).json()
    # no opinions; 4 listed, 1 started, 1 requested, 1 closed
    assert funnel["series"][0]["data"] == [0, 4, 1, 1, 1]
    assert funnel["table"]["rows"][1][1] == 4
    flow = client.get(reverse("reports:chart", args=["flow"]), PERIOD).json()
    march = flow["categories"].index("2014-03")
    assert [series["data"][march] for series in flow["series"]] == [0, 4, 1]
    assert len(flow["categories"]) == 12
    # a period starting after the listing day (03-01, 10:00 local) leaves March's listings out
    late = client.get(
        reverse("reports:chart", args=["flow"]), {"start": "2014-03-02", "end": "2014-04-30"}
    ).json()
    assert late["categories"] == ["2014-03", "2014-04"]
    assert [series["data"] for series in late["series"]] == [[0, 0], [0, 0], [1, 0]]
    lights = client.get(reverse("reports:chart", args=["lights"]), PERIOD).json()
    assert sum(lights["series"][0]["data"]) == 3  # three unfinished items, all overdue today
    assert lights["series"][0]["data"][-1] == 3
    ranking = client.get(reverse("reports:chart", args=["ranking"]), PERIOD).json()
    assert ranking["kind"] == "hbar"
    assert {row[1].split(" (")[0] for row in ranking["table"]["rows"]} == {
        "第一氧化铝厂",
        "第二氧化铝厂",
        "纪检监察工作部",
    }
    assert client.get(reverse("reports:chart", args=["nonsense"]), PERIOD).status_code == 404


def test_bad_filters_get_a_clear_error(supervisor: Person) -> None:
    response = logged_in(supervisor).get(
        reverse("reports:chart", args=["funnel"]), {"start": "2014-05-01", "end": "2014-04-01"}
    )
    assert response.status_code == 400 and "end" in response.json()["errors"]
    page = logged_in(supervisor).get(reverse("reports:dashboard"), {"start": "yesterday"})
    assert page.status_code == 200 and 'class="error"' in page.content.decode()


def test_the_dashboard_takes_a_fixed_number_of_queries(
    ledger_2014: list[Problem], supervisor: Person, units: Org, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(supervisor)
    # session, scope, whether it covers every unit, filter menus, the menu's counts
    with django_assert_max_num_queries(13):
        client.get(reverse("reports:dashboard"), PERIOD)
    with django_assert_max_num_queries(14) as first:  # … the tallies' state, cells, the 成绩单's cells
        client.get(reverse("reports:kpis"), PERIOD)
    for _ in range(5):
        make_problem(supervisor=supervisor, lead_unit=units.workshop)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("reports:kpis"), PERIOD)
    for key, most in (
        # each: session, person, roles, whether the scope holds every unit, then its own reads
        ("funnel", 10),  # the tallies' state, month and day cells, the states
        ("flow", 9),  # the tallies' state, month and day cells
        ("ranking", 15),  # from the tallies: their state, days, months, the cut-off day, pairs (2)
        ("lights", 9),
        ("satisfaction", 9),
        ("expenses", 9),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(reverse("reports:chart", args=[key]), PERIOD).status_code == 200


def test_the_ranking_page_lists_top_bottom_and_apart(ledger_2014: list[Problem], supervisor: Person) -> None:
    page = logged_in(supervisor).get(reverse("reports:ranking"), PERIOD).content.decode()
    assert "红榜" in page and "黑榜" in page
    # with the default minimum of 5 items every unit is listed apart
    apart = page.split('class="too-few"')[1]
    assert "第一氧化铝厂" in apart and "第二氧化铝厂" in apart


@pytest.fixture
def vehicle(db: None) -> ExpenseKind:
    return ExpenseKind.objects.create(name="公车运行费", code="vehicle", unit_of_measure="元")


def test_entering_and_comparing_expenses(units: Org, handler: Person, vehicle: ExpenseKind) -> None:
    client = logged_in(handler)
    form = client.get(reverse("reports:expense_enter")).content.decode()
    assert f'name="kind_{vehicle.pk}"' in form
    for month, amount in (("2013-03", "1000"), ("2014-03", "600")):
        response = client.post(
            reverse("reports:expense_enter"),
            {"unit": units.plant.pk, "month": month, f"kind_{vehicle.pk}": amount},
        )
        assert response.status_code == 302
    refilled = client.get(reverse("reports:expense_enter"), {"unit": str(units.plant.pk), "month": "2014-03"})
    assert 'value="600"' in refilled.content.decode()
    bad = client.post(
        reverse("reports:expense_enter"),
        {"unit": units.plant.pk, "month": "2014-04", f"kind_{vehicle.pk}": "x"},
    )
    assert bad.status_code == 200 and "不是数字" in bad.content.decode()
    assert ExpenseRecord.objects.count() == 2
    page = client.get(reverse("reports:expenses"), {"start": "2014-01-01", "end": "2014-08-31"})
    assert "-40%" in page.content.decode()


def test_an_import_with_a_bad_row_lists_it_and_imports_nothing(
    units: Org, handler: Person, vehicle: ExpenseKind
) -> None:
    content = b"unit,month,kind,amount\nyhl1,2014-01,vehicle,10\nyhl1,2014-02,vehicle,-5\n"
    upload = io.BytesIO(content)
    upload.name = "figures.csv"
    page = logged_in(handler).post(reverse("reports:expense_import"), {"file": upload})
    assert page.status_code == 200
    assert "第 3 行" in page.content.decode() and ExpenseRecord.objects.count() == 0
    upload = io.BytesIO(content)
    upload.name = "figures.csv"
    page = logged_in(handler).post(
        reverse("reports:expense_import"), {"file": upload, "valid_rows_only": "on"}
    )
    assert ExpenseRecord.objects.count() == 1


def test_the_report_downloads_as_pdf_and_docx(ledger_2014: list[Problem], leader: Person, units: Org) -> None:
    client = logged_in(leader)
    pdf = client.get(reverse("reports:report", args=["pdf"]), {**PERIOD, "unit": units.plant.pk})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("reports:report", args=["docx"]), PERIOD)
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get(reverse("reports:report", args=["exe"]), PERIOD).status_code == 404
    assert (
        client.get(reverse("reports:report", args=["pdf"]), {**PERIOD, "unit": units.sibling.pk}).status_code
        == 400
    )


def test_administrators_configure_expense_kinds_but_do_not_edit_figures(admin_user: Person) -> None:
    client = logged_in(admin_user)
    response = client.post(
        reverse("admin:reports_expensekind_add"),
        {
            "name": "会议次数",
            "code": "meetings",
            "unit_of_measure": "次",
            "decimals": 0,
            "sort_order": 1,
            "is_active": "on",
            "lower_is_better": "on",
        },
    )
    assert response.status_code == 302
    assert ExpenseKind.objects.get(code="meetings").decimals == 0
    assert client.get(reverse("admin:reports_expenserecord_add")).status_code == 403


def test_a_ranked_unit_scoring_zero_still_draws_its_bar(units: Org, supervisor: Person) -> None:
    """Six plant items due 03-20 and still open: the plant ranks with 0 points; the chart has no note."""
    with clock.frozen_at(dt.datetime(2014, 3, 1, 2, tzinfo=dt.UTC)):
        for _ in range(6):
            make_problem(supervisor=supervisor, lead_unit=units.plant, deadline=dt.date(2014, 3, 20))
    ranking = logged_in(supervisor).get(reverse("reports:chart", args=["ranking"]), PERIOD).json()
    assert ranking["categories"] == ["第一氧化铝厂"] and ranking["series"][0]["data"] == [0]
    assert ranking["note"] == ""
    empty = logged_in(supervisor).get(reverse("reports:chart", args=["satisfaction"]), PERIOD).json()
    assert empty["note"] != ""
