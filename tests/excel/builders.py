"""Messy ledgers built in code, the way campaign offices keep them: a merged title, filler rows, a header
under them, section rows, cells merged down over several items, blank and note rows, full-width digits,
trailing spaces, and every written form of a date."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

TITLE = "2014年党的群众路线教育实践活动整改台账"
HEADER = (
    "序号",
    "问题来源",
    "存在问题",
    "问题类别",
    "整改措施",
    "责任部门",
    "分管领导",
    "责任人",
    "完成时限",
    "进展情况",
    "完成数量",
    "整改状态",
    "销号时间",
    "群众满意度",
)

# (序号, 来源, 问题, 类别, 措施, 单位, 领导, 责任人, 时限, 进展, 数量, 状态, 销号时间);
# None where a merged cell above covers it.
SECTION_ONE = "一、形式主义方面"
SECTION_TWO = "（二）官僚主义方面"
ROWS_ONE: list[tuple[Any, ...]] = [
    (
        1,
        "职工座谈会",
        "会议多、文件多 ",
        None,
        "精简会议，控制发文",
        "第一氧化铝厂",
        "原卫平",
        "侯同义",
        "2014年9月30日",
        "",
        None,
        "未启动",
        None,
    ),
    (
        "２",
        "意见箱",
        "检查评比过多",
        None,
        "清理检查评比项目",
        None,
        None,
        "侯同义",
        "２０１４.９.３０",
        "已清理5项",
        5,
        "整改中",
        None,
    ),
    (
        3,
        "走访",
        "调研走过场",
        None,
        "建立基层联系点",
        None,
        None,
        "",
        "2014/9/30",
        "已建立联系点12个",
        "12/20个",
        "已完成",
        "2014-10-08",
    ),
]
ROWS_TWO: list[tuple[Any, ...]] = [
    (
        1,
        "座谈会",
        "办事效率低 ",
        "",
        "推行首问负责制",
        "原料车间",
        "侯同义",
        "侯同义",
        "2014-9-30",
        "",
        None,
        "",
        None,
    ),
    (
        2,
        "热线",
        "审批环节多",
        None,
        "精简审批环节",
        None,
        None,
        "",
        dt.datetime(2014, 10, 31),  # noqa: DTZ001  # Excel date cells are naive
        "",
        None,
        "",
        None,
    ),
    (
        3,
        "信访",
        "路灯不亮",
        "路灯照明",
        "修复路灯",
        None,
        None,
        "",
        "9月底前",
        "已修复30盏",
        "30/40盏",
        "整改中",
        None,
    ),
    (4, "座谈会", "门难进脸难看", None, "开展作风整顿", None, None, "", "10月中旬", "", None, "", None),
    (
        5,
        "座谈会",
        "制度落实不到位",
        None,
        "健全制度",
        None,
        None,
        "",
        "长期坚持",
        "已制定制度3项",
        None,
        "整改中",
        None,
    ),
    (6, "现场", "厂区积水", None, "疏通排水沟", None, None, "", "立行立改", "", None, "中止", None),
    (
        7,
        "座谈会",
        "澡堂热水不足",
        None,
        "更换热水器",
        None,
        None,
        "",
        "２０１４年１０月１日",
        "",
        None,
        "未启动",
        None,
    ),
]
NOTE = "注：以上问题由纪检监察工作部汇总，每月更新。"


def first_sheet(workbook: Workbook) -> Worksheet:
    sheet = workbook.worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def _append(sheet: Any, values: Sequence[Any]) -> int:
    sheet.append(list(values))
    return int(sheet.max_row)


def messy_workbook() -> Workbook:
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.title = "台账"
    sheet.append([TITLE])
    sheet.merge_cells("A1:N1")
    sheet.append(
        ["填报单位：纪检监察工作部", None, None, None, None, None, None, None, "填报时间：2014年9月1日"]
    )
    sheet.append(list(HEADER))
    row = _append(sheet, [SECTION_ONE])
    sheet.merge_cells(f"A{row}:N{row}")
    first = 0
    for values in ROWS_ONE:
        row = _append(sheet, [*values, None])
        first = first or row
    # 责任部门 and 分管领导 merged down over the three items of the section
    sheet.merge_cells(f"F{first}:F{row}")
    sheet.merge_cells(f"G{first}:G{row}")
    sheet.append([])  # a blank row
    row = _append(sheet, [SECTION_TWO])
    sheet.merge_cells(f"A{row}:N{row}")
    first = 0
    for values in ROWS_TWO:
        row = _append(sheet, [*values, None])
        first = first or row
    sheet.merge_cells(f"F{first}:F{row}")
    sheet.merge_cells(f"G{first}:G{row}")
    cell = sheet.cell(row=first + 1, column=9)
    cell.number_format = "yyyy年m月d日"  # a real Excel date cell, shown the Chinese way
    row = _append(sheet, [NOTE])
    sheet.merge_cells(f"A{row}:N{row}")
    return workbook


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def simple_workbook(
    rows: Sequence[Sequence[Any]], *, title: str = TITLE, header: Sequence[str] = HEADER
) -> bytes:
    workbook = Workbook()
    sheet = first_sheet(workbook)
    sheet.append([title])
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    return to_bytes(workbook)


def messy_csv(encoding: str = "gbk") -> bytes:
    """The messy ledger as a CSV export of it would be: no merges (each row carries its unit and leader),
    dates as text, GBK by default as Excel saves CSV on a Chinese Windows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for section, rows in ((SECTION_ONE, ROWS_ONE), (SECTION_TWO, ROWS_TWO)):
        writer.writerow([section])
        unit = leader = None
        for values in rows:
            cells = list(values)
            unit = cells[5] = cells[5] or unit
            leader = cells[6] = cells[6] or leader
            if isinstance(cells[8], dt.datetime):
                cells[8] = f"{cells[8]:%Y-%m-%d}"
            writer.writerow(["" if value is None else value for value in cells])
        writer.writerow([])
    writer.writerow([NOTE])
    return buffer.getvalue().encode(encoding)
