"""Deadlines and dates as ledgers write them: Excel dates, 2014年9月30日, 2014.9.30, 2014/9/30, 2014-9-30,
full-width digits, 9月底前, 10月中旬 (with the ledger's year), 长期坚持 (long-term), 立行立改 (immediate).

Pure: no database, no clock. The caller supplies the ledger's year for forms that leave it out, and decides
what date an immediate item (立行立改) gets. Anything not understood raises DateFormError quoting the cell.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

#: Cell texts meaning "no deadline: long-term" (长期坚持). A text starting with one of these counts too
#: ("长期坚持，常抓不懈").
LONG_TERM_PREFIXES = ("长期", "常态化", "持续推进", "持续整改", "久久为功")
#: What an export writes for a long-term item.
LONG_TERM_WORD = "长期坚持"
#: Cell texts meaning "fix at once" (立行立改).
IMMEDIATE_PREFIXES = ("立行立改", "立即整改", "即知即改", "立查立改", "立知立改", "马上就改", "立即")

# Excel's 1900 date system: serial 1 is 1900-01-01, with the phantom 1900-02-29, so day 0 is 1899-12-30 for
# every serial after February 1900. Only serials between 1950 and 2099 are taken as dates.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (18264, 73050)

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# A month or a day: one or two digits, or a Chinese numeral up to 三十一.
_MD = r"[0-9]{1,2}|[〇零一二两三四五六七八九十]{1,3}"
_YEAR = r"(?P<year>[0-9]{4}|[〇零一二三四五六七八九]{4})"

_LEADING = re.compile(r"^(?:截止到|截至|截止|最迟|力争|计划|预计|到|至|于|在)+")
_TRAILING = re.compile(r"(?:之前|以前|前|完成整改|完成|结束|为止|止)+$")
_TIME = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


class DateFormError(ValueError):
    """A cell that is not a date this module understands; `message` quotes the cell."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Deadline:
    """A parsed 完成时限: a date, or long-term (长期坚持), or immediate (立行立改, the caller dates it)."""

    date: dt.date | None = None
    long_term: bool = False
    immediate: bool = False


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC), no spaces of any width."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cn_number(text: str) -> int:
    """'9' → 9, '十' → 10, '十二' → 12, '二十' → 20, '三十一' → 31, '二〇一四' → 2014."""
    if text.isdigit() and text.isascii():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    tens, _sep, units = text.partition("十")
    if len(units) > 1 or len(tens) > 1:
        raise KeyError(text)
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _refuse(value: object) -> DateFormError:
    shown = str(value).strip()
    return DateFormError(
        _(
            "“%(cell)s” is not a date this import understands (write e.g. 2014年9月30日, 2014-9-30, "
            "2014.9.30, 9月底前, 10月中旬, 长期坚持 or 立行立改)."
        )
        % {"cell": shown}
    )


def _make(value: object, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateFormError(
            _("“%(cell)s” names a day that does not exist (%(year)d-%(month)d-%(day)d).")
            % {"cell": str(value).strip(), "year": year, "month": month, "day": day}
        ) from None


def _month_end(value: object, year: int, month: int) -> dt.date:
    if not 1 <= month <= 12:
        raise _refuse(value)
    return _make(value, year, month, calendar.monthrange(year, month)[1])


def _from_number(value: float) -> dt.date:
    if value != int(value):
        raise _refuse(value)
    number = int(value)
    if 19000101 <= number <= 21001231:  # 20140930 typed as a number
        return _make(value, number // 10000, number // 100 % 100, number % 100)
    if _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:  # an Excel date cell whose date format was lost
        return _EXCEL_EPOCH + dt.timedelta(days=number)
    raise _refuse(value)


_FULL = re.compile(rf"^{_YEAR}[-/.年](?P<month>{_MD})[-/.月](?P<day>{_MD})[日号]?$")
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")
_MONTH_DAY = re.compile(rf"^(?P<month>{_MD})(?:月(?P<day>{_MD})[日号]|[/.-](?P<day2>\d{{1,2}}))$")
_MONTH_PART = re.compile(
    rf"^(?:{_YEAR}[年/.-])?(?P<month>{_MD})(?:月份?|$)(?P<part>上旬|中旬|下旬|初|中|底|末|内|)$"
)
_YEAR_PART = re.compile(rf"^(?:{_YEAR}年?|年)(?P<part>底|末|内|上半年|下半年)$|^(?P<half>上半年|下半年)$")
_QUARTER = re.compile(rf"^(?:{_YEAR}年)?第?(?P<quarter>[1-4一二三四])季度(?:末|底|内)?$")


def _year_of(match: re.Match[str], ledger_year: int) -> int:
    found = match.groupdict().get("year")
    return cn_number(found) if found else ledger_year


def _parse_text(value: str, ledger_year: int) -> dt.date:  # noqa: PLR0911  # one return per written form
    text = _TIME.sub("", unicodedata.normalize("NFKC", value).strip())
    text = _TRAILING.sub("", _LEADING.sub("", normalise(text)))
    try:
        if match := _FULL.match(text):
            year = _year_of(match, ledger_year)
            return _make(value, year, cn_number(match["month"]), cn_number(match["day"]))
        if match := _COMPACT.match(text):
            return _make(value, int(match["year"]), int(match["month"]), int(match["day"]))
        if match := _MONTH_DAY.match(text):
            day = match["day"] or match["day2"]
            return _make(value, ledger_year, cn_number(match["month"]), cn_number(day))
        if match := _MONTH_PART.match(text):
            year = _year_of(match, ledger_year)
            month = cn_number(match["month"])
            # A bare "2014" would otherwise read as month 2014; a bare "9" is too vague to guess.
            if not (1 <= month <= 12) or (not match["year"] and "月" not in text):
                raise _refuse(value)
            part = match["part"]
            if part in ("上旬", "初"):
                return _make(value, year, month, 10)
            if part == "中旬":
                return _make(value, year, month, 20)
            if part == "中":
                return _make(value, year, month, 15)
            return _month_end(value, year, month)
        if match := _YEAR_PART.match(text):
            year = _year_of(match, ledger_year)
            part = match["part"] or match["half"]
            return dt.date(year, 6, 30) if part == "上半年" else dt.date(year, 12, 31)
        if match := _QUARTER.match(text):
            year = _year_of(match, ledger_year)
            quarter = cn_number(match["quarter"])
            return _month_end(value, year, quarter * 3)
    except KeyError:  # a Chinese numeral that is not one
        raise _refuse(value) from None
    raise _refuse(value)


def parse_date(value: object, *, year: int) -> dt.date:
    """A plain date (e.g. 销号时间). `year` completes forms that leave it out (9月30日)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise _refuse(value)
    if isinstance(value, int | float):
        return _from_number(value)
    if isinstance(value, str) and value.strip():
        return _parse_text(value, year)
    raise _refuse(value)


def is_long_term(text: str) -> bool:
    return normalise(text).startswith(LONG_TERM_PREFIXES)


def is_immediate(text: str) -> bool:
    return normalise(text).startswith(IMMEDIATE_PREFIXES)


def parse_deadline(value: object, *, year: int) -> Deadline:
    """A 完成时限 cell: a date, 长期坚持 (long-term) or 立行立改 (immediate)."""
    if isinstance(value, str):
        if is_long_term(value):
            return Deadline(long_term=True)
        if is_immediate(value):
            return Deadline(immediate=True)
    return Deadline(date=parse_date(value, year=year))


def year_in(text: str) -> int | None:
    """The first plausible year in a title ("2014年教育实践活动整改台账" → 2014), or None."""
    match = re.search(r"(19[5-9][0-9]|20[0-9]{2})\s*年?", normalise(text))
    return int(match.group(1)) if match else None
