"""Reading a ledger file as a stream of rows: .xlsx (openpyxl read-only), .xls (xlrd), .csv (UTF-8 or GBK).

Then the ledger's shape: the header row under title and filler rows, merged cells filled down the way people
mean them (a unit or leader merged over several items applies to each), section rows ("一、形式主义方面")
that give the items under them their category, and blank and note rows skipped.

Nothing here holds a whole sheet: .xlsx rows are parsed as they are read, the merged ranges come from a
byte scan of the sheet's XML (openpyxl's read-only mode does not expose them), and CSV is decoded as it is
read. .xls files are at most 65,536 rows, so xlrd's whole-sheet reading is bounded anyway.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _

from taizhang.core.errors import InvalidInput
from taizhang.excel.mapping import Field, match_header

type Cell = str | int | float | bool | dt.datetime | dt.date | None

#: Rows scanned for the header before giving up.
HEADER_SCAN_ROWS = 30
#: The header must name at least this many known columns (one of them the description).
HEADER_MIN_MATCHES = 3

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")


@dataclass
class SheetRow:
    number: int  # 1-based, as the spreadsheet shows it
    values: list[Cell]


def _clean(value: Any) -> Cell:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.time):  # a time-only cell: keep it visible in an error, not as a date
        return value.isoformat()
    return value  # type: ignore[no-any-return]  # openpyxl and xlrd hand out plain Python values


# --- .xlsx ----------------------------------------------------------------------------------------------

_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + (char - 64)
    return number


def xlsx_merged_ranges(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range, from a streamed scan of the sheet's XML:
    decompressing and matching bytes costs a small part of parsing the XML."""
    found, _rows = xlsx_scan(archive, member)
    return found


_ROW = re.compile(rb"<(?:\w+:)?row\s[^>]*?r=\"(\d+)\"")


def xlsx_scan(
    archive: zipfile.ZipFile, member: str, *, chunk_size: int = 1 << 20
) -> tuple[list[tuple[int, int, int, int]], int | None]:
    """The merged ranges and the number of the last row, in one streamed byte scan of the sheet's XML."""
    found: list[tuple[int, int, int, int]] = []
    last_row: int | None = None
    tail = b""
    with archive.open(member) as source:
        while chunk := source.read(chunk_size):
            data = tail + chunk
            last_end = 0
            for match in _MERGE.finditer(data):
                first_col, first_row, end_col, end_row = match.groups()
                found.append(
                    (
                        int(first_row),
                        _column_number(first_col),
                        int(end_row or first_row),
                        _column_number(end_col or first_col),
                    )
                )
                last_end = match.end()
            rows = _ROW.findall(data)
            if rows:
                last_row = int(rows[-1])
            # Keep an unfinished tag for the next chunk, never one already matched.
            tail = data[max(last_end, len(data) - 200) :]
    return found, last_row


type Opened = tuple[str, list[str], Iterator[SheetRow], Any, int | None]


def _xlsx_rows(file: IO[bytes], sheet: str | None) -> Opened:
    from openpyxl import load_workbook  # noqa: PLC0415  # import cost only when an .xlsx is read
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # noqa: PLC0415

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InvalidInput(_("This is not a readable .xlsx file (%(error)s).") % {"error": error}) from None
    names = list(workbook.sheetnames)
    worksheet = workbook[sheet] if sheet in names else workbook.worksheets[0]
    if not isinstance(worksheet, ReadOnlyWorksheet):
        raise InvalidInput(_("The sheet “%(sheet)s” holds no table.") % {"sheet": worksheet.title})
    # openpyxl keeps the sheet's path in the archive privately; openpyxl is pinned (pyproject.toml).
    member: str = worksheet._worksheet_path  # type: ignore[attr-defined]  # not in the type stubs
    file.seek(0)
    with zipfile.ZipFile(file) as archive:
        merged, last_row = xlsx_scan(archive, member)
    worksheet.reset_dimensions()  # some writers record a wrong dimension

    def rows() -> Iterator[SheetRow]:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield SheetRow(number, [_clean(value) for value in values])
        workbook.close()

    return worksheet.title, names, fill_merged(rows(), merged), workbook, last_row


# --- .xls -----------------------------------------------------------------------------------------------


def _xls_rows(content: bytes, sheet: str | None) -> Opened:
    import xlrd  # noqa: PLC0415

    try:
        book = xlrd.open_workbook(file_contents=content, formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, ValueError, AssertionError, IndexError, OSError) as error:
        raise InvalidInput(_("This is not a readable .xls file (%(error)s).") % {"error": error}) from None
    names = book.sheet_names()
    worksheet = book.sheet_by_name(sheet) if sheet in names else book.sheet_by_index(0)
    # xlrd: (first row, row after last, first column, column after last), 0-based.
    merged = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in worksheet.merged_cells]

    def value(cell: Any) -> Cell:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)  # type: ignore[no-any-return]
            except (ValueError, OverflowError):
                return _clean(cell.value)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
            return None
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return _clean(cell.value)

    def rows() -> Iterator[SheetRow]:
        for index in range(worksheet.nrows):
            yield SheetRow(index + 1, [value(cell) for cell in worksheet.row(index)])
        book.release_resources()

    return worksheet.name, names, fill_merged(rows(), merged), book, worksheet.nrows


# --- .csv -----------------------------------------------------------------------------------------------


def csv_encoding(file: IO[bytes]) -> tuple[str, int]:
    """UTF-8 (with or without BOM) when every byte decodes as UTF-8, else GB18030 (a superset of GBK); and
    the number of lines (an estimate of the rows, for progress)."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding = "utf-8-sig"
    lines = 0
    while chunk := file.read(1 << 20):
        lines += chunk.count(b"\n")
        if encoding == "utf-8-sig":
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                encoding = "gb18030"
    if encoding == "utf-8-sig":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "gb18030"
    file.seek(0)
    return encoding, lines


def _csv_rows(file: IO[bytes]) -> Opened:
    encoding, lines = csv_encoding(file)
    text = io.TextIOWrapper(file, encoding=encoding, errors="replace", newline="")
    sample = text.read(64 * 1024)
    text.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel

    def rows() -> Iterator[SheetRow]:
        for number, values in enumerate(csv.reader(text, dialect), start=1):
            yield SheetRow(number, [_clean(value) for value in values])

    return "CSV", ["CSV"], rows(), text, lines


# --- any file -------------------------------------------------------------------------------------------


def fill_merged(rows: Iterable[SheetRow], merged: list[tuple[int, int, int, int]]) -> Iterator[SheetRow]:
    """A cell merged down over several rows (a unit, a leader, a deadline) gives its value to each row.
    Merges across columns only (a title, a section row) are left as they are: the value stays in the first
    cell, as in the file."""
    starts: dict[int, list[tuple[int, int, int, int]]] = {}
    for merge in merged:
        if merge[2] > merge[0]:
            starts.setdefault(merge[0], []).append(merge)
    active: list[tuple[int, int, Cell]] = []  # (column, last row, value)
    for row in rows:
        active = [entry for entry in active if entry[1] >= row.number]
        for _first, column, last, _last_col in starts.pop(row.number, []):
            value = row.values[column - 1] if column <= len(row.values) else None
            active.append((column, last, value))
        for column, _last, value in active:
            if value is None:
                continue
            if len(row.values) < column:
                row.values.extend([None] * (column - len(row.values)))
            if row.values[column - 1] is None:
                row.values[column - 1] = value
        yield row


class LedgerFile:
    """An opened ledger: its sheet and a single pass over its rows. Close it (or use `with`)."""

    def __init__(self, file: IO[bytes], name: str, *, sheet: str | None = None) -> None:
        self.name = name
        suffix = PurePath(name).suffix.lower()
        if suffix not in SUFFIXES:
            raise InvalidInput(
                _("“%(name)s” is not a ledger file this import reads (.xlsx, .xls or .csv).")
                % {"name": name},
                field="file",
            )
        self.kind = {".xlsm": "xlsx", ".txt": "csv"}.get(suffix, suffix[1:])
        if self.kind == "xlsx":
            opened = _xlsx_rows(file, sheet)
        elif self.kind == "xls":
            opened = _xls_rows(file.read(), sheet)
        else:
            opened = _csv_rows(file)
        self.sheet, self.sheet_names, self.rows, self._handle, self.total_rows = opened

    def close(self) -> None:
        closer = getattr(self._handle, "close", None) or getattr(self._handle, "release_resources", None)
        if closer is not None:
            closer()

    def __enter__(self) -> LedgerFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# --- the ledger's shape ---------------------------------------------------------------------------------


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Layout:
    """Where the ledger sits in its sheet."""

    header_row: int
    headers: list[str]
    data_start: int
    title: str = ""
    sheet: str = ""
    sheet_names: list[str] = field(default_factory=list)


def _header_fields(values: list[Cell]) -> set[Field]:
    return {found for value in values if (found := match_header(value)) is not None}


def detect_layout(rows: Iterator[SheetRow]) -> tuple[Layout, Iterator[SheetRow]]:
    """Find the header row under title and filler rows; return the layout and the rows after it."""
    seen: list[SheetRow] = []
    titles: list[str] = []
    for row in rows:
        fields = _header_fields(row.values)
        if len(fields) >= HEADER_MIN_MATCHES and fields & {Field.DESCRIPTION, Field.TITLE}:
            headers = [cell_text(value) for value in row.values]
            data_start = row.number + 1
            following = next(rows, None)
            pending: list[SheetRow] = []
            if following is not None:
                sub = _header_fields(following.values)
                texts = [cell_text(value) for value in following.values if value is not None]
                # A second header row (责任 over 责任单位 / 责任领导 / 责任人): its names win.
                if sub and all(match_header(text) is not None for text in texts):
                    for index, value in enumerate(following.values):
                        if match_header(value) is not None:
                            headers.extend([""] * (index + 1 - len(headers)))
                            headers[index] = cell_text(value)
                    data_start = following.number + 1
                else:
                    pending.append(following)
            layout = Layout(header_row=row.number, headers=headers, data_start=data_start)
            layout.title = titles[0] if titles else ""
            return layout, itertools.chain(pending, rows)
        seen.append(row)
        text = next((cell_text(value) for value in row.values if value is not None), "")
        if text:
            titles.append(text)
        if len(seen) >= HEADER_SCAN_ROWS:
            break
    raise InvalidInput(
        _(
            "No header row was found in the first %(rows)d rows. The header must name the problem "
            "description (问题描述 or 存在问题 …) and at least two other columns (责任单位, 完成时限 …)."
        )
        % {"rows": HEADER_SCAN_ROWS},
        field="file",
    )


class RowKind:
    ITEM = "item"
    BLANK = "blank"
    SECTION = "section"
    NOTE = "note"
    HEADER = "header"


# A section's ordinal needs its brackets or its separator: "一号路灯不亮" is an item, "一、…" a section.
_ORDINAL = re.compile(r"^(?:[(（][一二三四五六七八九十百]+[)）]|[一二三四五六七八九十百]+[、.．,，])\s*")
_ORDINAL_ONLY = re.compile(r"^[(（]?[一二三四五六七八九十百]+[)）]?[、.．]?$")
_REMARK = re.compile(r"[(（【\[].*?[)）】\]]")
_SECTION_SUFFIX = re.compile(r"(?:方面的问题|方面问题|方面存在的问题|方面|类问题|问题)$")
_NOTE_PREFIXES = (
    "注",
    "备注",
    "说明",
    "填表",
    "填报",
    "制表",
    "审核",
    "合计",
    "小计",
    "总计",
    "附",
    "联系人",
    "签字",
)


def section_name(text: str) -> str:
    """'一、形式主义方面' → '形式主义方面' (the category is matched with and without the 方面 suffix)."""
    return _ORDINAL.sub("", unicodedata.normalize("NFKC", text).strip()).strip()


def section_variants(name: str) -> list[str]:
    """The names a section's category may go by: as written, without a bracketed remark ("（12项）"), and
    without a trailing 方面 / 方面问题 / 问题."""
    variants = [name]
    for candidate in (_REMARK.sub("", name).strip(),):
        variants.append(candidate)
        variants.append(_SECTION_SUFFIX.sub("", candidate).strip())
    return list(dict.fromkeys(variant for variant in variants if variant))


def classify(  # noqa: PLR0911  # one return per kind of row
    values: list[Cell], mapping: dict[int, Field], headers: list[str]
) -> tuple[str, str]:
    """The kind of a row under the header, and for a section row its name."""
    filled = [(index, value) for index, value in enumerate(values) if value is not None and cell_text(value)]
    if not filled:
        return RowKind.BLANK, ""
    texts = [cell_text(value) for _index, value in filled]
    header_texts = [text for text in headers if text]
    if len(texts) >= HEADER_MIN_MATCHES and texts == header_texts:
        return RowKind.HEADER, ""
    description_column = next(
        (index for index, found in mapping.items() if found in (Field.DESCRIPTION, Field.TITLE)), None
    )
    seq_column = next((index for index, found in mapping.items() if found == Field.SEQ), None)
    first = texts[0]
    if len(filled) == 1:
        if _ORDINAL.match(first) and section_name(first):
            return RowKind.SECTION, section_name(first)
        if _SECTION_SUFFIX.search(first) and len(first) <= 30 and filled[0][0] != description_column:
            return RowKind.SECTION, section_name(first)
        if filled[0][0] != description_column or first.startswith(_NOTE_PREFIXES):
            return RowKind.NOTE, ""
        return RowKind.ITEM, ""
    if len(filled) == 2 and filled[0][0] == seq_column and _ORDINAL_ONLY.match(first):
        return RowKind.SECTION, section_name(texts[1])
    if first.startswith(_NOTE_PREFIXES) and len(filled) <= 3 and filled[0][0] != description_column:
        return RowKind.NOTE, ""
    return RowKind.ITEM, ""
