"""Every written form of a date the import understands, and the ones it refuses (quoting the cell)."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.excel.dates import (
    DateFormError,
    Deadline,
    cn_number,
    parse_date,
    parse_deadline,
    year_in,
)

D = dt.date


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.datetime(2014, 9, 30, 0, 0), D(2014, 9, 30)),  # noqa: DTZ001  # an Excel date cell: naive
        (D(2014, 9, 30), D(2014, 9, 30)),
        (41912, D(2014, 9, 30)),  # an Excel serial whose date format was lost
        (41912.0, D(2014, 9, 30)),
        (20140930, D(2014, 9, 30)),  # typed as a number
        ("2014年9月30日", D(2014, 9, 30)),
        ("2014年09月30日", D(2014, 9, 30)),
        ("2014年9月30号", D(2014, 9, 30)),
        ("2014.9.30", D(2014, 9, 30)),
        ("2014/9/30", D(2014, 9, 30)),
        ("2014-9-30", D(2014, 9, 30)),
        ("2014-09-30", D(2014, 9, 30)),
        ("2014-09-30 00:00:00", D(2014, 9, 30)),
        ("2014-09-30T08:00", D(2014, 9, 30)),
        ("20140930", D(2014, 9, 30)),
        ("２０１４年９月３０日", D(2014, 9, 30)),  # full-width digits
        ("２０１４．９．３０", D(2014, 9, 30)),
        ("２０１４／９／３０", D(2014, 9, 30)),
        ("２０１４－９－３０", D(2014, 9, 30)),
        ("二〇一四年九月三十日", D(2014, 9, 30)),
        ("  2014年9月30日前  ", D(2014, 9, 30)),  # padding and a trailing 前
        ("2014 年 9 月 30 日", D(2014, 9, 30)),
        ("于2014年9月30日前完成", D(2014, 9, 30)),
        ("9月30日", D(2014, 9, 30)),  # the ledger's year
        ("9月30日前", D(2014, 9, 30)),
        ("9/30", D(2014, 9, 30)),
        ("9月底前", D(2014, 9, 30)),
        ("9月底", D(2014, 9, 30)),
        ("９月底前", D(2014, 9, 30)),
        ("九月底前", D(2014, 9, 30)),
        ("2月底前", D(2014, 2, 28)),
        ("9月末", D(2014, 9, 30)),
        ("9月", D(2014, 9, 30)),
        ("9月份", D(2014, 9, 30)),
        ("9月内完成", D(2014, 9, 30)),
        ("10月中旬", D(2014, 10, 20)),
        ("十月中旬前", D(2014, 10, 20)),
        ("10月上旬", D(2014, 10, 10)),
        ("10月初", D(2014, 10, 10)),
        ("10月中", D(2014, 10, 15)),
        ("10月下旬", D(2014, 10, 31)),
        ("2014年10月中旬", D(2014, 10, 20)),
        ("2015年3月底前", D(2015, 3, 31)),
        ("2014年9月", D(2014, 9, 30)),
        ("2014.9", D(2014, 9, 30)),
        ("2014-09", D(2014, 9, 30)),
        ("年底前", D(2014, 12, 31)),
        ("2015年底", D(2015, 12, 31)),
        ("年内完成", D(2014, 12, 31)),
        ("上半年", D(2014, 6, 30)),
        ("2015年上半年", D(2015, 6, 30)),
        ("三季度末", D(2014, 9, 30)),
        ("第四季度", D(2014, 12, 31)),
    ],
)
def test_dates_are_read_as_they_are_written(cell: object, expected: dt.date) -> None:
    assert parse_date(cell, year=2014) == expected


def test_a_leap_day_in_the_ledger_year() -> None:
    assert parse_date("2月底前", year=2016) == D(2016, 2, 29)


@pytest.mark.parametrize(
    "cell", ["长期坚持", "长期", "长期坚持，常抓不懈", " 长期坚持 ", "常态化推进", "持续推进"]
)
def test_long_term_forms(cell: str) -> None:
    assert parse_deadline(cell, year=2014) == Deadline(long_term=True)


@pytest.mark.parametrize("cell", ["立行立改", "立行立改，已完成", "立即整改", "即知即改"])
def test_immediate_forms(cell: str) -> None:
    assert parse_deadline(cell, year=2014) == Deadline(immediate=True)


def test_a_deadline_with_a_date() -> None:
    assert parse_deadline("9月底前", year=2014) == Deadline(date=D(2014, 9, 30))


@pytest.mark.parametrize(
    "cell",
    [
        "尽快",
        "待定",
        "2014年2月30日",
        "2014-13-01",
        "13月底",
        "9",
        "2014",
        "下个月",
        "9月底前后",
        "2014.9.30.1",
        "三十二日",
        "十十月",
        41912.5,  # a number with a fraction is not a date
        12,  # nor a small number
        True,
        dt.time(8, 0),
        None,
        "",
        "   ",
    ],
)
def test_anything_else_is_an_error_that_quotes_the_cell(cell: object) -> None:
    with pytest.raises(DateFormError) as raised:
        parse_date(cell, year=2014)
    if isinstance(cell, str) and cell.strip():
        assert f"“{cell.strip()}”" in raised.value.message


def test_an_impossible_day_says_which_day() -> None:
    with pytest.raises(DateFormError, match="2014-2-30"):
        parse_date("2014年2月30日", year=2014)


@pytest.mark.parametrize(
    ("text", "number"), [("9", 9), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("二〇一四", 2014)]
)
def test_chinese_numerals(text: str, number: int) -> None:
    assert cn_number(text) == number


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("2014年党的群众路线教育实践活动整改台账", 2014),
        ("山西铝厂２０１５年整改落实台账", 2015),
        ("整改台账", None),
        ("第1234号", None),
    ],
)
def test_the_ledger_year_comes_from_the_title(title: str, year: int | None) -> None:
    assert year_in(title) == year
