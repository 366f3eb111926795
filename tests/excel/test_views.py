"""The pages: export of the ledger table (scoped, filtered, .xlsx and CSV, large ones in the background),
and the import flow: upload → mapping → check → import, with its progress bar."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.excel.mapping import EXPORT_COLUMNS
from taizhang.excel.models import ImportJob, JobStatus
from taizhang.ledger.models import Problem
from taizhang.org.models import Person
from tests.conftest import PASSWORD, Org
from tests.excel.builders import first_sheet, messy_workbook, simple_workbook, to_bytes
from tests.excel.conftest import Categories
from tests.excel.ledger import build_ledger
from tests.excel.test_import import row_of

pytestmark = pytest.mark.django_db


def logged_in(person: Person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


@pytest.fixture
def ledger(
    units: Org, supervisor: Person, employee: Person, handler: Person, leader: Person, leader2: Person
) -> None:
    build_ledger(
        units=units, supervisor=supervisor, employee=employee, handler=handler, leader=leader, leader2=leader2
    )


def test_the_xlsx_export_has_the_conventional_layout(ledger: None, supervisor: Person) -> None:
    response = logged_in(supervisor).get(reverse("excel:export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a FileResponse
    sheet = first_sheet(load_workbook(io.BytesIO(data)))
    assert "A1:O1" in {str(merged) for merged in sheet.merged_cells.ranges}  # the title row
    assert [cell.value for cell in sheet[2]] == [name for name, _field in EXPORT_COLUMNS]
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["C"].width == 40 and sheet.column_dimensions["A"].width == 6
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == Problem.objects.count() == 8
    deadlines = [row[8] for row in rows]
    assert "长期坚持" in deadlines
    assert all(isinstance(value, dt.datetime) for value in deadlines if value != "长期坚持")  # real dates
    closed = next(row for row in rows if row[11] == "已销号")
    assert isinstance(closed[12], dt.datetime)  # 销号时间
    assert closed[13] == "满意率 100%（满意 1，基本满意 0，不满意 0）"
    assert [row[0] for row in rows] == list(range(1, 9))


def test_the_csv_export_streams_with_a_bom(ledger: None, supervisor: Person) -> None:
    response = logged_in(supervisor).get(reverse("excel:export"), {"format": "csv", "state": "closed"})
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert text.startswith("\ufeff序号,问题来源,问题描述")
    lines = text.strip().splitlines()
    assert len(lines) == 2 and "澡堂热水不足" in lines[1] and "已销号" in lines[1]


def test_the_export_takes_the_ledger_tables_filters(ledger: None, supervisor: Person, units: Org) -> None:
    client = logged_in(supervisor)

    def titles(**query: str) -> list[str]:
        response = client.get(reverse("excel:export"), {"format": "csv", **query})
        text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        return [row[2].split("\n")[0] for row in list(csv.reader(io.StringIO(text)))[1:]]

    assert titles(unit=str(units.workshop.pk)) == ["车间卫生间漏水", "停车位不够", "重复填报表格"]
    # the ledger table's full-text search: 路灯 (street lamp) also finds 照明 (lighting), its synonym
    assert sorted(titles(q="路灯")) == sorted(["生活区路灯不亮", "厂区道路照明不足"])
    assert titles(q="停车") == ["停车位不够"]
    assert len(titles(state="in_progress")) == 2


def test_a_person_exports_only_what_they_may_see(ledger: None, outsider: Person, employee: Person) -> None:
    # 樊军 works for the sibling plant: he sees the workshop item his unit assists on, nothing else
    response = logged_in(outsider).get(reverse("excel:export"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert [row[2] for row in list(csv.reader(io.StringIO(text)))[1:]] == ["车间卫生间漏水"]
    anonymous = Client().get(reverse("excel:export"))
    assert anonymous.status_code == 302


def test_a_large_export_is_built_in_the_background(
    ledger: None, supervisor: Person, settings: object
) -> None:
    settings.TAIZHANG_EXPORT_DIRECT_ROWS = 3  # type: ignore[attr-defined]
    client = logged_in(supervisor)
    response = client.get(reverse("excel:export"), {"format": "xlsx"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"100%" in page.content
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    download = client.get(reverse("excel:export_download", args=[job_id]))
    content = b"".join(download.streaming_content)  # type: ignore[attr-defined]  # a FileResponse
    sheet = first_sheet(load_workbook(io.BytesIO(content)))
    assert sheet.max_row == 2 + 8
    assert logged_in(Person.objects.get(username="hou")).get(page.request["PATH_INFO"]).status_code == 404


def upload(client: Client, data: bytes, name: str = "台账.xlsx") -> ImportJob:
    response = client.post(reverse("excel:import"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.latest("pk")


def options(job: ImportJob, **overrides: str) -> dict[str, str]:
    data = {f"column_{index}": field for index, field in job.mapping.items()}
    data.update(
        {"action": "check", "year": str(job.options["year"]), "ledger_name": job.title, "mode": "atomic"}
    )
    data.update(overrides)
    return data


def test_upload_check_and_import(
    units: Org, supervisor: Person, categories: Categories, leader: Person, handler: Person
) -> None:
    client = logged_in(supervisor)
    job = upload(client, to_bytes(messy_workbook()))
    page = client.get(reverse("excel:import_job", args=[job.pk]))
    assert page.status_code == 200
    assert "存在问题" in page.content.decode() and 'value="description" selected' in page.content.decode()
    assert job.header_row == 3 and job.options["year"] == 2014
    checked = client.post(reverse("excel:import_job", args=[job.pk]), options(job))
    assert checked.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED and job.counts["create"] == 10
    assert not Problem.objects.exists()
    page = client.get(reverse("excel:import_job", args=[job.pk]))
    assert "会议多、文件多" in page.content.decode() and 'id="run-import"' in page.content.decode()
    client.post(reverse("excel:import_job", args=[job.pk]), {"action": "run"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.counts["create"] == 10
    assert Problem.objects.count() == 10
    assert job.rows.filter(stage="import").exclude(code="").count() == 10
    bar = client.get(reverse("excel:import_progress", args=[job.pk]), {"was": "working"})
    assert bar["HX-Refresh"] == "true" and b"100%" in bar.content


def test_the_person_corrects_the_mapping(
    units: Org, supervisor: Person, categories: Categories, leader: Person, handler: Person
) -> None:
    client = logged_in(supervisor)
    job = upload(client, simple_workbook([row_of(问题来源="座谈会")]))
    # column B (问题来源) is left out, and an unmapped description is refused
    data = options(job, column_1="")
    client.post(reverse("excel:import_job", args=[job.pk]), data)
    client.post(reverse("excel:import_job", args=[job.pk]), {"action": "run"})
    assert Problem.objects.get().source == ""
    refused = client.post(reverse("excel:import_job", args=[job.pk]), options(job, column_2=""))
    assert refused.status_code == 200 and "请指定对应“问题描述”的列" in refused.content.decode()


def test_an_all_or_nothing_import_with_an_error_writes_nothing_and_lists_it(
    units: Org, supervisor: Person, categories: Categories, leader: Person, handler: Person
) -> None:
    client = logged_in(supervisor)
    job = upload(client, simple_workbook([row_of(序号=1), row_of(序号=2, 完成时限="尽快")]))
    client.post(reverse("excel:import_job", args=[job.pk]), options(job))
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED and job.counts["error"] == 1
    client.post(reverse("excel:import_job", args=[job.pk]), {"action": "run"})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "未导入任何数据" in job.error
    assert not Problem.objects.exists()
    page = client.get(reverse("excel:import_job", args=[job.pk]), {"only": "errors"}).content.decode()
    assert "“尽快”" in page and 'data-row="4"' in page
    # valid rows only, on request
    client.post(reverse("excel:import_job", args=[job.pk]), options(job, mode="valid_only"))
    client.post(reverse("excel:import_job", args=[job.pk]), {"action": "run"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Problem.objects.count() == 1


def test_the_progress_bar_polls_while_the_job_works(supervisor: Person, units: Org) -> None:
    client = logged_in(supervisor)
    job = upload(client, simple_workbook([row_of()]))
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, total_rows=200, processed_rows=50)
    bar = client.get(reverse("excel:import_progress", args=[job.pk]))
    assert b"25%" in bar.content and b'hx-trigger="every 1s"' in bar.content
    assert "HX-Refresh" not in bar


def test_only_supervisors_import_and_only_their_own_jobs(
    units: Org, supervisor: Person, handler: Person, admin_user: Person
) -> None:
    assert logged_in(handler).get(reverse("excel:import")).status_code == 403
    job = upload(logged_in(supervisor), simple_workbook([row_of()]))
    other = Person.objects.create_user(username="other", password=PASSWORD, name="另一督导")
    from taizhang.org import services as org
    from taizhang.org.models import Role

    org.role_grant(person=other, role=Role.SUPERVISOR, unit=units.root)
    assert logged_in(other).get(reverse("excel:import_job", args=[job.pk])).status_code == 404
    assert logged_in(admin_user).get(reverse("excel:import_job", args=[job.pk])).status_code == 200


def test_a_file_that_is_not_a_ledger_is_refused_on_upload(supervisor: Person, units: Org) -> None:
    response = logged_in(supervisor).post(
        reverse("excel:import"), {"file": SimpleUploadedFile("notes.docx", b"PK\x03\x04")}
    )
    assert response.status_code == 200 and ".docx" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_sheet_can_be_chosen(
    units: Org, supervisor: Person, categories: Categories, leader: Person, handler: Person
) -> None:
    workbook = messy_workbook()
    notes = workbook.create_sheet("说明", 0)  # the first sheet is not the ledger
    notes.append(["本台账按月更新"])
    data = to_bytes(workbook)
    client = logged_in(supervisor)
    response = client.post(reverse("excel:import"), {"file": SimpleUploadedFile("t.xlsx", data)})
    assert response.status_code == 200 and "未找到表头行" in response.content.decode()
    # a ledger on its second sheet, behind a first one that has a header too
    second = messy_workbook()
    other = second.create_sheet("汇总", 0)
    other.append(["序号", "问题描述", "责任单位", "完成时限"])
    job = upload(client, to_bytes(second))
    assert job.sheet == "汇总" and job.sheet_names == ["汇总", "台账"]
    page = client.get(reverse("excel:import_job", args=[job.pk])).content.decode()
    assert 'name="sheet"' in page
    client.post(reverse("excel:import_job", args=[job.pk]), {**options(job), "sheet": "台账"})
    job.refresh_from_db()
    assert job.sheet == "台账" and job.header_row == 3 and job.counts["create"] == 10
