"""Markdown as PDF and OCR converters produce it: pipe tables and paragraphs.

A table is a run of lines starting with ``|``; the ``|---|`` rule line is dropped, ``\\|`` is
a literal bar, ``<br>`` inside a cell is a line break. Other non-empty lines are paragraphs
(leading ``#`` and emphasis markers removed).
"""

from __future__ import annotations

import re

from xxgk.annual_report.raw import Location, RawCell, RawDocument, RawParagraph, RawTable
from xxgk.annual_report.readers.text import decode_text

__all__ = ["read_raw"]

# no two optional runs of spaces side by side (quadratic on a long line of spaces)
_RULE = re.compile(r"^\s*(?:\|\s*)?:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*(?:\|\s*)?$")
_SPLIT = re.compile(r"(?<!\\)\|")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """Blocks of a Markdown document."""
    text = decode_text(data, source)
    doc = RawDocument(source=source, media_type="text/markdown")
    rows: list[tuple[RawCell, ...]] = []
    start: Location | None = None

    def end_table() -> None:
        nonlocal rows, start
        if rows and start is not None:
            doc.blocks.append(RawTable(tuple(rows), start))
        rows, start = [], None

    for number, line in enumerate(text.split("\n"), start=1):
        where = Location(file=source, line=number)
        stripped = line.strip()
        if stripped.startswith("|"):
            if start is None:
                start = where
            if _RULE.match(stripped):
                continue
            inner = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
            cells = [_BR.sub("\n", c).replace("\\|", "|").strip() for c in _SPLIT.split(inner)]
            rows.append(
                tuple(
                    RawCell(
                        _EMPHASIS.sub("", c), Location(file=source, line=number, cell=f"第{i}格")
                    )
                    for i, c in enumerate(cells, start=1)
                )
            )
            continue
        end_table()
        if stripped:
            doc.blocks.append(RawParagraph(_EMPHASIS.sub("", stripped.lstrip("#").strip()), where))
    end_table()
    return doc
