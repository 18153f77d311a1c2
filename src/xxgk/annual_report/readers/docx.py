"""DOCX front end: a Word report → :class:`~xxgk.annual_report.raw.RawDocument`.

The package is checked as a possible zip bomb first (:mod:`._zip`); ``word/document.xml`` is
parsed with ``defusedxml`` (no DTD, no entities, no network). The body is read in order:
paragraphs become :class:`RawParagraph`, tables :class:`RawTable` with their merged cells —
``w:gridSpan`` is the column span, ``w:vMerge`` (restart / continue) the row span, as the
blank template agencies circulate uses both. Text in content controls (``w:sdt``) and
tracked insertions counts; deleted text (``w:delText``) does not.

Locations: ``line`` is the paragraph's number in the body (1-based, tables not counted);
``cell`` is ``表N 第R行 第C列`` (grid row and column, 1-based).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import Location, RawCell, RawDocument, RawParagraph, RawTable
from xxgk.annual_report.readers._zip import open_package, read_member

__all__ = ["MEDIA_TYPE", "read_raw"]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt"
_MAX_ROWS = 5000
#: Word allows 63 columns; a larger ``w:gridSpan`` or ``w:gridBefore`` is clipped to this.
MAX_SPAN = 64
#: XML tags (``<``) allowed in ``word/document.xml`` before it is parsed: the tree costs
#: about 100 bytes per element, so a 64 MB member of ``<w:p/>`` would take over a GB (the
#: blank template has 10 000 tags; a long report a few hundred thousand).
MAX_TAGS = 1_000_000


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """条例第五十条的年度报告（Word DOCX）：段落与表格（含合并单元格）→ RawDocument。

    Raises :class:`ReportReadError` (``docx_unreadable``, ``docx_too_large``,
    ``docx_zip_bomb``) for input that is not a readable DOCX.
    """
    package = open_package(data, source=source, kind="DOCX")
    with package:
        names = set(package.namelist())
        if "word/document.xml" not in names:
            raise ReportReadError(
                "docx_unreadable",
                "文件不是Word文档（DOCX中缺少word/document.xml）。",
                Location(file=source),
            )
        xml = read_member(package, "word/document.xml", source=source, kind="DOCX")
    tags = xml.count(b"<")
    if tags > MAX_TAGS:
        raise ReportReadError(
            "docx_too_large",
            f"Word文档的结构过于庞大（{tags}个XML标记，上限{MAX_TAGS}个），不像是一份年度报告，拒绝读取。",
            Location(file=source),
        )
    try:
        root = fromstring(xml)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ReportReadError(
            "docx_unreadable",
            f"Word文档内容无法解析（{type(exc).__name__}）。",
            Location(file=source),
        ) from None
    body = root.find(f"{_W}body")
    doc = RawDocument(source=source, media_type=MEDIA_TYPE)
    if body is None:
        return doc
    state = _State(source)
    for element in _blocks(body):
        if element.tag == _P:
            state.paragraph += 1
            text = paragraph_text(element)
            if text.strip():
                doc.blocks.append(RawParagraph(text, Location(file=source, line=state.paragraph)))
        else:
            state.table += 1
            doc.blocks.append(_table(element, state))
    return doc


@dataclass(slots=True)
class _State:
    source: str
    paragraph: int = 0
    table: int = 0


def _blocks(parent: Element) -> list[Element]:
    """Body-level paragraphs and tables in order, looking through content controls."""
    out: list[Element] = []
    for child in parent:
        if child.tag in (_P, _TBL):
            out.append(child)
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out.extend(_blocks(content))
    return out


def paragraph_text(p: Element) -> str:
    """A paragraph's text: runs in order, tabs and breaks kept as whitespace."""
    parts: list[str] = []
    for node in p.iter():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc: Element) -> str:
    paragraphs = [paragraph_text(p) for p in tc.iter(_P)]
    return "\n".join(p for p in paragraphs if p) if len(paragraphs) > 1 else "".join(paragraphs)


@dataclass(slots=True)
class _Cell:
    text: str
    row: int
    col: int
    rowspan: int
    colspan: int


def _int_attr(element: Element | None, default: int) -> int:
    """A span-like attribute: at least 1, at most :data:`MAX_SPAN` (a file may say 10⁹)."""
    if element is None:
        return default
    try:
        return min(max(int(element.get(f"{_W}val", default)), 1), MAX_SPAN)
    except ValueError:
        return default


def _table(tbl: Element, state: _State) -> RawTable:
    cells: list[_Cell] = []
    open_merges: dict[int, _Cell] = {}  # grid column → cell whose vertical merge continues
    rows = [tr for tr in tbl if tr.tag == _TR][:_MAX_ROWS]
    for r, tr in enumerate(rows):
        col = 0
        tr_pr = tr.find(f"{_W}trPr")
        if tr_pr is not None:
            col += _int_attr(tr_pr.find(f"{_W}gridBefore"), 0)
        for tc in _row_cells(tr):
            pr = tc.find(f"{_W}tcPr")
            span = _int_attr(pr.find(f"{_W}gridSpan") if pr is not None else None, 1)
            vmerge = pr.find(f"{_W}vMerge") if pr is not None else None
            merge = None if vmerge is None else (vmerge.get(f"{_W}val") or "continue")
            if merge == "continue" and col in open_merges:
                open_merges[col].rowspan += 1
                col += span
                continue
            cell = _Cell(_cell_text(tc), r, col, 1, span)
            cells.append(cell)
            if merge == "restart":
                open_merges[col] = cell
            else:
                open_merges.pop(col, None)
            col += span
    grid: list[list[RawCell]] = [[] for _ in rows]
    number = state.table
    for cell in cells:
        loc = Location(file=state.source, cell=f"表{number} 第{cell.row + 1}行 第{cell.col + 1}列")
        grid[cell.row].append(RawCell(cell.text, loc, cell.rowspan, cell.colspan))
    return RawTable(
        tuple(tuple(row) for row in grid), Location(file=state.source, cell=f"表{number}")
    )


def _row_cells(tr: Element) -> list[Element]:
    out: list[Element] = []
    for child in tr:
        if child.tag == _TC:
            out.append(child)
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                out.extend(c for c in content if c.tag == _TC)
    return out
