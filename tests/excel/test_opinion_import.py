"""Opinions imported from a hotline's records or a register: each row is received on its channel and time,
a file with one bad row writes nothing, and importing it again adds nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from taizhang.config.cli import main
from taizhang.core import clock
from taizhang.core.errors import InvalidInput, NotPermitted
from taizhang.excel import opinion_import as importing
from taizhang.excel.opinion_import import OpinionImportReport, opinion_import, received_at
from taizhang.intake.models import Channel, Opinion, Place
from taizhang.org import services as org
from taizhang.org.models import Person, Role
from taizhang.reports import measures
from taizhang.reports.period import Period
from taizhang.reports.scope import report_scope
from tests.conftest import PASSWORD, Org
from tests.factories import make_category

pytestmark = pytest.mark.django_db

TZ = ZoneInfo(settings.TIME_ZONE)
NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
HEADER = ("工单编号", "来电时间", "诉求内容", "地点", "来电人", "联系电话", "是否匿名")
RECORDS: list[tuple[Any, ...]] = [
    (
        "GD2026110001",
        dt.datetime(2026, 11, 1, 9, 30),  # noqa: DTZ001  # an Excel cell has no time zone
        "翎湖苑的路灯一到晚上就不亮",
        "翎湖苑",
        "王师傅",
        "13800000001",
        "否",
    ),
    ("GD2026110002", "2026年11月2日 14时05分", "澡堂的喷头坏了，洗澡要排队", "第一澡堂门口", "", "", "是"),
    ("GD2026110003", "2026/11/3", "班车太挤，早上上不去", "", "", "", ""),
]


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


@pytest.fixture
def place(units: Org) -> Place:
    return Place.objects.create(name="翎湖苑", code="lhy", unit=units.plant)


def workbook(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2026年11月12345热线工单"])  # a title above the header, as exports have
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def run(user: Person, data: bytes, name: str = "工单.xlsx", **options: Any) -> OpinionImportReport:
    return opinion_import(user=user, file=io.BytesIO(data), name=name, **options)


def test_hotline_records_become_opinions_received_when_they_were(supervisor: Person, place: Place) -> None:
    report = run(supervisor, workbook(RECORDS))

    assert (report.rows, report.created, report.repeated, report.written) == (3, 3, 0, True)
    assert report.errors == []
    assert report.columns["text"] == "诉求内容" and report.columns["received"] == "来电时间"
    named, anonymous, plain = Opinion.objects.order_by("created_at")
    assert {named.channel, anonymous.channel, plain.channel} == {Channel.HOTLINE}
    assert {named.state, anonymous.state, plain.state} == {Opinion.State.NEW}
    assert named.created_at == dt.datetime(2026, 11, 1, 9, 30, tzinfo=TZ)
    assert anonymous.created_at == dt.datetime(2026, 11, 2, 14, 5, tzinfo=TZ)
    assert plain.created_at == dt.datetime(2026, 11, 3, tzinfo=TZ)
    # a known place is the place (and its unit is concerned); another stays as written
    assert named.place == place and named.unit == place.unit
    assert anonymous.place is None and anonymous.place_text == "第一澡堂门口"
    assert (named.contact_name, named.contact_phone, named.is_anonymous) == ("王师傅", "13800000001", False)
    # no name and no phone, or 是: anonymous, and the importing supervisor is nobody's submitter
    assert anonymous.is_anonymous and plain.is_anonymous
    assert (anonymous.contact_name, anonymous.contact_phone) == ("", "")
    assert not Opinion.objects.filter(submitter__isnull=False).exists()
    assert all(opinion.receipt_code for opinion in (named, anonymous, plain))


def test_imported_opinions_count_on_the_day_they_were_received(supervisor: Person, place: Place) -> None:
    run(supervisor, workbook(RECORDS))
    scope = report_scope(supervisor, None)
    for day, expected in ((dt.date(2026, 11, 1), 1), (dt.date(2026, 11, 2), 1), (dt.date(2026, 11, 24), 0)):
        selection = measures.Selection(scope=scope, period=Period(day, day))
        maintained = measures.total(measures.counts_by_unit(selection).values())
        live = measures.total(measures.live_counts_by_unit(selection).values())
        assert maintained.opinions_received == live.opinions_received == expected, day


def test_importing_the_same_file_again_adds_nothing(supervisor: Person, place: Place) -> None:
    run(supervisor, workbook(RECORDS))
    again = run(supervisor, workbook(RECORDS))
    assert (again.created, again.repeated, again.written) == (0, 3, True)
    # a new record in the same file is added, the old ones are not
    added = ("GD2026110004", "2026-11-04 08:00", "食堂的菜太咸", "", "", "", "")
    more = run(supervisor, workbook([*RECORDS, added]))
    assert (more.created, more.repeated) == (1, 3)
    assert Opinion.objects.count() == 4


def test_without_record_numbers_a_row_is_known_by_what_it_says(supervisor: Person, units: Org) -> None:
    header = ("反映时间", "反映内容")
    rows = [("2026-11-05 10:00", "厂区东门的路面坑洼不平"), ("2026-11-05 10:00", "厂区东门的路面坑洼不平")]
    first = run(supervisor, workbook(rows, header))
    assert (first.created, first.repeated) == (1, 1)  # the same words at the same time: one opinion
    assert run(supervisor, workbook(rows, header)).repeated == 2
    assert Opinion.objects.count() == 1


def test_one_bad_row_writes_nothing_and_each_error_names_its_row_and_column(
    supervisor: Person, units: Org
) -> None:
    make_category(name="路灯照明")
    header = ("来电时间", "诉求内容", "渠道", "问题类别", "所属单位", "来电人", "联系电话", "是否匿名")
    rows = [
        ("2026-11-01", "这一行没有错", "12345热线", "路灯照明", "", "", "", ""),  # row 3
        ("2026-11-01", "", "", "", "", "", "", ""),  # 4: no text (but not empty)
        ("十一月", "时间写错了", "", "", "", "", "", ""),  # 5
        ("2026-12-25 09:00", "时间在将来", "", "", "", "", "", ""),  # 6
        ("2026-11-01", "渠道不认识", "飞鸽传书", "", "", "", "", ""),  # 7
        ("2026-11-01", "类别不认识", "", "没有的类别", "", "", "", ""),  # 8
        ("2026-11-01", "单位不认识", "", "", "没有的单位", "", "", ""),  # 9
        ("2026-11-01", "匿名却留了电话", "", "", "", "", "13800000002", "是"),  # 10
        ("2026-11-01", "匿名一栏写错", "", "", "", "", "", "也许"),  # 11
        ("2026-11-01", "电话太长", "", "", "", "", "1" * 31, "否"),  # 12
        (None, None, None, None, None, None, None, None),  # 13: empty, skipped
        ("2026-11-01", "单位名差一个字", "", "", "第一氧化铝", "", "", ""),  # 14
        ("2026-11-01", "单位名多了空格", "", "", "第一 氧化铝厂", "", "", ""),  # 15: the same name
    ]
    report = run(supervisor, workbook(rows, header))

    assert not report.written and report.created == 0
    assert Opinion.objects.count() == 0
    assert report.rows == 12
    found = {(error.row, error.column) for error in report.errors}
    assert found == {
        (4, "诉求内容"),
        (5, "来电时间"),
        (6, "来电时间"),
        (7, "渠道"),
        (8, "问题类别"),
        (9, "所属单位"),
        (10, "是否匿名"),
        (11, "是否匿名"),
        (12, "联系电话"),
        (14, "所属单位"),
    }
    messages = {error.row: error.message for error in report.errors}
    assert "future" in messages[6] and "飞鸽传书" in messages[7] and "没有的单位" in messages[9]
    assert "Did you mean: 第一氧化铝厂" in messages[14]
    # an anonymous row's phone is refused, not quoted back
    assert not any("13800000002" in error.message for error in report.errors)


def test_a_row_outside_the_importers_units_is_an_error(units: Org) -> None:
    plant_supervisor = org.person_create(username="jc1", name="纪检员", unit=units.plant, password=PASSWORD)
    org.role_grant(person=plant_supervisor, role=Role.SUPERVISOR, unit=units.plant)
    header = ("来电时间", "诉求内容", "所属单位")
    inside = ("2026-11-01", "车间噪音大", units.workshop.name)
    outside = ("2026-11-01", "二厂的食堂太贵", units.sibling.name)
    nowhere = ("2026-11-01", "没写单位，归全厂", "")  # concerns the root unit: outside a plant's scope

    report = run(plant_supervisor, workbook([inside, outside, nowhere], header))
    assert [(error.row, error.column) for error in report.errors] == [(4, "所属单位"), (5, "所属单位")]
    assert units.sibling.name in report.errors[0].message
    # "did you mean" offers only the units the importer supervises
    near = run(plant_supervisor, workbook([("2026-11-01", "二厂的澡堂", "第二氧化铝")], header))
    assert near.errors[0].message.startswith("No unit is called “第二氧化铝”.")
    assert units.sibling.name not in near.errors[0].message
    near = run(plant_supervisor, workbook([("2026-11-01", "车间的灯", "原料车")], header))
    assert near.errors[0].message.endswith("Did you mean: 原料车间?")
    assert Opinion.objects.count() == 0
    assert run(plant_supervisor, workbook([inside], header)).created == 1
    assert Opinion.objects.get().unit == units.workshop


def test_a_dry_run_checks_and_writes_nothing(supervisor: Person, place: Place) -> None:
    report = run(supervisor, workbook(RECORDS), dry_run=True)
    assert (report.created, report.written, report.errors) == (3, False, [])
    assert Opinion.objects.count() == 0


def test_only_supervisors_import_and_a_file_needs_its_text_column(
    supervisor: Person, handler: Person, units: Org
) -> None:
    with pytest.raises(NotPermitted):
        run(handler, workbook(RECORDS))
    with pytest.raises(InvalidInput, match="header"):
        run(supervisor, workbook([("2026-11-01", "王师傅")], ("来电时间", "来电人")))
    with pytest.raises(InvalidInput, match="channel"):
        run(supervisor, workbook(RECORDS), channel="me_too")
    assert Opinion.objects.count() == 0


def test_a_time_is_read_as_ledgers_and_hotlines_write_it() -> None:
    today = dt.date(2026, 11, 24)
    assert received_at("2026-11-20 09:30", today=today) == dt.datetime(2026, 11, 20, 9, 30, tzinfo=TZ)
    assert received_at("2026年11月20日 9时30分", today=today) == dt.datetime(2026, 11, 20, 9, 30, tzinfo=TZ)
    assert received_at("2026.11.20 9:30:15", today=today) == dt.datetime(2026, 11, 20, 9, 30, 15, tzinfo=TZ)
    assert received_at("11月20日", today=today) == dt.datetime(2026, 11, 20, tzinfo=TZ)
    assert received_at(dt.date(2026, 11, 20), today=today) == dt.datetime(2026, 11, 20, tzinfo=TZ)
    with pytest.raises(ValueError, match="25:61"):
        received_at("2026-11-20 25:61", today=today)


def test_channel_cells_name_the_channel() -> None:
    assert importing.channel_of("12345市民服务热线") == Channel.HOTLINE
    assert importing.channel_of("书记信箱") == Channel.MAILBOX
    assert importing.channel_of("职工座谈会") == Channel.MEETING
    assert importing.channel_of("mailbox") == Channel.MAILBOX
    assert importing.channel_of("飞鸽传书") is None
    assert importing.channel_of("Open311") is None  # only a system submits on Open311


# --- the command --------------------------------------------------------------------------------------


@pytest.fixture
def _keep_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`taizhang CMD` closes the connections when it ends, which would end the test's transaction."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.mark.usefixtures("_keep_the_test_connection")
def test_the_command_reads_a_gbk_csv_checks_then_imports(
    tmp_path: Path, supervisor: Person, units: Org, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "意见箱登记.csv"
    lines = ["登记时间,意见内容,来源", "2026-11-10,希望延长晚饭时间,书记信箱", "2026-11-11,会议多,职工座谈会"]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))

    main(["import-opinions", str(path), "--user", supervisor.username, "--dry-run"])
    assert "2 rows read: 2 to create" in capsys.readouterr().out
    assert Opinion.objects.count() == 0

    main(["import-opinions", str(path), "--user", supervisor.username, "--channel", "hotline"])
    assert "2 rows read: 2 created" in capsys.readouterr().out
    assert set(Opinion.objects.values_list("channel", flat=True)) == {Channel.MAILBOX, Channel.MEETING}

    bad = tmp_path / "bad.csv"
    bad.write_text("登记时间,意见内容\n明天,写错的时间\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["import-opinions", str(bad), "--user", supervisor.username])
    assert stopped.value.code == 1
    captured = capsys.readouterr()
    assert "row 2, 登记时间" in captured.out and "nothing was imported" in captured.err
    assert Opinion.objects.count() == 2


# --- the page -----------------------------------------------------------------------------------------


def signed_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def upload(client: Client, data: bytes, **fields: Any) -> Any:
    file = io.BytesIO(data)
    file.name = "工单.xlsx"
    return client.post(reverse("excel:import_opinions"), {"file": file, "channel": "hotline", **fields})


def test_the_page_imports_and_reports(supervisor: Person, place: Place) -> None:
    client = signed_in(supervisor)
    assert 'data-testid="import-opinions"' in client.get(reverse("intake:triage")).content.decode()

    checked = upload(client, workbook(RECORDS), check_only="on")
    assert checked.status_code == 200 and Opinion.objects.count() == 0
    assert '<li data-testid="created"><strong>3</strong> 待新建' in checked.content.decode()

    response = upload(client, workbook(RECORDS))
    page = response.content.decode()
    assert response.status_code == 200
    assert Opinion.objects.count() == 3
    assert '<li data-testid="created"><strong>3</strong> 条意见已接收' in page
    assert reverse("intake:triage") in page
    again = upload(client, workbook(RECORDS)).content.decode()
    assert '<li data-testid="repeated"><strong>3</strong>' in again and Opinion.objects.count() == 3
    # the triage desk lists them
    desk = client.get(reverse("intake:triage")).content.decode()
    assert "翎湖苑的路灯一到晚上就不亮" in desk


def test_the_page_lists_the_errors_and_writes_nothing(supervisor: Person, units: Org) -> None:
    response = upload(signed_in(supervisor), workbook([(1, "明天上午", "时间写错了", "", "", "", "")]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in page and 'data-row="3"' in page and "明天上午" in page
    assert Opinion.objects.count() == 0


def test_the_page_sends_large_files_to_the_command(
    supervisor: Person, units: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "WEB_ROWS", 2)
    monkeypatch.setattr("taizhang.excel.views.WEB_ROWS", 2)
    response = upload(signed_in(supervisor), workbook(RECORDS))
    assert "import-opinions" in response.content.decode()
    assert Opinion.objects.count() == 0


def test_the_page_is_for_supervisors(handler: Person, employee: Person) -> None:
    for person in (handler, employee):
        assert signed_in(person).get(reverse("excel:import_opinions")).status_code == 403
    assert Client().get(reverse("excel:import_opinions")).status_code == 302
