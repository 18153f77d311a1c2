"""The tidy CSV writer (writers/csv.py) and the JSON writer/loader (writers/json.py)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from tests.annual_report.samples import CORE_SAMPLES, SEED
from xxgk.annual_report import ReportReadError, read, render
from xxgk.annual_report.model import Cell, CellKey, Report
from xxgk.annual_report.writers.json import load


def test_csv_header_and_label_paths() -> None:
    text = render(read(SEED), "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "table", "row", "column", "value"]
    assert [
        "三",
        "",
        "三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密",
        "申请人情况 / 法人或其他组织 / 商业企业",
        "0",
    ] in rows
    assert ["四", "", "", "行政诉讼 / 复议后起诉 / 结果维持", "0"] in rows
    assert ["二", "第二十条第（六）项", "行政处罚", "本年增/减", "35"] in rows


def test_csv_blank_is_empty_and_money_keeps_its_digits() -> None:
    report = Report()
    report.cells[
        CellKey("二", "第二十条第（八）项", ("行政事业性收费",), ("本年收费金额（单位：万元）",))
    ] = Cell(Decimal("1.2300"), "1.2300")
    report.cells[CellKey("二", "第二十条第（一）项", ("规章",), ("本年制发件数",))] = Cell(None, "")
    lines = render(report, "csv").decode().splitlines()
    assert lines[1].endswith(",1.2300") and lines[2].endswith(",")


def test_json_round_trip_keeps_everything() -> None:
    report = read(CORE_SAMPLES["pingtan-zone-2021"])
    again = load(render(report, "json"))
    assert again.cells == report.cells
    assert (again.agency, again.year, again.version) == (report.agency, report.year, report.version)
    assert again.findings == report.findings
    assert again.header_units == report.header_units


def test_json_values_types() -> None:
    data = json.loads(render(read(SEED), "json"))
    by_column = {tuple(c["column"]): c for c in data["cells"] if c["section"] == "二"}
    assert by_column[("采购总金额",)]["value"] == "166.3700"
    assert by_column[("采购项目数量",)]["value"] == 6
    signed = next(c for c in data["cells"] if c["raw"] == "+35")
    assert signed["value"] == 35


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b'{"schema": "other"}',
        b'{"schema": "xxgk-annual-report", "schema_version": 99}',
        b'{"schema": "xxgk-annual-report", "schema_version": 1, "format_version": "1999"}',
        b'{"schema": "xxgk-annual-report", "schema_version": 1, "cells": [{"section": "\\u4e8c", "table": "", "row": [], "column": [], "value": true}]}',
        b"[" * 100000,
    ],
)
def test_bad_json_is_a_read_error(data: bytes) -> None:
    with pytest.raises(ReportReadError) as info:
        load(data)
    assert info.value.code == "bad_json"
