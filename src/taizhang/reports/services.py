"""Writes of the reports app: a month's expense figures from the form, and imports from CSV or Excel.

Both are all-or-nothing: a bad figure or a bad row is reported (with its row number) and nothing is written,
unless the person chose to import the valid rows only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zipfile import BadZipFile

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from taizhang.core import clock
from taizhang.core.errors import DomainError, InvalidInput, NotPermitted
from taizhang.org.models import Person, Unit
from taizhang.reports.models import ExpenseKind, ExpenseRecord
from taizhang.reports.scope import report_scope

type AnyUser = Person | AnonymousUser
type Message = str | Promise

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000
MAX_AMOUNT = Decimal("999999999999.99")

#: Accepted column headings (English codes, and what a Chinese spreadsheet usually says).
HEADINGS = {
    "unit": ("unit", "单位", "单位代码"),
    "month": ("month", "月份", "月"),
    "kind": ("kind", "类别", "项目", "费用类别"),
    "amount": ("amount", "金额", "数量", "数值"),
}


def may_enter_expenses(user: AnyUser, unit: Unit) -> bool:
    """Handlers, leaders, supervisors and administrators over the unit enter its figures."""
    try:
        report_scope(user, unit)
    except NotPermitted:
        return False
    return True


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def counted_message(kind: ExpenseKind) -> str:
    """Why a figure of a kind counted from meeting records cannot be entered (selectors.meeting_figures)."""
    assert kind.meetings_from is not None  # noqa: S101  # only asked for such kinds
    return _(
        "%(kind)s is counted from the meeting records from %(month)s on: record the meetings instead."
    ) % {"kind": kind.name, "month": f"{kind.meetings_from:%Y-%m}"}


def _amount(value: Any, kind: ExpenseKind) -> Decimal:
    """A figure as a Decimal, or InvalidInput saying what is wrong with it."""
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise InvalidInput(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise InvalidInput(_("“%(value)s” is not a number.") % {"value": value})
    if number < 0:
        raise InvalidInput(_("%(kind)s cannot be negative.") % {"kind": kind.name})
    if number > MAX_AMOUNT:
        raise InvalidInput(_("%(kind)s is too large.") % {"kind": kind.name})
    if number != number.quantize(Decimal(1).scaleb(-kind.decimals)):
        if kind.decimals == 0:
            raise InvalidInput(_("%(kind)s is a whole number.") % {"kind": kind.name})
        raise InvalidInput(
            _("%(kind)s has at most %(places)d decimal places.")
            % {"kind": kind.name, "places": kind.decimals}
        )
    return number


def expense_record_put(
    unit: Unit, month: dt.date, kind: ExpenseKind, amount: Decimal | None, user: Person | None = None
) -> bool:
    """Write one figure (None removes it), unchecked: for the services below and the demo loader.

    True when something changed.
    """
    if amount is None:
        deleted, _counts = ExpenseRecord.objects.filter(unit=unit, month=month, kind=kind).delete()
        return bool(deleted)
    record = ExpenseRecord.objects.filter(unit=unit, month=month, kind=kind).first()
    if record is not None and record.amount == amount:
        return False
    if record is None:
        record = ExpenseRecord(unit=unit, month=month, kind=kind)
    record.amount = amount
    record.updated_at = clock.now()
    record.updated_by = user
    record.save()
    return True


@transaction.atomic
def expense_month_save(
    *, user: AnyUser, unit: Unit, month: dt.date, figures: Mapping[int, Decimal | str | None]
) -> int:
    """Save a unit's figures for one month from the form: {kind id: amount, or None/"" to remove}.

    Returns how many figures changed. InvalidInput (per kind, nothing written) on a bad figure.
    """
    if not may_enter_expenses(user, unit):
        raise NotPermitted(_("You may not enter figures for %(unit)s.") % {"unit": unit.name})
    if month > clock.today():
        raise InvalidInput(_("That month has not begun yet."), field="month")
    kinds = {kind.pk: kind for kind in ExpenseKind.objects.filter(pk__in=list(figures))}
    errors: dict[str, list[Message]] = {}
    parsed: list[tuple[ExpenseKind, Decimal | None]] = []
    month = first_of_month(month)
    for kind_id, raw in figures.items():
        kind = kinds.get(kind_id)
        if kind is None:
            raise InvalidInput(_("Unknown kind of figure."), field="kind")
        blank = raw is None or (isinstance(raw, str) and not raw.strip())
        if kind.counts_meetings(month):
            # Counted from the meeting records: nothing to enter, and a blank leaves stored history alone.
            if not blank:
                errors.setdefault(f"kind_{kind_id}", []).append(counted_message(kind))
            continue
        if blank:
            parsed.append((kind, None))
            continue
        try:
            parsed.append((kind, _amount(raw, kind)))
        except InvalidInput as error:
            errors.setdefault(f"kind_{kind_id}", []).append(error.message)
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, errors=errors)
    person = user if isinstance(user, Person) else None
    return sum(expense_record_put(unit, month, kind, amount, person) for kind, amount in parsed)


# --- import ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the heading is row 1
    message: str


@dataclass
class ImportResult:
    saved: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportRejected(DomainError):
    """Some rows were bad; nothing was imported. `errors` says which and why."""

    code = "import_rejected"

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(
            _("%(count)d row(s) could not be imported; nothing was imported.") % {"count": len(errors)}
        )
        self.errors = list(errors)


def _rows_from_csv(content: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(_("The file is neither UTF-8 nor GB18030 text."), field="file")
    yield from csv.reader(io.StringIO(text))


def _rows_from_xlsx(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # noqa: PLC0415  # only imports need it
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(_("The file is not an Excel workbook (.xlsx)."), field="file") from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def read_rows(content: bytes, filename: str) -> list[list[Any]]:
    if len(content) > MAX_IMPORT_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB."), field="file")
    name = filename.lower()
    if name.endswith(".xlsx"):
        rows = _rows_from_xlsx(content)
    elif name.endswith((".csv", ".txt")):
        rows = _rows_from_csv(content)
    else:
        raise InvalidInput(_("Upload a .csv or .xlsx file."), field="file")
    found: list[list[Any]] = []
    for row in rows:
        if len(found) > MAX_IMPORT_ROWS:
            raise InvalidInput(
                _("The file has more than %(max)d rows.") % {"max": MAX_IMPORT_ROWS}, field="file"
            )
        found.append(row)
    return found


def _columns(heading: Sequence[Any]) -> dict[str, int]:
    names = [str(cell or "").strip().lower() for cell in heading]
    columns: dict[str, int] = {}
    for key, accepted in HEADINGS.items():
        for position, name in enumerate(names):
            if name in accepted:
                columns[key] = position
                break
        else:
            raise InvalidInput(
                _("The first row must name the columns unit, month, kind and amount (missing: %(col)s).")
                % {"col": key},
                field="file",
            )
    return columns


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    for pattern in ("%Y-%m", "%Y-%m-%d", "%Y%m", "%Y年%m月"):
        try:
            return dt.datetime.strptime(text, pattern).date().replace(day=1)  # noqa: DTZ007  # a date only
        except ValueError:
            continue
    raise InvalidInput(_("“%(value)s” is not a month (write 2014-08).") % {"value": value})


class _Lookup:
    """Units and kinds by code (or by an unambiguous name), fetched once per import."""

    def __init__(self) -> None:
        self.units: dict[str, Unit | None] = {}
        for unit in Unit.objects.all():
            self.units[unit.code.lower()] = unit
            self.units[unit.name] = None if unit.name in self.units else unit
        self.kinds: dict[str, ExpenseKind] = {}
        for kind in ExpenseKind.objects.filter(is_active=True):
            self.kinds[kind.code.lower()] = kind
            self.kinds[kind.name] = kind

    def unit(self, value: Any) -> Unit:
        text = str(value or "").strip()
        unit = self.units.get(text.lower()) or self.units.get(text)
        if unit is None:
            raise InvalidInput(_("No unit has the code “%(value)s”.") % {"value": text})
        return unit

    def kind(self, value: Any) -> ExpenseKind:
        text = str(value or "").strip()
        kind = self.kinds.get(text.lower()) or self.kinds.get(text)
        if kind is None:
            raise InvalidInput(_("No kind of figure is called “%(value)s”.") % {"value": text})
        return kind


def _parse(
    rows: Iterable[list[Any]], user: AnyUser
) -> tuple[list[tuple[Unit, dt.date, ExpenseKind, Decimal]], list[RowError]]:
    iterator = iter(rows)
    heading = next(iterator, None)
    if heading is None:
        raise InvalidInput(_("The file is empty."), field="file")
    columns = _columns(heading)
    lookup = _Lookup()
    allowed: dict[int, bool] = {}
    seen: dict[tuple[int, dt.date, int], int] = {}
    parsed: list[tuple[Unit, dt.date, ExpenseKind, Decimal]] = []
    errors: list[RowError] = []
    today = clock.today()
    for number, row in enumerate(iterator, start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        cells = {key: row[position] if position < len(row) else None for key, position in columns.items()}
        try:
            unit = lookup.unit(cells["unit"])
            if unit.pk not in allowed:
                allowed[unit.pk] = may_enter_expenses(user, unit)
            if not allowed[unit.pk]:
                raise InvalidInput(_("%(unit)s is outside the units you work for.") % {"unit": unit.name})
            month = _month(cells["month"])
            if month > today:
                raise InvalidInput(_("%(month)s has not begun yet.") % {"month": f"{month:%Y-%m}"})
            kind = lookup.kind(cells["kind"])
            if kind.counts_meetings(month):
                raise InvalidInput(counted_message(kind))
            amount = _amount(cells["amount"], kind)
            key = (unit.pk, month, kind.pk)
            if key in seen:
                raise InvalidInput(_("The same figure is already on row %(row)d.") % {"row": seen[key]})
            seen[key] = number
        except InvalidInput as error:
            errors.append(RowError(number, str(error.message)))
            continue
        parsed.append((unit, month, kind, amount))
    return parsed, errors


@transaction.atomic
def expense_import(
    *, user: AnyUser, content: bytes, filename: str, valid_rows_only: bool = False
) -> ImportResult:
    """Import figures from a CSV or .xlsx file with the columns unit, month, kind, amount.

    A row for a figure already stored replaces it. Any bad row rejects the whole file (ImportRejected, with
    every bad row and why) unless `valid_rows_only`.
    """
    if not isinstance(user, Person) or not user.is_authenticated:
        raise NotPermitted(_("Sign in to import figures."))
    parsed, errors = _parse(read_rows(content, filename), user)
    if errors and not valid_rows_only:
        raise ImportRejected(errors)
    result = ImportResult(errors=errors)
    # One read of what is stored for the file's months, then bulk writes: a year of figures for every unit
    # is tens of thousands of rows.
    months = {month for _unit, month, _kind, _amount in parsed}
    stored = {
        (record.unit_id, record.month, record.kind_id): record
        for record in ExpenseRecord.objects.filter(month__in=months)
    }
    now = clock.now()
    new: list[ExpenseRecord] = []
    changed: list[ExpenseRecord] = []
    for unit, month, kind, amount in parsed:
        record = stored.get((unit.pk, month, kind.pk))
        if record is None:
            new.append(
                ExpenseRecord(
                    unit=unit, month=month, kind=kind, amount=amount, updated_at=now, updated_by=user
                )
            )
        elif record.amount != amount:
            record.amount, record.updated_at, record.updated_by = amount, now, user
            changed.append(record)
        else:
            result.unchanged += 1
    ExpenseRecord.objects.bulk_create(new, batch_size=1000)
    ExpenseRecord.objects.bulk_update(changed, ["amount", "updated_at", "updated_by"], batch_size=1000)
    result.saved = len(new) + len(changed)
    return result
