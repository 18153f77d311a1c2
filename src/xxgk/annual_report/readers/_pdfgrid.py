"""Page geometry shared by the PDF and OCR front ends: ruling lines → table grids → cells.

Coordinates are top-down (``y`` grows downwards, as in an image), in any unit: PDF points for
the PDF reader, pixels for the OCR reader. The input is a bag of *glyphs* (a character, or a
recognised text box) and of ruling *segments* (thin rectangles, lines, cell outlines); the
output is, per page, a list of grids whose cells carry their text, and the glyphs that lie
outside every grid (running text).

A grid is built the way a person reads a ruled table: the distinct x of the vertical rules and
the distinct y of the horizontal rules cut the table into atomic cells; two neighbouring
atomic cells belong to the same printed cell when no rule separates them. Merged cells thus
come out with their row and column spans, and a row-group label stacked vertically one
character per line (``三、本年度办理结果``) is simply the text of one tall cell.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

#: A cell text that continues a label split by a page break does not start with a number.
_NUMBERED = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])"
)
_ASCII_WORD = re.compile(r"[0-9A-Za-z.%+\-]")


@dataclass(frozen=True, slots=True)
class Glyph:
    """A character (PDF) or a recognised text box (OCR) and its box, top-down coordinates.

    ``cx``, ``cy`` (centre) and ``height`` are computed once: the layout code reads them
    hundreds of thousands of times per document.
    """

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    cx: float = field(init=False)
    cy: float = field(init=False)
    height: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cx", (self.x0 + self.x1) / 2)
        object.__setattr__(self, "cy", (self.y0 + self.y1) / 2)
        object.__setattr__(self, "height", self.y1 - self.y0)


@dataclass(frozen=True, slots=True)
class HSeg:
    """A horizontal rule at ``y`` from ``x0`` to ``x1``."""

    y: float
    x0: float
    x1: float


@dataclass(frozen=True, slots=True)
class VSeg:
    """A vertical rule at ``x`` from ``y0`` to ``y1``."""

    x: float
    y0: float
    y1: float


@dataclass(slots=True)
class GridCell:
    """One printed cell: atomic row/column of its top-left corner, spans, box and glyphs."""

    row: int
    col: int
    rowspan: int
    colspan: int
    x0: float
    y0: float
    x1: float
    y1: float
    glyphs: list[Glyph] = field(default_factory=list)
    _text: str | None = None

    def text(self) -> str:
        """The cell's text, its lines joined as printed (CJK lines without a separator)."""
        if self._text is None:
            self._text = join_lines(group_lines(self.glyphs))
        return self._text


@dataclass(slots=True)
class Grid:
    """A ruled table: the rule positions and its cells in reading order."""

    xs: list[float]
    ys: list[float]
    cells: list[GridCell]
    _index: dict[tuple[int, int], GridCell] = field(default_factory=dict)

    @property
    def x0(self) -> float:
        return self.xs[0]

    @property
    def x1(self) -> float:
        return self.xs[-1]

    @property
    def y0(self) -> float:
        return self.ys[0]

    @property
    def y1(self) -> float:
        return self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> GridCell | None:
        """The cell whose box holds the point, or ``None`` outside the grid."""
        if not self.contains(x, y):
            return None
        col = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        row = min(max(bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        return self._index.get((row, col))


def rect_to_segments(
    x0: float, y0: float, x1: float, y1: float, thin: float
) -> tuple[list[HSeg], list[VSeg]]:
    """A drawn rectangle as rules: a thin one is a line, a larger one four edges."""
    w, h = x1 - x0, y1 - y0
    if h <= thin and w > thin:
        return [HSeg((y0 + y1) / 2, x0, x1)], []
    if w <= thin and h > thin:
        return [], [VSeg((x0 + x1) / 2, y0, y1)]
    if w <= thin and h <= thin:
        return [], []
    return [HSeg(y0, x0, x1), HSeg(y1, x0, x1)], [VSeg(x0, y0, y1), VSeg(x1, y0, y1)]


def _merge_h(segs: list[HSeg], tol: float) -> list[HSeg]:
    """Collinear rules (same ``y`` within ``tol``) that overlap or touch become one."""
    out: list[HSeg] = []
    group: list[HSeg] = []

    def flush() -> None:
        y = sum(s.y for s in group) / len(group)
        merged: list[HSeg] = []
        for s in sorted(group, key=lambda s: s.x0):
            if merged and s.x0 <= merged[-1].x1 + tol:
                merged[-1] = HSeg(y, merged[-1].x0, max(merged[-1].x1, s.x1))
            else:
                merged.append(HSeg(y, s.x0, s.x1))
        out.extend(merged)

    for s in sorted(segs, key=lambda s: s.y):
        if group and s.y - group[0].y > tol:
            flush()
            group = []
        group.append(s)
    if group:
        flush()
    return out


def _merge_v(segs: list[VSeg], tol: float) -> list[VSeg]:
    merged = _merge_h([HSeg(s.x, s.y0, s.y1) for s in segs], tol)
    return [VSeg(s.y, s.x0, s.x1) for s in merged]


def _cluster(values: list[float], tol: float) -> list[float]:
    """Distinct positions: values closer than ``tol`` collapse to their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_grids(hsegs: list[HSeg], vsegs: list[VSeg], tol: float) -> list[Grid]:
    """Ruled tables on one page, top to bottom. A grid needs at least 2×2 atomic cells."""
    hs = _merge_h(hsegs, tol)
    vs = _merge_v(vsegs, tol)
    if not hs or not vs:
        return []
    # Connected components: a horizontal and a vertical rule touch.
    n = len(hs) + len(vs)
    uf = _Union(n)
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.x0 - tol <= v.x <= h.x1 + tol and v.y0 - tol <= h.y <= v.y1 + tol:
                uf.union(i, len(hs) + j)
    groups: dict[int, tuple[list[HSeg], list[VSeg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(uf.find(len(hs) + j), ([], []))[1].append(v)
    grids = [
        grid
        for gh, gv in groups.values()
        if gh and gv
        for grid in [_build_grid(gh, gv, tol)]
        if grid is not None
    ]
    grids.sort(key=lambda g: (g.y0, g.x0))
    return grids


def _covered(intervals: list[tuple[float, float]], at: float, tol: float) -> bool:
    return any(a - tol <= at <= b + tol for a, b in intervals)


def _build_grid(hs: list[HSeg], vs: list[VSeg], tol: float) -> Grid | None:
    xs = _cluster([v.x for v in vs], tol)
    ys = _cluster([h.y for h in hs], tol)
    if len(xs) < 3 or len(ys) < 2:  # a framed paragraph is not a table
        return None
    vcover: list[list[tuple[float, float]]] = [[] for _ in xs]
    for v in vs:
        k = min(range(len(xs)), key=lambda i: abs(xs[i] - v.x))
        vcover[k].append((v.y0, v.y1))
    hcover: list[list[tuple[float, float]]] = [[] for _ in ys]
    for h in hs:
        k = min(range(len(ys)), key=lambda i: abs(ys[i] - h.y))
        hcover[k].append((h.x0, h.x1))
    nrows, ncols = len(ys) - 1, len(xs) - 1
    uf = _Union(nrows * ncols)
    for r in range(nrows):
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(ncols - 1):
            if not _covered(vcover[c + 1], ymid, tol):
                uf.union(r * ncols + c, r * ncols + c + 1)
    for c in range(ncols):
        xmid = (xs[c] + xs[c + 1]) / 2
        for r in range(nrows - 1):
            if not _covered(hcover[r + 1], xmid, tol):
                uf.union(r * ncols + c, (r + 1) * ncols + c)
    spans: dict[int, list[int]] = {}
    for r in range(nrows):
        for c in range(ncols):
            root = uf.find(r * ncols + c)
            box = spans.setdefault(root, [r, c, r, c])
            box[0], box[1] = min(box[0], r), min(box[1], c)
            box[2], box[3] = max(box[2], r), max(box[3], c)
    cells: list[GridCell] = []
    index: dict[tuple[int, int], GridCell] = {}
    for r0, c0, r1, c1 in sorted(spans.values()):
        if (r0, c0) in index:  # a non-rectangular merge already claimed this corner
            continue
        cell = GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cells.append(cell)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                index.setdefault((r, c), cell)
    return Grid(xs, ys, cells, index)


def place_glyphs(grids: list[Grid], glyphs: list[Glyph]) -> list[Glyph]:
    """Put each glyph into the cell under its centre; return the glyphs outside every grid."""
    outside: list[Glyph] = []
    for g in glyphs:
        cx, cy = g.cx, g.cy
        for grid in grids:
            cell = grid.cell_at(cx, cy)
            if cell is not None:
                cell.glyphs.append(g)
                cell._text = None
                break
        else:
            outside.append(g)
    return outside


def group_lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs as text lines, top to bottom, each left to right."""
    lines: list[list[Glyph]] = []
    centres: list[float] = []
    for g in sorted(glyphs, key=lambda g: g.cy):
        if lines and abs(g.cy - centres[-1]) <= max(g.height, 1.0) * 0.5:
            lines[-1].append(g)
            n = len(lines[-1])
            centres[-1] += (g.cy - centres[-1]) / n
        else:
            lines.append([g])
            centres.append(g.cy)
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def _join(a: str, b: str) -> str:
    if a and b and _ASCII_WORD.match(a[-1]) and _ASCII_WORD.match(b[0]):
        return f"{a} {b}"
    return a + b


def join_texts(a: str, b: str) -> str:
    """Two pieces of wrapped text: Chinese joined directly, Latin words with a space."""
    return _join(a, b)


@dataclass(frozen=True, slots=True)
class Field:
    """A run of a line's glyphs between wide gaps (a cell of a table printed without rules)."""

    text: str
    x0: float
    x1: float


def _gap(previous: Glyph, g: Glyph) -> bool:
    gap = g.x0 - previous.x1
    em = max(g.height, previous.height)
    return gap > 0.6 * em or ((g.text.isdigit() or previous.text.isdigit()) and gap > 0.4 * em)


def split_fields(line: list[Glyph]) -> list[Field]:
    """A line cut at its wide gaps (see :func:`join_line`)."""
    fields: list[Field] = []
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or _gap(line[i - 1], line[i]):
            part = line[start:i]
            fields.append(Field("".join(g.text for g in part), part[0].x0, part[-1].x1))
            start = i
    return [f for f in fields if f.text.strip()]


def join_line(line: list[Glyph], spaced: bool = False) -> str:
    """One line's text. ``spaced``: separate boxes (OCR) by a space between Latin words.

    A horizontal gap wider than 0.6 of a character height (0.4 next to a digit: numbers sit
    close in narrow columns) becomes a tab, so the columns of a table printed without rules
    stay apart (``一、本年新收…数量\t3001\t53…``).
    """
    text = ""
    previous: Glyph | None = None
    for g in line:
        if previous is not None and _gap(previous, g):
            text += "\t"
        text = _join(text, g.text) if spaced else text + g.text
        previous = g
    return text


def join_lines(lines: list[list[Glyph]], spaced: bool = False) -> str:
    """Lines of one cell or paragraph, wrapped Chinese text joined without a separator."""
    text = ""
    for line in lines:
        part = join_line(line, spaced).strip()
        text = _join(text, part)
    return text


def is_continuation(text: str) -> bool:
    """A label fragment that continues the cell above it (page break inside a merged cell)."""
    stripped = text.strip()
    if not stripped:
        return True
    if stripped.replace(",", "").replace(".", "").isdigit():
        return False
    return _NUMBERED.match(stripped) is None
