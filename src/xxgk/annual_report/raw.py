"""The first stage of every reader: the document as blocks of text and tables, with locations.

Each front end (text, HTML, DOCX, XLSX, PDF, OCR, Markdown) turns its input into a
:class:`RawDocument`; one shared assembler then matches labels against the format, types the
cells and records where each value came from. Nothing here knows the report format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: A real annual report has 3–12 tables and about 300 cells (every sample, the seed and the
#: blank template); a web page adds a few navigation tables. Far beyond these bounds the input
#: is not one report (or is a report repeated thousands of times), and front ends stop
#: collecting instead of building millions of cells (memory stays bounded).
MAX_TABLES = 200
MAX_CELLS = 20_000
MAX_PARAGRAPHS = 50_000


@dataclass(frozen=True, slots=True)
class Location:
    """Where something was read: any of file, page (1-based), line (1-based), cell reference.

    ``cell`` is a free reference such as ``"表2 第5行 第3列"`` or an XLSX ``"Sheet1!C7"``.
    """

    file: str | None = None
    page: int | None = None
    line: int | None = None
    cell: str | None = None

    def describe(self) -> str:
        """A short Chinese description, e.g. ``第2页 第14行``."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.cell:
            parts.append(self.cell)
        return " ".join(parts) or "位置不明"


@dataclass(frozen=True, slots=True)
class RawCell:
    """One table cell as printed: its text (whitespace kept) and its span in the grid."""

    text: str
    location: Location
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class RawTable:
    """A table as rows of cells, before spans are expanded."""

    rows: tuple[tuple[RawCell, ...], ...]
    location: Location


@dataclass(frozen=True, slots=True)
class RawParagraph:
    """One paragraph (or line) of running text."""

    text: str
    location: Location


Block = RawParagraph | RawTable


@dataclass(slots=True)
class RawDocument:
    """A whole document in reading order, plus notes the front end wants to pass on.

    ``notes`` carry front-end findings such as "needs OCR" or "cell split ambiguous"; they are
    turned into checks' findings by the assembler.
    """

    blocks: list[Block] = field(default_factory=list)
    source: str | None = None
    media_type: str | None = None
    notes: list[tuple[str, str, Location]] = field(default_factory=list)  # (id, message, where)

    def too_big(self) -> str | None:
        """Why this document is too big to be one annual report (plain Chinese), or None."""
        tables = cells = paragraphs = 0
        for block in self.blocks:
            if isinstance(block, RawTable):
                tables += 1
                cells += sum(len(row) for row in block.rows)
            else:
                paragraphs += 1
        return too_big(tables, cells, paragraphs)


def too_big(tables: int, cells: int, paragraphs: int) -> str | None:
    """Plain-Chinese reason when these counts exceed :data:`MAX_TABLES` & co., else None."""
    if tables > MAX_TABLES or cells > MAX_CELLS:
        return f"文件中的表格过多（超过{MAX_TABLES}个表格或{MAX_CELLS}个单元格），不像一份年度报告"
    if paragraphs > MAX_PARAGRAPHS:
        return f"文件中的段落过多（超过{MAX_PARAGRAPHS}段），不像一份年度报告"
    return None
