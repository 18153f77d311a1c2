"""Inputs within the size limit that are far too big to be one report (regulation.md §5 aside:
the reviewer's 45 MB text file gave 3.4 GB RSS and 1.9 M identical findings)."""

from __future__ import annotations

import tracemalloc

import pytest

from tests.annual_report.samples import SEED
from xxgk.annual_report import ReportReadError, Severity, check, read
from xxgk.annual_report.checks import MAX_SAME, merge_repeats
from xxgk.annual_report.model import Finding
from xxgk.annual_report.raw import Location
from xxgk.annual_report.reading import DEFAULT_MAX_TEXT_BYTES


def test_a_report_printed_many_times_is_refused_early_with_bounded_memory() -> None:
    seed = SEED.read_bytes()
    data = seed * (3 * 1024 * 1024 // len(seed))  # ~3 MB, ~370 copies, ~120 000 cells
    lines = data.count(b"\n")
    tracemalloc.start()
    try:
        with pytest.raises(ReportReadError) as caught:
            read(data, name="many.txt")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == "too_many_tables"
    assert "表格过多" in caught.value.message and "不像一份年度报告" in caught.value.message
    location = caught.value.location
    assert location is not None and location.line is not None
    assert location.line < lines // 4  # stopped collecting long before the end of the file
    assert peak < 12 * len(data)  # the decoded text and a bounded number of cells


def test_a_table_repeated_a_few_times_gives_one_merged_finding() -> None:
    text = SEED.read_text(encoding="utf-8")
    report = read((text * 5).encode("utf-8"), name="five.txt")
    repeated = [f for f in check(report) if "重复出现" in f.message or "出现两次" in f.message]
    assert len(repeated) == 1
    [finding] = repeated
    assert finding.severity is Severity.WARNING and finding.location is not None
    count = int(finding.message.split("共有")[1].split("处")[0])
    # every cell of copies 2–5, except table 四, whose first data row is the only one read
    assert count == 4 * len([k for k in report.cells if k.section != "四"])
    assert finding.message.count("five.txt 第") == 3  # the first three places, by line


def test_identical_findings_beyond_the_limit_are_merged_with_a_count() -> None:
    many = [
        Finding("C8", Severity.ERROR, "必填单元格空白", row=(f"行{i}",), location=Location(line=i))
        for i in range(MAX_SAME + 5)
    ]
    other = Finding("C1", Severity.ERROR, "不相等")
    merged = merge_repeats([many[0], other, *many[1:]])
    assert [f.check for f in merged] == ["C8", "C1"]
    assert f"同类共{MAX_SAME + 5}处" in merged[0].message and "行2（第2行）" in merged[0].message
    assert merge_repeats(many[:MAX_SAME]) == many[:MAX_SAME]


def test_text_above_the_text_limit_is_refused_before_parsing() -> None:
    data = SEED.read_bytes()
    data = data + b"\n" + b" " * (DEFAULT_MAX_TEXT_BYTES - len(data))
    with pytest.raises(ReportReadError) as caught:
        read(data, name="big.txt")
    assert caught.value.code == "too_large" and "10 MB" in caught.value.message
    assert read(data, name="big.txt", max_text_bytes=len(data)).year == 2020
