"""From one page's glyphs and grids to raw blocks (paragraphs and tables), in reading order.

Shared by the PDF front end (glyphs are characters of the text layer) and the OCR front end
(glyphs are recognised text boxes). Also joins a table that a page break cut in two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.annual_report.raw import Block, Location, RawCell, RawParagraph, RawTable
from xxgk.annual_report.readers._pdfgrid import (
    Field,
    Glyph,
    Grid,
    GridCell,
    group_lines,
    is_continuation,
    join_line,
    join_lines,
    join_texts,
    split_fields,
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
    items: list[tuple[float, RawParagraph | RawTable | PagePart]]
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
    items: list[tuple[float, RawParagraph | RawTable | PagePart]] = [
        (grid.y0, PagePart(page, grid, line_of)) for grid in grids
    ]
    if not spaced:
        lines, unruled = _unruled_tables(lines, page, line_of, source)
        items.extend(unruled)
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
        # An indent is measured in characters: the loose box of a line holding full-width
        # brackets is taller than the font size (22.4 pt for 16 pt 仿宋 in 淮安 2024), and
        # 1.5 × that is more than the two-character indent of （二）.
        widths = sorted(g.x1 - g.x0 for line in lines for g in line if ord(g.text[0]) >= 0x2E80)
        em = widths[len(widths) // 2] if widths else typical
        first_height = max(g.height for g in lines[0]) or 1.0
        last_height = max(g.height for g in lines[-1]) or 1.0
        starts_flush = lines[0][0].x0 <= left + min(1.5 * first_height, 1.2 * em)
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
                columns = "\t" in join_line(prev, spaced) or "\t" in join_line(line, spaced)
                starts_new = columns or (
                    not wrapped_title
                    and (
                        line[0].x0 > left + min(1.5 * height, 1.2 * em)  # indented
                        or prev[-1].x1 < right - 2.5 * height  # previous line ended short
                        or line[0].y0 - prev_bottom > 1.2 * height  # a gap
                        or any(prev_bottom <= top <= line[0].y0 for top in grid_tops)
                    )
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


_NUMBER_FIELD = re.compile(r"^[+\-]?\d[\d,]*(?:\.\d+)?$")


def _value_split(fields: list[Field]) -> int:
    """How many trailing fields of a line are numbers."""
    count = 0
    for field_ in reversed(fields):
        if not _NUMBER_FIELD.match(field_.text.strip()):
            break
        count += 1
    return count


def _is_value_line(fields: list[Field]) -> bool:
    """Numbers after a short label (a prose line ending in a number is not one), or a row
    of numbers only (section 四)."""
    tail = _value_split(fields)
    if tail >= 1 and len(fields) > tail:
        return len(fields[-tail - 1].text.strip()) <= 40
    return tail >= 5


def _unruled_tables(
    lines: list[list[Glyph]], page: int, line_of: dict[int, int], source: str | None
) -> tuple[list[list[Glyph]], list[tuple[float, RawTable]]]:
    """Tables printed without rules, rebuilt from the positions of the words alone.

    A *value line* ends in numbers set apart by gaps (``label  3001  53 … 3119``; section
    四's row is numbers only). Two or more value lines with at most label fragments between
    them make a table: one row per value line, its leaf label and its values. A label
    wrapped over several lines (values centred on it) is put back together: a fragment that
    starts with a number (``（二）部分公开…只计``) begins the next row's label, any other
    (``开``) ends the previous one. Labels of outer groups (``三、本`` / ``年度办``) are left
    out: the assembler takes the full label path from the format.
    """
    fields = [split_fields(line) for line in lines]
    value = [_is_value_line(f) for f in fields]

    def fragment_of(k: int) -> bool:
        """Line ``k`` is a piece of a wrapped label of the value line above or below it."""
        if value[k] or not fields[k]:
            return False
        last = fields[k][-1]
        text = last.text.strip()
        if _CAPTION.match(text):
            return False
        numbered = _NUMBERED_START.match(text) is not None
        step = 1 if numbered else -1
        n = k + step
        while 0 <= n < len(lines) and not value[n] and abs(n - k) <= 3:
            n += step
        if not (0 <= n < len(lines)) or not value[n]:
            return False
        target = fields[n]
        tail = _value_split(target)
        first_value = target[-tail].x0
        em = max(g.height for g in lines[k])
        if last.x1 > first_value:
            return False
        if len(target) > tail:
            return abs(last.x0 - target[-tail - 1].x0) <= 1.5 * em
        return False

    def label_column(k: int, n: int) -> bool:
        """Line ``k`` is one text field in the label column of value line ``n``."""
        if value[k] or len(fields[k]) != 1 or _CAPTION.match(fields[k][0].text.strip()):
            return False
        tail = _value_split(fields[n])
        if len(fields[n]) <= tail:
            return False
        em = max(g.height for g in lines[k])
        label = fields[n][-tail - 1]
        return (
            abs(fields[k][0].x0 - label.x0) <= 1.5 * em and fields[k][0].x1 <= fields[n][-tail].x0
        )

    runs: list[tuple[int, int]] = []
    lead: set[int] = set()  # label lines of a run's first row, above its value line
    i = 0
    while i < len(lines):
        if not value[i]:
            i += 1
            continue
        # A page break inside a table: the first row's label may start above its value
        # line (``2.申请人逾期未按收`` / ``费通知要求缴纳费`` / ``用、…  6  0 …``).
        start = i
        above = [k for k in range(i - 1, max(i - 4, (runs[-1][1] if runs else -1)), -1)]
        for count, k in enumerate(above, start=1):
            if not label_column(k, i):
                break
            if _NUMBERED_START.match(fields[k][0].text.strip()):
                start = k
                lead.update(above[:count])
                break
        j = i
        k = i + 1
        while k < len(lines) and (value[k] or fragment_of(k)):
            if value[k]:
                j = k
            k += 1
        while j + 1 < len(lines) and fragment_of(j + 1):
            j += 1  # the last label's wrapped end
        runs.append((start, j))
        i = j + 1
    if not runs:
        return lines, []
    used: set[int] = set()
    tables: list[tuple[float, RawTable]] = []
    for start, end in runs:
        rows: list[list[str]] = []
        row_values: list[list[Field]] = []
        where: list[list[Glyph]] = []
        pending = ""
        for index in range(start, end + 1):
            used.add(index)
            f = fields[index]
            if value[index]:
                tail = _value_split(f)
                label = f[-tail - 1].text.strip() if len(f) > tail else ""
                rows.append([pending + label])
                row_values.append(f[-tail:])
                where.append(lines[index])
                pending = ""
                continue
            if not f or not (index in lead or fragment_of(index)):
                continue
            fragment = f[-1].text.strip()
            if _NUMBERED_START.match(fragment) or pending or not rows:
                pending += fragment  # the next row's label has begun
            else:
                rows[-1][0] += fragment
        for texts, values in zip(rows, _aligned(row_values), strict=True):
            texts.extend(values)
        number = len(tables) + 1
        table_rows = []
        for r, (texts, line) in enumerate(zip(rows, where, strict=True)):
            loc_line = line_of.get(id(line[0]))
            cells = [
                RawCell(
                    text,
                    Location(
                        file=source,
                        page=page,
                        line=loc_line,
                        cell=f"无框线表{number} 第{r + 1}行 第{c + 1}列",
                    ),
                )
                for c, text in enumerate(texts if texts[0] else texts[1:])
            ]
            table_rows.append(tuple(cells))
        first = lines[start][0]
        tables.append(
            (
                first.y0,
                RawTable(
                    tuple(table_rows),
                    Location(file=source, page=page, line=line_of.get(id(first))),
                ),
            )
        )
    return [line for index, line in enumerate(lines) if index not in used], tables


def _aligned(rows: list[list[Field]]) -> list[list[str]]:
    """Values placed under their columns: a row with fewer values than the widest rows of the
    table (a blank cell) gets ``""`` where its column is empty, instead of its values
    sliding left into the wrong columns. Columns are the mean x-centres of the values of
    the widest rows of the same width."""
    if not rows:
        return []
    width = max(len(r) for r in rows)
    full = [r for r in rows if len(r) == width]
    anchors = [sum((r[c].x0 + r[c].x1) / 2 for r in full) / len(full) for c in range(width)]
    out: list[list[str]] = []
    for row in rows:
        if len(row) == width:
            out.append([f.text.strip() for f in row])
            continue
        placed = [""] * width
        column = 0
        for f in row:
            centre = (f.x0 + f.x1) / 2
            best = min(range(column, width), key=lambda c: abs(anchors[c] - centre))
            # keep the order: never more columns left than values left to place
            best = min(best, width - (len(row) - row.index(f)))
            placed[best] = f.text.strip()
            column = best + 1
        out.append(placed)
    return out


_CAPTION = re.compile(
    r"^(?:第.{1,4}条\s*第\s*[（(].{1,3}[）)]\s*项|[一二三四五六七八九十]、.*情况)$"
)
_NUMBERED_START = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])"
)


def _centred(line: list[Glyph], left: float, right: float) -> bool:
    """A centred line (a title): both margins wide and about equal."""
    height = max(g.height for g in line) or 1.0
    before, after = line[0].x0 - left, right - line[-1].x1
    # Both margins: an indented line running to the right margin (（三）… in 淮安 2024)
    # is a new paragraph, not the second line of a centred title.
    return before > height and after > height and abs(before - after) <= 2 * height


def _same_width(a: Grid, b: Grid, tol: float) -> bool:
    return abs(a.x0 - b.x0) <= tol and abs(a.x1 - b.x1) <= tol


def assemble(pages: list[PageLayout], source: str | None, tol: float) -> list[Block]:
    """All pages' blocks in reading order; a table cut by a page break becomes one table."""
    ordered: list[RawParagraph | RawTable | _Table] = []
    previous: PageLayout | None = None
    for layout in pages:
        for index, (_, item) in enumerate(layout.items):
            if isinstance(item, RawTable):
                ordered.append(item)
                continue
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
        if isinstance(entry, RawParagraph | RawTable):
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
