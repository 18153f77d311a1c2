"""Crawled page text whose table cells are glued together (the 平潭 pages)."""

from __future__ import annotations

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import Location, RawDocument
from xxgk.annual_report.readers.text import decode_text


def read_text(text: str, *, source: str) -> RawDocument:
    """Blocks of a glued-text report (work in progress)."""
    raise ReportReadError("unsupported", "暂不支持单元格粘连的文本", Location(file=source))


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """Front-end entry point."""
    return read_text(decode_text(data, source), source=source)
