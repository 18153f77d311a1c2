"""JSON: the report value in a documented, versioned schema (``docs/annual_report_json.md``).

``render`` writes it; ``load`` reads it back (``xxgk report render`` and ``check`` accept
it). Integers are JSON numbers; money is a decimal *string* (``"166.3700"``) so no digit is
lost; a blank cell is ``null``.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.model import Cell, CellKey, Finding, Report, Severity
from xxgk.annual_report.raw import Location
from xxgk.statute.outcomes import FormatVersion

__all__ = ["SCHEMA", "SCHEMA_VERSION", "finding_to_json", "load", "render", "to_json"]

SCHEMA = "xxgk-annual-report"
SCHEMA_VERSION = 1


def _location(loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"file": loc.file, "page": loc.page, "line": loc.line, "cell": loc.cell}


def _value(value: int | Decimal | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    return str(value)


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """One finding as a JSON object."""
    return {
        "check": finding.check,
        "severity": finding.severity.value,
        "message": finding.message,
        "section": finding.section,
        "table": finding.table,
        "row": list(finding.row),
        "column": list(finding.column),
        "location": _location(finding.location),
    }


def to_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready dict (schema version :data:`SCHEMA_VERSION`)."""
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "agency": report.agency,
        "year": report.year,
        "format_version": report.version.value if report.version else None,
        "title": report.title,
        "source": report.source,
        "media_type": report.media_type,
        "headings": report.headings,
        "narrative": report.narrative,
        "cells": [
            {
                "section": key.section,
                "table": key.table,
                "row": list(key.row),
                "column": list(key.column),
                "value": _value(cell.value),
                "raw": cell.raw,
                "unit": cell.unit,
                "location": _location(cell.location),
            }
            for key, cell in report.cells.items()
        ],
        "header_units": [
            {"table": table, "column": list(column), "unit": unit}
            for (table, column), unit in report.header_units.items()
        ],
        "findings": [finding_to_json(f) for f in report.findings],
    }


def render(report: Report) -> bytes:
    """The report as UTF-8 JSON (Chinese kept as is, two-space indent)."""
    return json.dumps(to_json(report), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _loc(data: Any) -> Location | None:
    if not isinstance(data, dict):
        return None
    return Location(
        file=data.get("file"), page=data.get("page"), line=data.get("line"), cell=data.get("cell")
    )


def load(data: bytes, *, source: str = "<json>") -> Report:
    """A report from its JSON (as written by :func:`render`); ReportReadError if invalid."""
    where = Location(file=source)
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ReportReadError("bad_json", f"JSON 无法解析：{exc}", where) from exc
    if not isinstance(obj, dict) or obj.get("schema") != SCHEMA:
        raise ReportReadError("bad_json", f"不是 {SCHEMA} 格式的 JSON", where)
    if obj.get("schema_version") != SCHEMA_VERSION:
        raise ReportReadError(
            "bad_json", f"不支持的 schema_version：{obj.get('schema_version')!r}", where
        )
    try:
        version = FormatVersion(obj["format_version"]) if obj.get("format_version") else None
        report = Report(
            agency=obj.get("agency"),
            year=obj.get("year"),
            version=version,
            title=obj.get("title"),
            source=obj.get("source"),
            media_type=obj.get("media_type"),
            headings=dict(obj.get("headings") or {}),
            narrative=dict(obj.get("narrative") or {}),
        )
        for item in obj.get("cells") or []:
            key = CellKey(
                str(item["section"]),
                str(item["table"]),
                tuple(str(x) for x in item["row"]),
                tuple(str(x) for x in item["column"]),
            )
            raw_value = item.get("value")
            value: int | Decimal | None
            if raw_value is None:
                value = None
            elif isinstance(raw_value, bool):
                raise ValueError("boolean cell value")
            elif isinstance(raw_value, int):
                value = raw_value
            else:
                value = Decimal(str(raw_value))
            report.cells[key] = Cell(
                value, str(item.get("raw") or ""), _loc(item.get("location")), item.get("unit")
            )
        for item in obj.get("header_units") or []:
            report.header_units[(str(item["table"]), tuple(item["column"]))] = str(item["unit"])
        for item in obj.get("findings") or []:
            report.findings.append(
                Finding(
                    str(item["check"]),
                    Severity(item["severity"]),
                    str(item["message"]),
                    str(item.get("section") or ""),
                    str(item.get("table") or ""),
                    tuple(item.get("row") or ()),
                    tuple(item.get("column") or ()),
                    _loc(item.get("location")),
                )
            )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise ReportReadError("bad_json", f"JSON 内容不符合报告格式：{exc}", where) from exc
    return report
