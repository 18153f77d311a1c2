"""HTML writer: the report as one accessible, phone-friendly HTML page.

Also home of :func:`build_layout`, the printed layout of a report (title, headings,
narrative, and the three tables exactly as the format prints them, merged header cells
included) that the DOCX, PDF and XLSX writers share, so every output shows the same table.

Accessibility (WCAG 2.1 data tables): every table has a ``<caption>``; header cells are
``<th>`` with ``scope`` (``col``/``colgroup``/``row``/``rowgroup``) and an ``id``; every data
cell lists its headers in ``headers``, so a screen reader announces
"三、本年度办理结果 （三）不予公开 1.属于国家秘密 申请人情况 自然人 2". On a narrow screen a
table scrolls sideways inside its own box instead of squeezing the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from xxgk.annual_report.formats import (
    INFO_CONTENT,
    SECTION_HEADINGS,
    TABLE3_CORNER,
    CellKind,
    Table,
    format_for,
)
from xxgk.annual_report.model import CellKey, Report
from xxgk.statute.outcomes import FormatVersion

__all__ = ["LayoutCell", "LayoutTable", "LayoutText", "build_layout", "render", "title_of"]

#: Section 二 is printed 4 grid columns wide: the label and up to three values.
_S2_WIDTH = 4
_TABLE_SECTIONS = ("二", "三", "四")
_TABLE_NAMES = {
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
}


@dataclass(slots=True)
class LayoutCell:
    """One printed cell. ``kind``: corner, caption, colhead, rowhead, value."""

    text: str
    kind: str
    rowspan: int = 1
    colspan: int = 1
    id: str = ""
    headers: tuple[str, ...] = ()
    scope: str = ""


@dataclass(slots=True)
class LayoutTable:
    """A printed table: its section, a caption for assistive technology, rows of cells."""

    section: str
    caption: str
    width: int
    rows: list[list[LayoutCell]] = field(default_factory=list)
    header_rows: int = 0


@dataclass(frozen=True, slots=True)
class LayoutText:
    """A title, a section heading or a paragraph of running text."""

    kind: str  # "title", "heading", "paragraph"
    text: str


Layout = list[LayoutText | LayoutTable]


def title_of(report: Report) -> str:
    """The report's title as printed, or the usual one built from agency and year."""
    if report.title:
        return report.title
    agency = report.agency or ""
    year = f"{report.year}年" if report.year else ""
    return f"{agency}{year}政府信息公开工作年度报告"


def _value_text(report: Report, key: CellKey, signed: frozenset[tuple[str, ...]]) -> str:
    """A cell as printed: digits (money with its printed scale), unit, blank as empty.

    A 本年增/减 cell (a column in ``signed``) keeps the ``+`` its printed text carries
    (``+35``), as the report prints it.
    """
    cell = report.cells.get(key)
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    if key.column in signed and value > 0 and cell.raw.strip()[:1] in ("+", "＋"):
        text = "+" + text
    return f"{text}{cell.unit}" if cell.unit else text


def _signed(table: Table) -> frozenset[tuple[str, ...]]:
    return frozenset(c.path for c in table.columns if c.kind is CellKind.SIGNED)


def _paths_in_report(
    report: Report, section: str, caption: str
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    rows: dict[tuple[str, ...], None] = {}
    cols: dict[tuple[str, ...], None] = {}
    for key in report.cells:
        if key.section == section and key.table == caption:
            rows.setdefault(key.row, None)
            cols.setdefault(key.column, None)
    return list(rows), list(cols)


def _order(
    present: list[tuple[str, ...]], official: list[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    """Present paths in the format's order; local variants after their parent row, a row the
    format splits (2019-style （六）其他处理 in a 2021 report) where its sub-rows would go,
    anything unknown at the end in reading order."""

    def key(item: tuple[int, tuple[str, ...]]) -> tuple[int, int, int]:
        seen, path = item
        for i, off in enumerate(official):
            if path == off:
                return (i, 0, seen)
            if path[: len(off)] == off and len(off) > 0:
                return (i, 1, seen)
            if off[: len(path)] == path and len(path) > 0:
                return (i, -1, seen)
        return (len(official), 0, seen)

    return [path for _, path in sorted(enumerate(present), key=key)]


def _selection(
    report: Report, table: Table
) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]] | None:
    """Rows and columns to print; ``None`` when the report has none of this table."""
    official_rows = [r.path for r in table.rows]
    official_cols = [c.path for c in table.columns]
    if not report.cells:  # a blank report: print the format
        return official_rows, official_cols
    rows, cols = _paths_in_report(report, table.section, table.caption)
    if not rows:
        return None
    return _order(rows, official_rows), _order(cols, official_cols)


def build_layout(report: Report) -> Layout:
    """The printed report: title, the six sections with their narrative, the three tables."""
    version = report.version or FormatVersion.V2021
    fmt = format_for(version)
    title, preamble = _title_lines(report)
    out: Layout = [LayoutText("title", title)]
    for text in preamble:
        out.append(LayoutText("paragraph", text))
    for number, official in SECTION_HEADINGS.items():
        out.append(LayoutText("heading", report.headings.get(number) or official))
        for text in _paragraphs(report.narrative.get(number, "")):
            out.append(LayoutText("paragraph", text))
        if number == "二":
            table = _section2(report, fmt.section2_tables)
        elif number in ("三", "四"):
            table = _grid_table(report, fmt.table("3" if number == "三" else "4"))
        else:
            continue
        if table is not None:
            out.append(table)
    return out


def _title_lines(report: Report) -> tuple[str, list[str]]:
    """The title (one line per printed line) and the preamble paragraphs after it.

    A reader keeps the printed title lines (``淮安市人民政府`` / ``2024年…年度报告``) at
    the head of the preamble; they are printed once, as the title, not again as text.
    """
    paragraphs = _paragraphs(report.narrative.get("preamble", ""))
    title = title_of(report)
    key = "".join(title.split())
    for n in range(min(3, len(paragraphs))):
        # the title printed on n + 1 lines (淮安市人民政府 / 2024年…年度报告), or on one
        printed = "".join("".join(paragraphs[: n + 1]).split())
        if printed == key and all(len(p) <= 40 for p in paragraphs[:n]):
            return "\n".join(paragraphs[: n + 1]), paragraphs[n + 1 :]
    return title, paragraphs


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _spread(count: int) -> list[int]:
    """Column spans of ``count`` value columns over the 3 value grid columns of section 二."""
    if count == 1:
        return [3]
    if count == 2:
        return [1, 2]
    return [1] * count


def _section2(report: Report, tables: tuple[Table, ...]) -> LayoutTable | None:
    """Section 二: the sub-tables stacked, each a caption row, a header row, its rows.

    A local variant row (``其他对外管理服务事项`` / ``行政检查``) is printed as the seed and
    the Beijing tables print it: the parent label spanning its variants, the variant label in
    a second label column; the table then is 5 grid columns wide instead of 4.
    """
    chosen = [(i, t, _selection(report, t)) for i, t in enumerate(tables)]
    present = [(i, t, sel) for i, t, sel in chosen if sel is not None]
    if not present:
        return None
    depth = max((len(r) for _, _, (rows, _) in present for r in rows), default=1) or 1
    width = depth + _S2_WIDTH - 1
    layout = LayoutTable("二", f"表：{_TABLE_NAMES['二']}", width)
    for t_index, table, (rows, cols) in present:
        signed = _signed(table)
        cap_id = f"t2-{t_index}"
        layout.rows.append(
            [LayoutCell(table.caption, "caption", colspan=width, id=cap_id, scope="colgroup")]
        )
        spans = _spread(len(cols)) if len(cols) <= 3 else [1] * len(cols)
        header = [LayoutCell(INFO_CONTENT, "colhead", colspan=depth, id=f"{cap_id}-h", scope="col")]
        col_ids = []
        for c_index, (col, span) in enumerate(zip(cols, spans, strict=True)):
            cid = f"{cap_id}-c{c_index}"
            col_ids.append(cid)
            header.append(LayoutCell(" / ".join(col), "colhead", colspan=span, id=cid, scope="col"))
        layout.rows.append(header)
        for (labels, row_ids), row in zip(_row_labels(rows, depth, cap_id), rows, strict=True):
            for label in labels:
                label.headers = (cap_id,)
            cells = list(labels)
            for col, span, cid in zip(cols, spans, col_ids, strict=True):
                text = _value_text(report, CellKey("二", table.caption, row, col), signed)
                cells.append(
                    LayoutCell(text, "value", colspan=span, headers=(cap_id, cid, *row_ids))
                )
            layout.rows.append(cells)
    return layout


def _row_labels(
    rows: list[tuple[str, ...]], depth: int, prefix: str
) -> list[tuple[list[LayoutCell], list[str]]]:
    """Row label cells of each row and the ids of all labels that head it.

    A label spans the rows that share it (``rowspan``) and runs right to the last label
    column when it is the row's last label (``colspan``).
    """
    out: list[tuple[list[LayoutCell], list[str]]] = []
    open_labels: dict[int, LayoutCell] = {}
    for r_index, path in enumerate(rows):
        line: list[LayoutCell] = []
        row_ids: list[str] = []
        prev = rows[r_index - 1] if r_index else ()
        for level in range(len(path)):
            shared = prev[: level + 1] == path[: level + 1] and level < len(path) - 1
            if shared and level in open_labels:
                open_labels[level].rowspan += 1
                open_labels[level].scope = "rowgroup"
                row_ids.append(open_labels[level].id)
                continue
            leaf = level == len(path) - 1
            hid = f"{prefix}-r{r_index}-{level}"
            cell = LayoutCell(
                path[level], "rowhead", colspan=depth - level if leaf else 1, id=hid, scope="row"
            )
            line.append(cell)
            row_ids.append(hid)
            open_labels[level] = cell
            for deeper in [k for k in open_labels if k > level]:
                del open_labels[deeper]
        out.append((line, row_ids))
    return out


def _grid_table(report: Report, table: Table) -> LayoutTable | None:
    """Table 三 or 四: nested column headers, nested row labels, merged as the format prints."""
    chosen = _selection(report, table)
    if chosen is None:
        return None
    rows, cols = chosen
    s = table.section
    col_depth = max((len(c) for c in cols), default=1)
    row_depth = max((len(r) for r in rows), default=0)
    layout = LayoutTable(s, f"表：{_TABLE_NAMES[s]}", row_depth + len(cols), header_rows=col_depth)
    # Column headers: one header row per level; a label spans the columns that share it,
    # and runs down to the bottom header row when it is a leaf.
    leaf_headers: list[list[str]] = [[] for _ in cols]
    for level in range(col_depth):
        line: list[LayoutCell] = []
        if level == 0 and row_depth:
            corner = TABLE3_CORNER if s == "三" else ""
            line.append(LayoutCell(corner, "corner", rowspan=col_depth, colspan=row_depth))
        j = 0
        while j < len(cols):
            path = cols[j]
            if level >= len(path):
                j += 1
                continue
            span = 1
            while (
                j + span < len(cols)
                and cols[j + span][: level + 1] == path[: level + 1]
                and len(cols[j + span]) > level
            ):
                span += 1
            leaf = level == len(path) - 1
            hid = f"t{s}-c{level}-{j}"
            line.append(
                LayoutCell(
                    path[level],
                    "colhead",
                    rowspan=col_depth - level if leaf else 1,
                    colspan=span,
                    id=hid,
                    scope="col" if span == 1 else "colgroup",
                )
            )
            for k in range(j, j + span):
                leaf_headers[k].append(hid)
            j += span
        layout.rows.append(line)
    # Data rows: nested row labels, then the values.
    signed = _signed(table)
    for (line, row_ids), path in zip(_row_labels(rows, row_depth, f"t{s}"), rows, strict=True):
        for c_index, col in enumerate(cols):
            text = _value_text(report, CellKey(s, table.caption, path, col), signed)
            line.append(LayoutCell(text, "value", headers=(*row_ids, *leaf_headers[c_index])))
        layout.rows.append(line)
    return layout


_CSS = """
html { -webkit-text-size-adjust: 100%; }
body { font-family: "FangSong", "仿宋_GB2312", "仿宋", "STFangsong", "Noto Serif CJK SC", serif;
  font-size: 16px; line-height: 1.75; color: #111; max-width: 60em; margin: 0 auto; padding: 1em; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", serif;
  font-size: 1.5em; text-align: center; font-weight: bold; line-height: 1.4; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 1.1em;
  font-weight: bold; margin: 1.2em 0 .4em; }
p { text-indent: 2em; margin: .3em 0; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .6em 0 1.2em; }
table { border-collapse: collapse; font-size: 14px; line-height: 1.4; min-width: 100%; }
caption { caption-side: top; text-align: left; font-size: 12px; color: #555; padding: .2em 0; }
th, td { border: 1px solid #000; padding: .3em .4em; vertical-align: middle; }
th { font-weight: normal; text-align: left; }
th[scope=col], th[scope=colgroup], th.corner { text-align: center; }
th.caption { text-align: center; background: #eef3fa; }
td { text-align: center; font-variant-numeric: tabular-nums; min-width: 2.5em; }
th[scope=row] { min-width: 8em; max-width: 18em; }
th[scope=rowgroup] { min-width: 3.5em; }
.s4 td { min-width: 2em; }
@media (max-width: 40em) { body { font-size: 15px; padding: .5em; } table { font-size: 13px; } }
@media print { .table-wrap { overflow: visible; } }
"""


def _cell_html(cell: LayoutCell) -> str:
    attrs = []
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    if cell.id:
        attrs.append(f'id="{escape(cell.id)}"')
    if cell.scope:
        attrs.append(f'scope="{cell.scope}"')
    if cell.headers:
        attrs.append(f'headers="{escape(" ".join(cell.headers))}"')
    if cell.kind in ("caption", "corner"):
        attrs.append(f'class="{cell.kind}"')
    tag = "td" if cell.kind == "value" else "th"
    text = escape(cell.text)
    return f"<{tag}{' ' if attrs else ''}{' '.join(attrs)}>{text}</{tag}>"


def render_body(layout: Layout, css: str = _CSS) -> str:
    """The HTML document of a layout (the PDF writer passes its own print CSS)."""
    title = next((b.text for b in layout if isinstance(b, LayoutText) and b.kind == "title"), "")
    title = title.replace("\n", " ")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    for block in layout:
        if isinstance(block, LayoutText):
            tag = {"title": "h1", "heading": "h2"}.get(block.kind, "p")
            text = "<br>".join(escape(line) for line in block.text.split("\n"))
            parts.append(f"<{tag}>{text}</{tag}>")
            continue
        parts.append(
            f'<div class="table-wrap s{_section_class(block.section)}" role="region" tabindex="0" aria-label="{escape(block.caption)}">'
        )
        parts.append(f"<table><caption>{escape(block.caption)}</caption>")
        head, body = block.rows[: block.header_rows], block.rows[block.header_rows :]
        if head:
            parts.append("<thead>")
            parts.extend(f"<tr>{''.join(_cell_html(c) for c in row)}</tr>" for row in head)
            parts.append("</thead>")
        # Each 第二十条 sub-table (a caption row and what follows it) is its own row group,
        # so print CSS can keep a caption with its table (never alone at a page foot).
        groups: list[list[list[LayoutCell]]] = []
        for row in body:
            if not groups or (row and row[0].kind == "caption"):
                groups.append([])
            groups[-1].append(row)
        for group in groups:
            captioned = bool(group[0]) and group[0][0].kind == "caption"
            parts.append('<tbody class="subtable">' if captioned else "<tbody>")
            parts.extend(f"<tr>{''.join(_cell_html(c) for c in row)}</tr>" for row in group)
            parts.append("</tbody>")
        parts.append("</table></div>")
    parts.extend(["</main>", "</body>", "</html>", ""])
    return "\n".join(parts)


def _section_class(section: str) -> str:
    return {"二": "2", "三": "3", "四": "4"}.get(section, "")


def render(report: Report) -> bytes:
    """The report as an accessible HTML page (UTF-8)."""
    return render_body(build_layout(report)).encode("utf-8")
