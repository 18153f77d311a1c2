"""The report value: what one annual report says, typed, with where each value came from.

A :class:`Report` holds the agency, the year, the format version, every table cell keyed by
:class:`CellKey` (section, table caption, row path, column path — the tidy-CSV coordinates),
the narrative sections, and the findings the reader already made (e.g. an ambiguous split).

Cells are typed by their column (:class:`~xxgk.annual_report.formats.CellKind`): ``int`` for
counts and 本年增/减, :class:`~decimal.Decimal` for money, ``None`` for a blank cell. A blank
is never zero: ``Cell.value is None`` and ``Cell.raw`` keeps what was printed (``""``,
``"-"``, ``"无"``…).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from xxgk.annual_report.raw import Location
from xxgk.statute.outcomes import FormatVersion

__all__ = ["Cell", "CellKey", "Finding", "Report", "Severity"]

Number = int | Decimal


@dataclass(frozen=True, slots=True, order=True)
class CellKey:
    """Where a cell sits in the report, in official labels.

    ``section`` is ``"二"``, ``"三"`` or ``"四"``; ``table`` the 第二十条 caption in section 二,
    ``""`` otherwise; ``row`` and ``column`` the label paths, outermost first (section 四's
    single data row has the empty path).
    """

    section: str
    table: str
    row: tuple[str, ...]
    column: tuple[str, ...]

    @property
    def row_text(self) -> str:
        return " / ".join(self.row)

    @property
    def column_text(self) -> str:
        return " / ".join(self.column)

    def describe(self) -> str:
        """Chinese description: ``表三 一、本年新收政府信息公开申请数量 × 自然人``."""
        where = [f"第{self.section}部分"]
        if self.table:
            where.append(self.table)
        if self.row:
            where.append(self.row[-1])
        where.append(self.column[-1] if self.column else "")
        return " ".join(w for w in where if w)


@dataclass(frozen=True, slots=True)
class Cell:
    """One typed cell. ``value is None`` means blank (not zero); ``raw`` is the printed text.

    ``unit`` is a unit printed inside the cell (``"元"`` in ``251000元``), ``None`` when the
    cell carries none. ``location`` is where it was read (page, line or cell reference).
    """

    value: Number | None
    raw: str = ""
    location: Location | None = None
    unit: str | None = None

    @property
    def blank(self) -> bool:
        return self.value is None


class Severity(StrEnum):
    """How serious a finding is. ``error`` breaks the law's format or arithmetic."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a check (or of reading): stable id, severity, Chinese message, where.

    ``check`` is the stable id (``"C1"`` … ``"C14"`` of regulation.md §5.2, ``"R6"``–``"R8"``
    of §2.5, ``"READ.…"`` for reading problems). ``cells`` are the cells concerned.
    """

    check: str
    severity: Severity
    message: str
    section: str = ""
    table: str = ""
    row: tuple[str, ...] = ()
    column: tuple[str, ...] = ()
    location: Location | None = None
    cells: tuple[CellKey, ...] = ()

    def describe(self) -> str:
        """One line for people: ``[error C1] 第三部分 自然人: …（第3页）``."""
        where = " ".join(
            p for p in (f"第{self.section}部分" if self.section else "", self.table) if p
        )
        if self.row:
            where += f" {self.row[-1]}"
        if self.column:
            where += f" × {' / '.join(self.column)}"
        loc = f"（{self.location.describe()}）" if self.location else ""
        where = f"{where.strip()}：" if where.strip() else ""
        return f"[{self.severity} {self.check}] {where}{self.message}{loc}"


@dataclass(slots=True)
class Report:
    """One annual report as read (or as compiled by the platform).

    ``narrative`` maps a section number (``"一"`` … ``"六"``) to its text; ``"preamble"`` holds
    text before section 一. ``headings`` maps each section number to the heading as printed.
    ``findings`` are what the reader noticed (ambiguous splits, mixed formats, unknown rows);
    :func:`xxgk.annual_report.check` adds the checks' findings to its own result, not here.
    """

    agency: str | None = None
    year: int | None = None
    version: FormatVersion | None = None
    title: str | None = None
    cells: dict[CellKey, Cell] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    source: str | None = None
    media_type: str | None = None
    #: The unit printed in a column header when it differs from the official label
    #: (e.g. ``采购总金额（万元，保留四位小数）`` → ``{key: "万元"}``), keyed by (table, column).
    header_units: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)
    #: Every narrative paragraph as read: (section number, text, where it was read). Checks
    #: that quote the narrative (C7, C13) give the quoted paragraph's location from here.
    paragraphs: list[tuple[str, str, Location | None]] = field(default_factory=list)

    def where_said(self, text: str, section: str | None = None) -> Location | None:
        """Where the narrative paragraph containing ``text`` was read (first match), if known."""
        for number, paragraph, where in self.paragraphs:
            if (section is None or number == section) and text in paragraph:
                return where
        return None

    def value(
        self, section: str, table: str, row: tuple[str, ...], column: tuple[str, ...]
    ) -> Number | None:
        """The value at these coordinates; ``None`` when blank or absent."""
        cell = self.cells.get(CellKey(section, table, row, column))
        return None if cell is None else cell.value

    def section_cells(self, section: str) -> dict[CellKey, Cell]:
        """The cells of one section, in reading order."""
        return {k: c for k, c in self.cells.items() if k.section == section}
