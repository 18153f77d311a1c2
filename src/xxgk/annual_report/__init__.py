"""The statutory annual report engine (pure Python, never imports Django).

Public surface (stable; see ``docs/annual_report.md``):

- :func:`read` — a path or bytes → :class:`Report` (sniffs the kind, checks the size);
- :func:`assemble` — a front end's :class:`RawDocument` → :class:`Report`;
- :func:`check` — a :class:`Report` (and optionally last year's) → list of :class:`Finding`;
- :func:`render` — a :class:`Report` → bytes in one of the writers' formats;
- the data: :class:`Report`, :class:`Cell`, :class:`CellKey`, :class:`Finding`,
  :class:`Severity`, :class:`FormatVersion`, :func:`format_for`;
- the one error type :class:`ReportReadError`.
"""

from __future__ import annotations

import importlib

from xxgk.annual_report.assemble import assemble, parse_value
from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.formats import CellKind, ReportFormat, format_for
from xxgk.annual_report.model import Cell, CellKey, Finding, Report, Severity
from xxgk.annual_report.raw import Location, RawCell, RawDocument, RawParagraph, RawTable
from xxgk.annual_report.reading import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_TEXT_BYTES,
    read,
    read_raw,
    sniff,
)
from xxgk.statute.outcomes import FormatVersion

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TEXT_BYTES",
    "WRITERS",
    "Cell",
    "CellKey",
    "CellKind",
    "Finding",
    "FormatVersion",
    "Location",
    "RawCell",
    "RawDocument",
    "RawParagraph",
    "RawTable",
    "Report",
    "ReportFormat",
    "ReportReadError",
    "Severity",
    "assemble",
    "check",
    "format_for",
    "parse_value",
    "read",
    "read_raw",
    "render",
    "sniff",
]

#: Writer names (modules under ``xxgk.annual_report.writers``).
WRITERS = ("csv", "json", "docx", "html", "pdf", "xlsx")


def render(report: Report, kind: str) -> bytes:
    """The report written as ``kind`` (one of :data:`WRITERS`)."""
    if kind not in WRITERS:
        raise ValueError(f"unknown writer {kind!r}")
    module = importlib.import_module(f"xxgk.annual_report.writers.{kind}")
    data: bytes = module.render(report)
    return data


def check(report: Report, previous: Report | None = None) -> list[Finding]:
    """All findings on ``report``: what the reader noticed, then every check.

    ``previous`` is last year's report of the same agency (cross-year checks C4, R7).
    """
    from xxgk.annual_report.checks import run_checks

    findings: list[Finding] = run_checks(report, previous)
    return findings
