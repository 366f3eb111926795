"""Opinions from a spreadsheet: a hotline's records (12345 工单), a suggestion box's register, a forum's
notes.

Every row goes through `intake.services.opinion_submit`, as a web or API submission does, so an imported
opinion is indexed for search, gets its dispatch suggestion, reaches the webhooks and counts in the measures
on the day it was received. The file is checked whole first: one row in error and nothing is written.
Importing the same file again adds nothing (each row's idempotency key is its record number, or its content).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from taizhang.core import clock
from taizhang.core.errors import InvalidInput, NotPermitted
from taizhang.excel.dates import DateFormError, parse_date
from taizhang.excel.jobs import max_import_bytes
from taizhang.excel.mapping import header_key
from taizhang.excel.reading import Cell, LedgerFile, SheetRow, cell_text
from taizhang.excel.services import close_names, may_import, name_key
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, Opinion, Place
from taizhang.ledger.models import Category
from taizhang.org.models import Person, Role, Unit
from taizhang.org.scope import scope_of

#: Rows a web upload may hold; larger files go through `taizhang import-opinions` (no limit).
WEB_ROWS = 2000
HEADER_SCAN_ROWS = 30
#: How many rows are read before the progress is reported.
PROGRESS_EVERY = 200

type Progress = Callable[[int, int | None], None]


class Column(StrEnum):
    RECORD = "record"
    RECEIVED = "received"
    TEXT = "text"
    PLACE = "place"
    CHANNEL = "channel"
    CATEGORY = "category"
    UNIT = "unit"
    NAME = "contact_name"
    PHONE = "contact_phone"
    ANONYMOUS = "anonymous"


COLUMN_LABELS: dict[Column, Promise] = {
    Column.RECORD: gettext_lazy("Record number"),
    Column.RECEIVED: gettext_lazy("Received"),
    Column.TEXT: gettext_lazy("Opinion"),
    Column.PLACE: gettext_lazy("Place"),
    Column.CHANNEL: gettext_lazy("Channel"),
    Column.CATEGORY: gettext_lazy("Category"),
    Column.UNIT: gettext_lazy("Unit concerned"),
    Column.NAME: gettext_lazy("Name"),
    Column.PHONE: gettext_lazy("Phone"),
    Column.ANONYMOUS: gettext_lazy("Anonymous"),
}

#: The names each column goes by in hotline and register exports (compared as `mapping.header_key` does:
#: no spaces, full-width forms folded, bracketed remarks dropped), English ones last.
SYNONYMS: dict[Column, tuple[str, ...]] = {
    Column.RECORD: (
        "工单编号",
        "工单号",
        "受理编号",
        "来电编号",
        "记录编号",
        "流水号",
        "单号",
        "编号",
        "record",
    ),
    Column.RECEIVED: (
        "来电时间",
        "受理时间",
        "反映时间",
        "登记时间",
        "来信时间",
        "提交时间",
        "收到时间",
        "时间",
        "日期",
        "received",
    ),
    Column.TEXT: (
        "诉求内容",
        "反映内容",
        "意见内容",
        "来电内容",
        "来信内容",
        "意见建议",
        "意见和建议",
        "反映问题",
        "问题描述",
        "具体内容",
        "诉求",
        "内容",
        "opinion",
        "text",
    ),
    Column.PLACE: ("地点", "地址", "位置", "发生地点", "事发地点", "事发地址", "问题地点", "place"),
    Column.CHANNEL: ("渠道", "来源", "反映渠道", "受理渠道", "来源渠道", "诉求渠道", "channel"),
    Column.CATEGORY: ("类别", "问题类别", "诉求类别", "诉求类型", "分类", "类型", "category"),
    Column.UNIT: ("所属单位", "涉及单位", "反映单位", "单位", "unit"),
    Column.NAME: ("来电人", "来信人", "反映人", "诉求人", "联系人", "姓名", "name"),
    Column.PHONE: ("联系电话", "来电号码", "手机号码", "手机号", "手机", "电话", "联系方式", "phone"),
    Column.ANONYMOUS: ("是否匿名", "匿名", "anonymous"),
}
_HEADERS = {header_key(name): column for column, names in SYNONYMS.items() for name in names}

#: Words of a channel cell ("12345市民热线", "书记信箱") and the channel each names; the first found wins.
CHANNEL_WORDS: tuple[tuple[str, Channel], ...] = (
    ("12345", Channel.HOTLINE),
    ("热线", Channel.HOTLINE),
    ("来电", Channel.HOTLINE),
    ("电话", Channel.HOTLINE),
    ("意见箱", Channel.MAILBOX),
    ("信箱", Channel.MAILBOX),
    ("来信", Channel.MAILBOX),
    ("座谈", Channel.MEETING),
    ("会议", Channel.MEETING),
    ("谈心", Channel.TALK),
    ("谈话", Channel.TALK),
    ("走访", Channel.VISIT),
    ("下基层", Channel.VISIT),
    ("督导", Channel.SUPERVISION),
    ("二维码", Channel.QR),
    ("扫码", Channel.QR),
    ("网站", Channel.WEB),
    ("网上", Channel.WEB),
    ("网络", Channel.WEB),
    ("微信", Channel.WEB),
    ("小程序", Channel.WEB),
    ("app", Channel.WEB),
)
#: The channels a file's rows may come from: not those only a system gives (API, Open311, "me too", the
#: problems' own ledger import).
IMPORTABLE_CHANNELS = tuple(
    channel
    for channel in Channel
    if channel not in {Channel.API, Channel.OPEN311, Channel.ME_TOO, Channel.IMPORT}
)
#: `intake.services.validate_opinion`'s fields and the columns they are read from.
_INPUT_COLUMNS = {
    "text": Column.TEXT,
    "channel": Column.CHANNEL,
    "place_text": Column.PLACE,
    "unit": Column.UNIT,
    "contact_name": Column.NAME,
    "contact_phone": Column.PHONE,
    "received_at": Column.RECEIVED,
}
_YES = {"是", "匿名", "y", "yes", "true", "1", "√", "✓"}
_NO = {"", "否", "实名", "n", "no", "false", "0", "×"}
_TIME = re.compile(r"^(.*?)[\sT]*(\d{1,2})[:：时点](\d{1,2})(?:[:：分](\d{1,2})秒?)?分?$")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class OpinionImportReport:
    rows: int = 0
    created: int = 0
    repeated: int = 0
    errors: list[RowError] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → the file's header it was read from
    written: bool = False


@dataclass(frozen=True)
class _Planned:
    row: int
    data: intake.OpinionInput
    key: str


def channel_of(text: str) -> Channel | None:
    plain = header_key(text)
    for channel in IMPORTABLE_CHANNELS:
        if plain in {channel.value, header_key(channel.label)}:
            return channel
    return next((channel for word, channel in CHANNEL_WORDS if word in plain), None)


def importable_channel(value: str) -> Channel:
    """The default channel named by its code; InvalidInput for a channel no file brings."""
    channel = next((item for item in IMPORTABLE_CHANNELS if item.value == value), None)
    if channel is None:
        raise InvalidInput(
            _("Unknown channel “%(value)s”; one of: %(known)s.")
            % {"value": value, "known": ", ".join(item.value for item in IMPORTABLE_CHANNELS)},
            field="channel",
        )
    return channel


def received_at(value: object, *, today: dt.date) -> dt.datetime:
    """A record's time: an Excel date or date-time cell, or text such as 2026-11-20 09:30 or
    2026年11月20日 9时30分, read in the server's time zone. Raises DateFormError."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    else:
        text = cell_text(value)  # type: ignore[arg-type]  # a cell's value
        clock_time = dt.time()
        match = _TIME.match(text)
        if match:
            try:
                hour, minute, second = match.group(2), match.group(3), match.group(4) or "0"
                clock_time = dt.time(int(hour), int(minute), int(second))
            except ValueError:
                raise DateFormError(_("“%(value)s” is not a time of day.") % {"value": text}) from None
            text = match.group(1)
        moment = dt.datetime.combine(parse_date(text.strip(), year=today.year), clock_time)
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _find_header(rows: Iterator[SheetRow]) -> tuple[dict[int, Column], list[str]]:
    for row in rows:
        headers = [cell_text(value) for value in row.values]
        found: dict[int, Column] = {}
        for index, text in enumerate(headers):
            column = _HEADERS.get(header_key(text))
            if column is not None and column not in found.values():
                found[index] = column
        if Column.TEXT in found.values() and len(found) >= 2:
            return found, headers
        if row.number >= HEADER_SCAN_ROWS:
            break
    raise InvalidInput(
        _(
            "No header row was found in the first %(rows)d rows. It must name the opinion's text "
            "(诉求内容, 反映内容, 意见内容 …) and at least one other column (来电时间, 地点, 来电人 …)."
        )
        % {"rows": HEADER_SCAN_ROWS},
        field="file",
    )


class _Reader:
    """Turns the file's rows into opinions to submit, or errors, with the organisation's names at hand."""

    def __init__(
        self, user: Person, columns: dict[int, Column], headers: list[str], channel: Channel
    ) -> None:
        self.scope = scope_of(user)
        self.columns = columns
        self.headers = headers
        self.channel = channel
        self.today = clock.today()
        # Names compared as the ledger import compares them (services.name_key: no spaces, NFKC).
        places = Place.objects.filter(is_active=True).select_related("unit")
        self.places = {name_key(place.name): place for place in places}
        self.categories = {name_key(item.name): item for item in Category.objects.filter(is_active=True)}
        self.units = {name_key(unit.name): unit for unit in Unit.objects.filter(is_active=True)}
        # "Did you mean" offers only the units the person supervises.
        supervised = self.scope.unit_q((Role.SUPERVISOR, Role.ADMIN), "path")
        names = Unit.objects.filter(supervised, is_active=True).values_list("name", flat=True)
        self.unit_names = sorted(set(names))
        self.category_names = sorted(category.name for category in self.categories.values())
        self.root = intake.root_unit()

    def header(self, column: Column) -> str:
        for index, found in self.columns.items():
            if found == column:
                return self.headers[index] or get_column_letter(index + 1)
        return str(COLUMN_LABELS[column])

    def read(self, row: SheetRow) -> _Planned | list[RowError] | None:
        """The opinion to submit, the row's errors, or None for an empty row."""
        width = len(row.values)
        cells = {column: row.values[index] for index, column in self.columns.items() if index < width}
        texts = {column: cell_text(value) for column, value in cells.items()}
        if not any(texts.values()):
            return None
        wrong: dict[Column, list[str]] = {}
        data = self._input(cells, texts, wrong)
        try:
            intake.validate_opinion(data)
        except InvalidInput as refused:
            for name_of_field, messages in (refused.errors or {}).items():
                column = _INPUT_COLUMNS.get(name_of_field, Column.TEXT)
                wrong.setdefault(column, []).extend(str(message) for message in messages)
        if wrong:
            return [
                RowError(row.number, self.header(column), message)
                for column, messages in wrong.items()
                for message in messages
            ]
        return _Planned(row.number, data, self.key(texts, data))

    def _input(
        self, cells: dict[Column, Cell], texts: dict[Column, str], wrong: dict[Column, list[str]]
    ) -> intake.OpinionInput:
        """The row as the submission's input; what cannot be read is added to `wrong`."""

        def named[T](column: Column, known: dict[str, T], names: list[str], *messages: str) -> T | None:
            """The thing the cell names; else an error, "did you mean" when a name is close."""
            text = texts.get(column, "")
            found = known.get(name_key(text)) if text else None
            if text and found is None:
                close = close_names(name_key(text), names)
                message = messages[1] if close else messages[0]
                wrong.setdefault(column, []).append(message % {"name": text, "names": close})
            return found

        moment = None
        if texts.get(Column.RECEIVED):
            try:
                moment = received_at(cells[Column.RECEIVED], today=self.today)
            except DateFormError as error:
                wrong.setdefault(Column.RECEIVED, []).append(str(error))
        channel_text = texts.get(Column.CHANNEL, "")
        channel = channel_of(channel_text) if channel_text else self.channel
        if channel is None:
            wrong.setdefault(Column.CHANNEL, []).append(
                _("“%(name)s” is not a channel.") % {"name": channel_text}
            )
        category = named(
            Column.CATEGORY,
            self.categories,
            self.category_names,
            _("No category is called “%(name)s”."),
            _("No category is called “%(name)s”. Did you mean: %(names)s?"),
        )
        unit = named(
            Column.UNIT,
            self.units,
            self.unit_names,
            _("No unit is called “%(name)s”."),
            _("No unit is called “%(name)s”. Did you mean: %(names)s?"),
        )
        place_text = texts.get(Column.PLACE, "")
        place = self.places.get(name_key(place_text)) if place_text else None
        concerned = unit or (place.unit if place else None) or self.root
        if not self.scope.covers(Role.SUPERVISOR, concerned.path):
            wrong.setdefault(Column.PLACE if place and not unit else Column.UNIT, []).append(
                _("%(unit)s is outside the units you supervise.") % {"unit": concerned.name}
            )
        name, phone = texts.get(Column.NAME, ""), texts.get(Column.PHONE, "")
        anonymous = not (name or phone)
        if texts.get(Column.ANONYMOUS):
            answer = header_key(texts[Column.ANONYMOUS])
            anonymous = answer in _YES
            if answer not in _YES | _NO:
                wrong.setdefault(Column.ANONYMOUS, []).append(_("Write 是 or 否."))
            elif anonymous and (name or phone):
                wrong.setdefault(Column.ANONYMOUS, []).append(
                    _("An anonymous opinion cannot carry a name or phone number.")
                )
        return intake.OpinionInput(
            text=texts.get(Column.TEXT, ""),
            channel=channel or self.channel,
            anonymous=anonymous,
            place=place,
            place_text="" if place else place_text,
            unit=unit,
            category=category,
            contact_name="" if anonymous else name,
            contact_phone="" if anonymous else phone,
            received_at=moment,
        )

    def key(self, texts: dict[Column, str], data: intake.OpinionInput) -> str:
        """The idempotency key: the record number where the file has one, else what the row says. Hashed,
        so a key says nothing of its row."""
        if texts.get(Column.RECORD):
            basis = ["record", texts[Column.RECORD]]
        else:
            basis = [texts.get(Column.RECEIVED, ""), data.text.strip(), data.place_text, data.contact_name]
        digest = hashlib.sha256("\x1f".join(basis).encode()).hexdigest()
        return f"import:{digest[:64]}"


def _check_upload(channel: str, size: int | None) -> Channel:
    if size is not None and size > max_import_bytes():
        raise InvalidInput(
            _("The file is larger than %(limit)d MB; import it with `taizhang import-opinions`.")
            % {"limit": max_import_bytes() // (1024 * 1024)},
            field="file",
        )
    return importable_channel(channel)


def _read_file(
    opened: LedgerFile,
    reader: Callable[[list[str], dict[int, Column]], _Reader],
    report: OpinionImportReport,
    *,
    max_rows: int | None,
    progress: Progress | None,
) -> list[_Planned]:
    """Every row of the file, checked: the opinions to submit; errors go to the report."""
    rows = iter(opened.rows)
    columns, headers = _find_header(rows)
    read = reader(headers, columns)
    report.columns = {column.value: read.header(column) for column in columns.values()}
    planned: list[_Planned] = []
    for row in rows:
        item = read.read(row)
        if item is None:
            continue
        report.rows += 1
        if max_rows is not None and report.rows > max_rows:
            raise InvalidInput(
                _("The file has more than %(rows)d rows; import it with `taizhang import-opinions`.")
                % {"rows": max_rows},
                field="file",
            )
        if isinstance(item, list):
            report.errors.extend(item)
        else:
            planned.append(item)
        if progress is not None and report.rows % PROGRESS_EVERY == 0:
            progress(report.rows, opened.total_rows)
    return planned


def opinion_import(  # the file and the import's options
    *,
    user: Person,
    file: IO[bytes],
    name: str,
    channel: str = Channel.HOTLINE,
    dry_run: bool = False,
    sheet: str | None = None,
    size: int | None = None,
    max_rows: int | None = None,
    progress: Progress | None = None,
) -> OpinionImportReport:
    """Check every row of the file and, when none is in error (and not `dry_run`), submit them all in one
    transaction. Rows already imported (same key) are counted as repeated and left as they are. `created`
    counts the opinions submitted, or those a dry run would submit."""
    if not may_import(user):
        raise NotPermitted(_("Only supervisors import opinions."))
    default_channel = _check_upload(channel, size)
    report = OpinionImportReport()
    with LedgerFile(file, name, sheet=sheet) as opened:
        planned = _read_file(
            opened,
            lambda headers, columns: _Reader(user, columns, headers, default_channel),
            report,
            max_rows=max_rows,
            progress=progress,
        )
    known = _keys_taken([item.key for item in planned])
    fresh: list[_Planned] = []
    for item in planned:
        if item.key in known:
            report.repeated += 1
        else:
            known.add(item.key)
            fresh.append(item)
    if report.errors:
        return report
    report.created = len(fresh)
    if dry_run:
        return report
    with transaction.atomic():
        for done, item in enumerate(fresh, start=1):
            intake.opinion_submit(user=None, data=item.data, idempotency_key=item.key, key_checked=True)
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, len(fresh))
    report.written = True
    return report


def _keys_taken(keys: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(keys), 1000):
        found = Opinion.objects.filter(idempotency_key__in=keys[start : start + 1000])
        taken.update(key for key in found.values_list("idempotency_key", flat=True) if key)
    return taken
