"""From one page's glyphs and grids to raw blocks (paragraphs and tables), in reading order.

Shared by the PDF front end (glyphs are characters of the text layer) and the OCR front end
(glyphs are recognised text boxes). Also joins a table that a page break cut in two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.annual_report.raw import Block, Location, RawCell, RawParagraph, RawTable
from xxgk.annual_report.readers._pdfgrid import (
    Glyph,
    Grid,
    GridCell,
    group_lines,
    is_continuation,
    join_line,
    join_lines,
    join_texts,
)

_PAGE_NUMBER = re.compile(r"^[\s\-－—–]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d+)?[\s\-－—–]*$")


@dataclass(slots=True)
class PagePart:
    """A grid as found on one page (a table may be made of several parts)."""

    page: int
    grid: Grid
    lines: dict[int, int]  # id(glyph) → page line number


@dataclass(slots=True)
class _Table:
    parts: list[PagePart] = field(default_factory=list)


@dataclass(slots=True)
class PageLayout:
    """One page: its paragraphs and grids in reading order, plus edge facts for joining."""

    page: int
    items: list[tuple[float, RawParagraph | PagePart]]
    last_is_table: bool
    first_is_table: bool
    #: The last paragraph runs to the right margin (it may continue on the next page).
    ends_open: bool = False
    #: The first paragraph is not indented (it may continue the previous page's).
    starts_flush: bool = False


def layout_page(
    page: int,
    grids: list[Grid],
    outside: list[Glyph],
    all_glyphs: list[Glyph],
    source: str | None,
    spaced: bool = False,
) -> PageLayout:
    """Paragraphs from the glyphs outside the grids, and the grids, sorted top to bottom."""
    line_of: dict[int, int] = {}
    for number, line in enumerate(group_lines(all_glyphs), start=1):
        for g in line:
            line_of[id(g)] = number
    lines = [
        line
        for line in group_lines(outside)
        if not _PAGE_NUMBER.match(join_line(line, spaced)) and join_line(line, spaced).strip()
    ]
    items: list[tuple[float, RawParagraph | PagePart]] = [
        (grid.y0, PagePart(page, grid, line_of)) for grid in grids
    ]
    ends_open = starts_flush = False
    if lines:
        left = min(line[0].x0 for line in lines)
        right = max(line[-1].x1 for line in lines)
        para: list[list[Glyph]] = []
        grid_tops = sorted(grid.y0 for grid in grids)

        def flush() -> None:
            if para:
                first = para[0][0]
                text = join_lines(para, spaced)
                loc = Location(file=source, page=page, line=line_of.get(id(first)))
                items.append((first.y0, RawParagraph(text, loc)))
                para.clear()

        heights = sorted(max(g.height for g in line) for line in lines)
        typical = heights[len(heights) // 2]
        first_height = max(g.height for g in lines[0]) or 1.0
        last_height = max(g.height for g in lines[-1]) or 1.0
        starts_flush = lines[0][0].x0 <= left + 1.5 * first_height
        ends_open = lines[-1][-1].x1 >= right - 2.5 * last_height
        for line in lines:
            height = max(g.height for g in line) or 1.0
            if para:
                prev = para[-1]
                prev_bottom = max(g.y1 for g in prev)
                prev_height = max(g.height for g in prev) or 1.0
                wrapped_title = (  # a long title in a large font, wrapped and centred
                    _centred(line, left, right)
                    and prev[-1].x1 - prev[0].x0 >= 0.75 * (right - left)
                    and abs(prev_height - height) <= 0.1 * height
                    and height >= 1.15 * typical
                    and line[0].y0 - prev_bottom <= 1.2 * height
                )
                starts_new = not wrapped_title and (
                    line[0].x0 > left + 1.5 * height  # indented first line
                    or prev[-1].x1 < right - 2.5 * height  # previous line ended short
                    or line[0].y0 - prev_bottom > 1.2 * height  # a gap
                    or any(prev_bottom <= top <= line[0].y0 for top in grid_tops)
                )
                if starts_new:
                    flush()
            para.append(line)
        flush()
    items.sort(key=lambda item: item[0])
    return PageLayout(
        page,
        items,
        last_is_table=bool(items) and isinstance(items[-1][1], PagePart),
        first_is_table=bool(items) and isinstance(items[0][1], PagePart),
        ends_open=ends_open and bool(items) and isinstance(items[-1][1], RawParagraph),
        starts_flush=starts_flush and bool(items) and isinstance(items[0][1], RawParagraph),
    )


def _centred(line: list[Glyph], left: float, right: float) -> bool:
    """A centred line (a title): both margins wide and about equal."""
    height = max(g.height for g in line) or 1.0
    before, after = line[0].x0 - left, right - line[-1].x1
    return before > height and abs(before - after) <= 2 * height


def _same_width(a: Grid, b: Grid, tol: float) -> bool:
    return abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol


def assemble(pages: list[PageLayout], source: str | None, tol: float) -> list[Block]:
    """All pages' blocks in reading order; a table cut by a page break becomes one table."""
    ordered: list[RawParagraph | _Table] = []
    previous: PageLayout | None = None
    for layout in pages:
        for index, (_, item) in enumerate(layout.items):
            if isinstance(item, RawParagraph):
                continues = (
                    index == 0
                    and previous is not None
                    and previous.ends_open
                    and layout.starts_flush
                    and ordered
                    and isinstance(ordered[-1], RawParagraph)
                )
                if continues:
                    last = ordered[-1]
                    assert isinstance(last, RawParagraph)
                    ordered[-1] = RawParagraph(join_texts(last.text, item.text), last.location)
                else:
                    ordered.append(item)
                continue
            joins = (
                index == 0
                and previous is not None
                and previous.last_is_table
                and ordered
                and isinstance(ordered[-1], _Table)
                and _same_width(ordered[-1].parts[-1].grid, item.grid, tol)
            )
            if joins:
                last = ordered[-1]
                assert isinstance(last, _Table)
                last.parts.append(item)
            else:
                ordered.append(_Table([item]))
        previous = layout
    blocks: list[Block] = []
    number = 0
    for entry in ordered:
        if isinstance(entry, RawParagraph):
            blocks.append(entry)
        else:
            number += 1
            blocks.append(_to_raw_table(entry, number, source, tol))
    return blocks


@dataclass(slots=True)
class _Placed:
    page: int
    row: int
    col: int
    rowspan: int
    colspan: int
    cell: GridCell
    lines: dict[int, int]
    text: str


def _to_raw_table(table: _Table, number: int, source: str | None, tol: float) -> RawTable:
    xs: list[float] = []
    for part in table.parts:
        xs.extend(part.grid.xs)
    xs.sort()
    union: list[float] = []
    for x in xs:
        if not union or x - union[-1] > tol:
            union.append(x)

    def col_of(x: float) -> int:
        return min(range(len(union)), key=lambda i: abs(union[i] - x))

    placed: list[_Placed] = []
    offset = 0
    first_rows = _row_texts(table.parts[0].grid)
    for k, part in enumerate(table.parts):
        bottom_of_previous = {
            (p.col, p.colspan): p for p in placed if p.row + p.rowspan == offset and k > 0
        }
        # Header rows repeated at the top of a continuation page are dropped.
        repeated = 0
        if k > 0:
            rows_here = _row_texts(part.grid)
            while (
                repeated < min(len(rows_here), len(first_rows))
                and rows_here[repeated] == first_rows[repeated]
                and any(rows_here[repeated])
            ):
                repeated += 1
        offset -= repeated
        for cell in part.grid.cells:
            if cell.row < repeated:
                continue
            c0, c1 = col_of(cell.x0), col_of(cell.x1)
            text = cell.text()
            here = _Placed(
                part.page,
                cell.row + offset,
                c0,
                cell.rowspan,
                max(c1 - c0, 1),
                cell,
                part.lines,
                text,
            )
            above = (
                bottom_of_previous.get((here.col, here.colspan)) if cell.row == repeated else None
            )
            if (
                above is not None
                and is_continuation(text)
                and not _numeric(above.text)
                and (cell.rowspan > 1 or (not text.strip() and _is_label(above.text)))
            ):
                above.rowspan += cell.rowspan
                above.text = above.text + text.strip()
                continue
            placed.append(here)
        offset += len(part.grid.ys) - 1
    rows: list[list[RawCell]] = [[] for _ in range(offset)]
    for p in sorted(placed, key=lambda p: (p.row, p.col)):
        first = min(p.cell.glyphs, key=lambda g: (g.cy, g.x0), default=None)
        loc = Location(
            file=source,
            page=p.page,
            line=p.lines.get(id(first)) if first is not None else None,
            cell=f"表{number} 第{p.row + 1}行 第{p.col + 1}列",
        )
        rows[p.row].append(RawCell(p.text, loc, rowspan=p.rowspan, colspan=p.colspan))
    first_part = table.parts[0]
    return RawTable(
        tuple(tuple(r) for r in rows),
        Location(file=source, page=first_part.page, cell=f"表{number}"),
    )


def _row_texts(grid: Grid) -> list[tuple[str, ...]]:
    rows: list[list[str]] = [[] for _ in range(len(grid.ys) - 1)]
    for cell in grid.cells:
        rows[cell.row].append(re.sub(r"\s+", "", cell.text()))
    return [tuple(r) for r in rows]


def _numeric(text: str) -> bool:
    stripped = text.strip().replace(",", "")
    return bool(stripped) and re.fullmatch(r"[+\-]?\d+(?:\.\d+)?", stripped) is not None


def _is_label(text: str) -> bool:
    """Text with at least two Chinese characters (a row label, not a value or a dash)."""
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") >= 2
