"""Plain tests: ledger headers and cells."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from xxgk.ledger.columns import COLUMNS, CellError, column_for_header, parse_date, parse_int


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-02",
        "2026/3/2",
        "2026.3.2",
        "2026年3月2日",
        "20260302",
        " 2026-3-2 ",
        "2026-03-02 00:00:00",
    ],
)
def test_dates_in_the_forms_ledgers_use(text):
    assert parse_date(text) == date(2026, 3, 2)


def test_excel_date_cells_and_empty_cells():
    assert parse_date(datetime(2026, 3, 2, 0, 0)) == date(2026, 3, 2)
    assert parse_date(None) is None and parse_date("") is None


@pytest.mark.parametrize("text", ["2026-02-30", "3月2日", "昨天", "2026-13-01"])
def test_bad_dates_say_so(text):
    with pytest.raises(CellError, match="无法识别"):
        parse_date(text)


def test_integers():
    assert parse_int("1700元") == 1700
    assert parse_int(20.0) == 20
    assert parse_int(None) is None
    for bad in ("-3", "1.5", "二十", True):
        with pytest.raises(CellError):
            parse_int(bad)


def test_headers_match_by_export_name_and_alias():
    assert column_for_header("受理编号") == "number"
    assert column_for_header("申请人姓名（名称）") == "applicant"
    assert column_for_header("申请人姓名(名称)") == "applicant"  # ASCII brackets
    assert column_for_header(" 接收\n日期 ") == "received_on"
    assert column_for_header("信息用途") is None


def test_every_header_and_alias_names_one_column():
    seen = {}
    for col in COLUMNS:
        for name in (col.header, *col.aliases):
            assert seen.setdefault(name, col.key) == col.key, name
