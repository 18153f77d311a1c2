"""Glued page text (平潭): digit runs split by the row and column sums."""

from __future__ import annotations

import pytest

from tests.annual_report.samples import CORE_SAMPLES, differences, unresolved_differences
from xxgk.annual_report import FormatVersion, Severity, check, read
from xxgk.annual_report.formats import CellKind
from xxgk.annual_report.readers.glued import split_free, split_sum, split_table4

PINGTAN = ["pingtan-zone-2019", "pingtan-zone-2021", "pingtan-zone-2023"]


@pytest.mark.parametrize("name", PINGTAN)
def test_every_printed_cell_right_or_flagged(name: str) -> None:
    report = read(CORE_SAMPLES[name])
    assert unresolved_differences(report, name) == []


@pytest.mark.parametrize("name", PINGTAN)
def test_tables_three_and_four_are_exact(name: str) -> None:
    """The row and column sums fix every cell of tables 三 and 四 in these pages."""
    report = read(CORE_SAMPLES[name])
    assert [
        d for d in differences(report, name) if not d.startswith(("('二'", "missing ('二'"))
    ] == []


@pytest.mark.parametrize("name", PINGTAN)
def test_no_error_where_the_numbers_hold(name: str) -> None:
    findings = check(read(CORE_SAMPLES[name]))
    assert [f.describe() for f in findings if f.severity is Severity.ERROR] == []


def test_identity_and_version() -> None:
    report = read(CORE_SAMPLES["pingtan-zone-2021"])
    assert (report.agency, report.year, report.version) == (
        "平潭综合实验区",
        2021,
        FormatVersion.V2021,
    )
    old = read(CORE_SAMPLES["pingtan-zone-2019"])
    assert old.version is FormatVersion.V2019


def test_ambiguous_section_two_split_is_reported() -> None:
    report = read(CORE_SAMPLES["pingtan-zone-2021"])
    notes = [f for f in report.findings if f.check == "READ.ambiguous_split"]
    assert len(notes) == 1 and notes[0].severity is Severity.WARNING
    assert "行政规范性文件" in notes[0].message and "69|3|665" in notes[0].message
    assert notes[0].location is not None and notes[0].location.line == 10


def test_split_sum_uses_the_total() -> None:
    assert split_sum("640020470", 7) == [["64", "0", "0", "2", "0", "4", "70"]]
    # a space is a cell boundary
    assert split_sum("5000005", 7, frozenset({6})) == [["5", "0", "0", "0", "0", "0", "5"]]
    assert split_sum("123", 7) == []


def test_split_table4_uses_the_group_totals() -> None:
    assert split_table4("10203120001200000") == [
        ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]
    ]


def test_split_free_lists_every_reading() -> None:
    kinds = [CellKind.COUNT, CellKind.MONEY]
    got = split_free("13575394432.52", kinds)
    assert ["135", "75394432.52"] in got
    assert all(not p.startswith("0") or p == "0" for parts in got for p in parts)


def test_hostile_run_is_bounded() -> None:
    # 200 digits: far too many splits to enumerate; the budget stops it quickly
    assert len(split_sum("1" * 200, 7)) <= 64
    assert len(split_table4("0" * 15 + "1" * 100)) <= 64
