"""Counting a year's cases into tables 三 and 四 of the annual report (条例第五十条第（二）（三）项).

The result is an :class:`xxgk.annual_report.Report` value holding sections 三 and 四 only, in
the format version asked for, so the annual-report engine's writers and checks (C1 R1, C2 R2,
C3 R3, C4 R4 with last year's report, C8 R5) apply unchanged.

Rules (decisions, docs/applications.md "Part 2: workflow"):

* A case's **intake day** is its receipt date (条例第三十一条), or — for a case never confirmed —
  the day it was submitted.
* 一、本年新收: intake day in the year. 二、上年结转: intake day before the year and not closed
  before 1 January. 三、本年度办理结果: closed in the year (``closed_on``: the day the reply
  was made — 交邮 or 送达 — or the case was closed by lapse or withdrawal), counted in exactly
  one leaf row, the one :func:`xxgk.statute.taxonomies.answer_row` gives for its answer type
  (a 部分公开 only in （二）). 四、结转下年度: intake day in or before the year and not closed by
  31 December — a case open at 12-31 is carried over automatically, nothing to do at year-end.
  Hence R1 (一 + 二 = （七）总计 + 四) holds by construction for every column.
* The column is the applicant's type as given on the application (the case's
  ``applicant_snapshot["kind"]``, else ``Applicant.kind``; = the table's column id); 总计 is the
  sum of the six.
* Table 四: the reconsiderations and suits (``xxgk.appeals``) **filed** in the year, by kind,
  with the result known on 31 December (decided later → 尚未审结).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.utils import timezone

from xxgk.annual_report import Cell, CellKey, Finding, Report, Severity, format_for
from xxgk.annual_report.formats import TABLE4
from xxgk.statute.outcomes import (
    APPLICANT_COLUMNS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_RESULTS_TOTAL,
    FormatVersion,
    format_version_for_year,
)
from xxgk.statute.taxonomies import AnswerType, answer_row

_APPLICANT_IDS = [c.id for c in APPLICANT_COLUMNS if c.id != "total"]


def intake_day(received_on: date | None, submitted_at: Any) -> date:
    """The receipt date, else the local date of submission."""
    return received_on or timezone.localtime(submitted_at).date()


def tally_table3(
    agency: Any, year: int, version: FormatVersion
) -> tuple[Counter[tuple[str, str]], list[Finding]]:
    """(row id, column id) → count for table 三, and findings for cases that cannot be counted."""
    from xxgk.applications.models import Application

    first, last = date(year, 1, 1), date(year, 12, 31)
    counts: Counter[tuple[str, str]] = Counter()
    findings: list[Finding] = []
    rows = Application.objects.filter(agency=agency).values_list(
        "number",
        "received_on",
        "submitted_at",
        "closed_on",
        "answer_type",
        "applicant_snapshot",
        "applicant__kind",
    )
    for number, received_on, submitted_at, closed_on, answer, snap, entry_kind in rows.iterator():
        # the applicant's type as given on this application (the register may change later)
        kind = (snap or {}).get("kind") or entry_kind
        start = intake_day(received_on, submitted_at)
        if start > last:
            continue
        if first <= start:
            counts[(ROW_NEW.id, kind)] += 1
        elif closed_on is None or closed_on >= first:
            counts[(ROW_CARRIED_IN.id, kind)] += 1
        else:
            continue  # closed in an earlier year
        if closed_on is None or closed_on > last:
            counts[(ROW_CARRIED_OUT.id, kind)] += 1
            continue
        try:
            row = answer_row(AnswerType(answer), version)
        except ValueError:
            findings.append(
                Finding(
                    "C12",
                    Severity.ERROR,
                    f"申请{number}已办结但没有答复类型，无法计入办理结果",
                    section="三",
                )
            )
            continue
        counts[(row, kind)] += 1
        counts[(ROW_RESULTS_TOTAL.id, kind)] += 1
    return counts, findings


def tally_table4(agency: Any, year: int) -> Counter[str]:
    """Column id of table 四 → count (appeals filed in the year, result as of 31 December)."""
    from xxgk.appeals.models import Appeal

    last = date(year, 12, 31)
    counts: Counter[str] = Counter()
    rows = Appeal.objects.filter(agency=agency, filed_on__year=year).values_list(
        "kind", "result", "decided_on"
    )
    for kind, result, decided_on in rows:
        outcome = result if decided_on is not None and decided_on <= last else "pending"
        counts[f"{kind}.{outcome}"] += 1
        counts[f"{kind}.total"] += 1
    return counts


def count_year(agency: Any, year: int, version: FormatVersion | None = None) -> Report:
    """Tables 三 and 四 of ``agency``'s report for ``year`` (default format: the one the year
    must use) as an annual-report :class:`Report`."""
    version = version or format_version_for_year(year)
    fmt = format_for(version)
    table3 = fmt.table("3")
    counts, findings = tally_table3(agency, year, version)
    cells: dict[CellKey, Cell] = {}
    for row in table3.rows:
        row_total = 0
        for column in table3.columns:
            if column.id == "total":
                value = row_total
            else:
                value = counts[(row.id, column.id)]
                row_total += value
            cells[CellKey("三", "", row.path, column.path)] = Cell(value, str(value))
    counts4 = tally_table4(agency, year)
    for column in TABLE4.columns:
        value = counts4[column.id]
        cells[CellKey("四", "", (), column.path)] = Cell(value, str(value))
    return Report(
        agency=agency.name,
        year=year,
        version=version,
        title=f"{agency.name}{year}年政府信息公开工作年度报告",
        cells=cells,
        findings=findings,
        source="xxgk.applications.counting",
    )


def t3(report: Report, row_id: str, column_id: str) -> int | None:
    """The table-三 cell at (row id, column id) of a counted report."""
    assert report.version is not None
    table = format_for(report.version).table("3")
    value = report.value("三", "", table.row(row_id).path, table.column(column_id).path)
    return None if value is None else int(value)


def t4(report: Report, column_id: str) -> int | None:
    """The table-四 cell of a column id (``review.upheld`` … ``suit_after_review.total``)."""
    value = report.value("四", "", (), TABLE4.column(column_id).path)
    return None if value is None else int(value)
