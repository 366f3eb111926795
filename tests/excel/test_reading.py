"""Reading ledgers as a stream: merged cells, the header under title rows, sections and notes, .xls, CSV in
UTF-8 and GBK."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from taizhang.core.errors import InvalidInput
from taizhang.excel.mapping import Field, FileState, match_header, match_state, propose_mapping
from taizhang.excel.reading import (
    Cell,
    LedgerFile,
    RowKind,
    classify,
    csv_encoding,
    detect_layout,
    section_variants,
    xlsx_scan,
)
from tests.excel.builders import HEADER, ROWS_ONE, first_sheet, messy_workbook, to_bytes

FIXTURES = Path(__file__).parent / "fixtures"


def read_all(data: bytes, name: str) -> tuple[list[str], list[tuple[int, str, list[Cell]]]]:
    with LedgerFile(io.BytesIO(data), name) as ledger:
        layout, rows = detect_layout(ledger.rows)
        mapping = propose_mapping(layout.headers)
        return layout.headers, [
            (row.number, classify(row.values, mapping, layout.headers)[0], row.values) for row in rows
        ]


@pytest.mark.parametrize("chunk_size", [7, 64, 1 << 20])
def test_merged_ranges_are_found_whatever_the_chunk_boundaries(chunk_size: int) -> None:
    workbook = Workbook()
    sheet = first_sheet(workbook)
    for row in range(1, 200):
        sheet.append([f"行{row}", "单位", "领导"])
    expected = set()
    for first in range(2, 190, 7):
        sheet.merge_cells(f"B{first}:C{first + 3}")
        expected.add((first, 2, first + 3, 3))
    data = to_bytes(workbook)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = next(name for name in archive.namelist() if name.startswith("xl/worksheets/sheet"))
        merged, last_row = xlsx_scan(archive, member, chunk_size=chunk_size)
    assert set(merged) == expected and len(merged) == len(expected)
    assert last_row == 199


def test_the_messy_workbook_reads_row_by_row() -> None:
    headers, rows = read_all(to_bytes(messy_workbook()), "台账.xlsx")
    assert headers == list(HEADER)
    kinds = {number: kind for number, kind, _values in rows}
    assert kinds[4] == kinds[9] == RowKind.SECTION
    assert kinds[8] == RowKind.BLANK and kinds[17] == RowKind.NOTE
    assert [n for n, kind in kinds.items() if kind == RowKind.ITEM] == [5, 6, 7, 10, 11, 12, 13, 14, 15, 16]
    values = {number: cells for number, _kind, cells in rows}
    # merged down: the unit (F) and the leader (G) reach every row of the range, and no further
    assert [values[n][5] for n in (5, 6, 7)] == ["第一氧化铝厂"] * 3
    assert [values[n][6] for n in (5, 6, 7)] == ["原卫平"] * 3
    assert values[10][5] == "原料车间" and values[16][5] == "原料车间"
    assert values[8] == [] or all(value is None for value in values[8])
    assert values[5][2] == "会议多、文件多"  # trailing space stripped
    assert values[11][8] == dt.datetime(2014, 10, 31)  # noqa: DTZ001  # Excel date cells are naive


def test_an_xls_file_reads_like_the_xlsx_it_was_made_from() -> None:
    """messy.xls: tests/excel/fixtures/make_xls.py converted the same workbook with LibreOffice."""
    _headers, xlsx_rows = read_all(to_bytes(messy_workbook()), "台账.xlsx")
    headers, xls_rows = read_all((FIXTURES / "messy.xls").read_bytes(), "台账.xls")
    assert headers == list(HEADER)

    def items(rows: list[tuple[int, str, list[Cell]]]) -> dict[int, list[Cell]]:
        return {
            number: [*values[:13], *[None] * (13 - len(values[:13]))]
            for number, kind, values in rows
            if kind == RowKind.ITEM
        }

    assert items(xls_rows) == items(xlsx_rows)


def gbk_ledger() -> bytes:
    lines = [
        "2014年整改台账,,,",
        "序号,存在问题,牵头单位,完成时限",
        "一、形式主义方面,,,",
        "1,会议多 ,第一氧化铝厂,９月底前",
        ",,,",
        "注：无,,,",
    ]
    return "\r\n".join(lines).encode("gbk")


def test_a_gbk_csv_is_decoded_and_read() -> None:
    data = gbk_ledger()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert csv_encoding(io.BytesIO(data))[0] == "gb18030"
    headers, rows = read_all(data, "台账.csv")
    assert headers == ["序号", "存在问题", "牵头单位", "完成时限"]
    assert [(number, kind) for number, kind, _values in rows] == [
        (3, RowKind.SECTION),
        (4, RowKind.ITEM),
        (5, RowKind.BLANK),
        (6, RowKind.NOTE),
    ]
    assert rows[1][2] == ["1", "会议多", "第一氧化铝厂", "９月底前"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_utf8_csv_with_or_without_bom(bom: bytes) -> None:
    data = bom + "序号,问题描述,责任单位,完成时限\n1,路灯不亮,第一氧化铝厂,2014-9-30\n".encode()
    assert csv_encoding(io.BytesIO(data))[0] == "utf-8-sig"
    headers, rows = read_all(data, "ledger.csv")
    assert headers[0] == "序号" and rows[0][2] == ["1", "路灯不亮", "第一氧化铝厂", "2014-9-30"]


def test_a_second_header_row_names_the_columns_under_a_merged_one() -> None:
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.append(["整改台账"])
    sheet.append(["序号", "问题内容", "整改措施", "责任", None, None, "时间节点"])
    sheet.append([None, None, None, "牵头单位", "包保领导", "具体责任人", None])
    sheet.merge_cells("D2:F2")
    sheet.append([1, "路灯不亮", "修复", "第一氧化铝厂", "原卫平", "侯同义", "9月底前"])
    headers, rows = read_all(to_bytes(workbook), "t.xlsx")
    assert propose_mapping(headers) == {
        0: Field.SEQ,
        1: Field.DESCRIPTION,
        2: Field.MEASURES,
        3: Field.UNIT,
        4: Field.LEADER,
        5: Field.OWNER,
        6: Field.DEADLINE,
    }
    assert [number for number, _kind, _values in rows] == [4]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("问题描述", Field.DESCRIPTION),
        ("存在问题", Field.DESCRIPTION),
        ("问题内容", Field.DESCRIPTION),
        ("问题表现", Field.DESCRIPTION),
        ("责任单位", Field.UNIT),
        ("责任部门", Field.UNIT),
        ("牵头单位", Field.UNIT),
        (" 责任单位（部门） ", Field.UNIT),
        ("完成时限*", Field.DEADLINE),
        ("整改措施及完成标准", Field.MEASURES),
        ("问题来源", Field.SOURCE),
        ("分管领导", Field.LEADER),
        ("具体责任人", Field.OWNER),
        ("群众满意度", Field.SATISFACTION),
        ("问题编号", Field.CODE),
        ("备注", None),
    ],
)
def test_column_synonyms(header: str, field: Field | None) -> None:
    assert match_header(header) == field


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("未启动", FileState.OPEN),
        ("整改中", FileState.IN_PROGRESS),
        ("已完成", FileState.DONE),
        ("已完成（长期坚持）", FileState.DONE),
        ("已销号", FileState.DONE),
        ("未完成", FileState.IN_PROGRESS),
        ("申请销号", FileState.REVIEW),
        ("中止", FileState.CANCELLED),
        ("不知道", None),
    ],
)
def test_states_as_written(text: str, state: FileState | None) -> None:
    assert match_state(text) == state


def test_a_section_needs_its_separator() -> None:
    mapping = {0: Field.SEQ, 1: Field.DESCRIPTION, 2: Field.UNIT}
    headers = ["序号", "问题描述", "责任单位"]
    assert classify(["一、形式主义方面", None, None], mapping, headers) == (RowKind.SECTION, "形式主义方面")
    assert classify(["一", "官僚主义", None], mapping, headers) == (RowKind.SECTION, "官僚主义")
    assert classify([None, "一号路灯不亮", None], mapping, headers)[0] == RowKind.ITEM
    assert classify(["序号", "问题描述", "责任单位"], mapping, headers)[0] == RowKind.HEADER
    assert classify(["填表人：张三", None, None], mapping, headers)[0] == RowKind.NOTE


def test_not_a_spreadsheet_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="xlsx"):
        LedgerFile(io.BytesIO(b"hello"), "ledger.xlsx")
    with pytest.raises(InvalidInput, match=r"\.docx"):
        LedgerFile(io.BytesIO(b"hello"), "ledger.docx")
    assert ROWS_ONE  # the builders' data is what the fixture was made from


def test_a_sections_category_goes_by_several_names() -> None:
    assert section_variants("形式主义方面（12项）") == ["形式主义方面（12项）", "形式主义方面", "形式主义"]
    assert section_variants("官僚主义") == ["官僚主义"]
