"""Flattened text of an HTML page (the seed): one table cell per line, tab-indented.

Layout observed in the seed: a table cell is a line starting with a tab (possibly after
spaces); an empty line ends a table row; a line without a tab inside a table continues the
previous cell (``（三）不予`` / ``公开``, vertical ``结`` / ``果`` / ``维`` / ``持``); a line
without a tab that is a section heading, or any untabbed line after two empty lines, ends the
table. Other lines are paragraphs.

Text whose table cells are glued together with no separators (the 平潭 pages) is handed to
:mod:`xxgk.annual_report.readers.glued`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import (
    Location,
    RawCell,
    RawDocument,
    RawParagraph,
    RawTable,
    too_big,
)

__all__ = ["decode_text", "read_raw"]

_HEADING = re.compile(r"^[一二三四五六]、")
_CELL = re.compile(r"^ *\t")
_ANY_CELL = re.compile(r"^ *\t", re.MULTILINE)


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030; refuse binary."""
    if not data.strip():
        raise ReportReadError("empty", "文件为空", Location(file=source))
    encodings: tuple[str, ...] = ("utf-8-sig", "gb18030")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # Windows Notepad's "Unicode": the BOM gives the byte order
    elif b"\x00" in data[:4096]:
        raise ReportReadError("binary", "文件不是文本（含有二进制数据）", Location(file=source))
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        bad = sum(1 for ch in text[:4096] if ch < " " and ch not in "\t\r\n\f")
        if bad > 8:
            break
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ReportReadError("binary", "文件无法按文本（UTF-8或GB18030）解码", Location(file=source))


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """Blocks of a flattened-text report; glued text goes to the glued reader."""
    text = decode_text(data, source)
    if _ANY_CELL.search(text) is None:
        from xxgk.annual_report.readers.glued import read_text

        return read_text(text, source=source)
    return _read_lines(iter(StringIO(text, newline="\n")), source)


def _read_lines(lines: Iterator[str], source: str) -> RawDocument:
    doc = RawDocument(source=source, media_type="text/plain")
    rows: list[tuple[RawCell, ...]] = []
    row: list[RawCell] = []
    blank_run = 0
    table_start: Location | None = None
    # counted as they come, so a huge file stops early instead of filling memory
    tables = paragraphs = cells = 0

    def end_row() -> None:
        nonlocal row
        if row:
            rows.append(tuple(row))
            row = []

    def end_table() -> None:
        nonlocal rows, table_start, tables
        end_row()
        if rows and table_start is not None:
            doc.blocks.append(RawTable(tuple(rows), table_start))
            tables += 1
        rows = []
        table_start = None

    def check_size(where: Location) -> None:
        reason = too_big(tables, cells, paragraphs)
        if reason is not None:
            raise ReportReadError("too_many_tables", reason, where)

    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\n")
        if number % 1024 == 0:
            check_size(Location(file=source, line=number))
        where = Location(file=source, line=number)
        if _CELL.match(line):
            if table_start is None:
                table_start = where
            elif blank_run:
                end_row()
            blank_run = 0
            row.append(RawCell(line.split("\t", 1)[1].strip(), where))
            cells += 1
            continue
        if not line.strip():
            blank_run += 1
            continue
        in_table = table_start is not None
        if in_table and blank_run < 2 and row and not _HEADING.match(line.strip()):
            last = row[-1]
            row[-1] = RawCell(f"{last.text}\n{line.strip()}", last.location)
            blank_run = 0
            continue
        end_table()
        blank_run = 0
        doc.blocks.append(RawParagraph(line.strip(), where))
        paragraphs += 1
    end_table()
    check_size(Location(file=source))
    return doc
