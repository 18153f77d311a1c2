"""HTML: published report pages, Word-exported HTML, and HTML inside a JavaScript string.

Tables keep their printed cells (rowspan/colspan recorded on each :class:`RawCell`, never
repeated); ``<br>`` and paragraphs inside a cell become line breaks. Text outside tables
becomes paragraphs in document order. Word's ``<o:p>`` and conditional comments are ignored.

When the input is not an HTML page but a script (the Shanghai ``.data.js``), every string
literal containing ``<table`` or ``<p`` is unescaped and read as HTML.

lxml's HTML parser never fetches anything (no DTDs, no external entities).
"""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.etree
import lxml.html

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import Location, RawCell, RawDocument, RawParagraph, RawTable
from xxgk.annual_report.readers.text import decode_text

__all__ = ["read_html", "read_raw"]

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "caption"})
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "select"})
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0]+")


#: An HTML tree takes roughly ten times its source in memory; real report pages are < 1 MB.
MAX_HTML_BYTES = 20 * 1024 * 1024


def read_raw(data: bytes, *, source: str) -> RawDocument:
    """Front-end entry point: an HTML page, or a script with HTML in string literals."""
    if len(data) > MAX_HTML_BYTES:
        raise ReportReadError(
            "too_large",
            f"HTML 文件过大（{len(data) / 1024 / 1024:.1f} MB），超过上限 20 MB",
            Location(file=source),
        )
    text = decode_text(data, source)
    stripped = text.lstrip()[:2000].lower()
    looks_html = stripped.startswith("<") or "<html" in stripped or "<!doctype" in stripped
    if not looks_html:
        fragments = [_unescape_js(m) for m in _js_strings(text)]
        # some feeds escape the markup as entities: "&lt;table&gt;…"
        fragments = [
            html.unescape(f) if "&lt;table" in f.lower() and "<table" not in f.lower() else f
            for f in fragments
        ]
        fragments = [f for f in fragments if "<table" in f.lower() or "<p" in f.lower()]
        if fragments:
            doc = RawDocument(source=source, media_type="text/html; in-script")
            for fragment in fragments:
                read_html(fragment, source=source, into=doc)
            return doc
    return read_html(text, source=source)


def _js_strings(text: str) -> list[str]:
    """The string literals of a script, found by one left-to-right scan (linear).

    Literals joined by ``+`` (``"<table>…" + "…</table>"``) come back as one string.
    """
    found: list[tuple[int, int, str]] = []  # (start, end, body) of each literal
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch in "\"'`":
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            found.append((i, min(j + 1, n), text[i + 1 : j]))
            i = j + 1
            continue
        i += 1
    out: list[str] = []
    previous_end = -1
    for start, end, body in found:
        if out and _JOIN.fullmatch(text, previous_end, start):
            out[-1] += body
        else:
            out.append(body)
        previous_end = end
    return [body for body in out if len(body) > 20]


_JOIN = re.compile(r"\s*\+\s*")


def _unescape_js(literal: str) -> str:
    def sub(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "ux" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}.get(esc, esc)

    return _JS_ESCAPE.sub(sub, literal)


def read_html(text: str, *, source: str, into: RawDocument | None = None) -> RawDocument:
    """Blocks of one HTML document or fragment (appended to ``into`` when given)."""
    doc = into or RawDocument(source=source, media_type="text/html")
    if not text.strip():
        raise ReportReadError("empty", "HTML 内容为空", Location(file=source))
    try:
        # huge_tree lifts libxml2's nesting limit from 256 to 2048 levels (Word pages nest
        # deeply); the input size is already bounded by MAX_HTML_BYTES.
        parser = lxml.html.HTMLParser(huge_tree=True, no_network=True)
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ReportReadError("bad_html", f"HTML 无法解析：{exc}", Location(file=source)) from exc
    _Walker(doc, source).walk(root)
    return doc


class _Walker:
    def __init__(self, doc: RawDocument, source: str) -> None:
        self.doc = doc
        self.source = source
        self.buffer: list[str] = []
        self.buffer_line: int | None = None
        self.tables = sum(1 for b in doc.blocks if isinstance(b, RawTable))

    def flush(self) -> None:
        text = _clean("".join(self.buffer))
        self.buffer = []
        for line in text.split("\n"):
            if line.strip():
                where = Location(file=self.source, line=self.buffer_line)
                self.doc.blocks.append(RawParagraph(line.strip(), where))
        self.buffer_line = None

    def loose(self, text: str | None, line: int | None) -> None:
        if text:
            if self.buffer_line is None:
                self.buffer_line = line
            self.buffer.append(text)

    def walk(self, root: Any) -> None:
        # iterative, so a deeply nested page cannot exhaust the stack
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            el, done = stack.pop()
            if done:
                self.loose(el.tail, el.sourceline)
                continue
            tag = el.tag if isinstance(el.tag, str) else None
            if tag is None:  # comment or processing instruction
                self.loose(el.tail, el.sourceline)
                continue
            tag = tag.lower().split(":")[-1] if ":" not in tag else tag.lower()
            if tag in _SKIP:
                self.loose(el.tail, el.sourceline)
                continue
            if tag == "table":
                self.flush()
                self.table(el)
                self.loose(el.tail, el.sourceline)
                continue
            if tag in _BLOCKS:
                self.flush()
                text = _clean(_text(el))
                if text:
                    for line in text.split("\n"):
                        if line.strip():
                            where = Location(file=self.source, line=el.sourceline)
                            self.doc.blocks.append(RawParagraph(line.strip(), where))
                self.loose(el.tail, el.sourceline)
                continue
            if tag in {"br", "div", "tr", "section", "article", "body"}:
                self.loose("\n", el.sourceline)
            self.loose(el.text, el.sourceline)
            stack.append((el, True))
            for child in reversed(list(el)):
                stack.append((child, False))
        self.flush()

    def table(self, table: Any) -> None:
        self.tables += 1
        number = self.tables
        rows: list[tuple[RawCell, ...]] = []
        for r, tr in enumerate(_rows(table), start=1):
            cells = []
            for c, td in enumerate(_cells(tr), start=1):
                where = Location(
                    file=self.source, line=td.sourceline, cell=f"表{number} 第{r}行 第{c}格"
                )
                cells.append(
                    RawCell(_clean(_text(td)), where, _span(td, "rowspan"), _span(td, "colspan"))
                )
            if cells:
                rows.append(tuple(cells))
        if rows:
            self.doc.blocks.append(
                RawTable(tuple(rows), Location(file=self.source, line=table.sourceline))
            )


def _rows(table: Any) -> list[Any]:
    out = []
    for el in table.iter():
        if isinstance(el.tag, str) and el.tag.lower() == "tr":
            # skip rows of nested tables: their nearest table ancestor is not this one
            parent = el.getparent()
            while parent is not None and not (
                isinstance(parent.tag, str) and parent.tag.lower() == "table"
            ):
                parent = parent.getparent()
            if parent is table:
                out.append(el)
    return out


def _cells(tr: Any) -> list[Any]:
    return [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in {"td", "th"}]


def _span(td: Any, name: str) -> int:
    value = str(td.get(name, "1")).strip().strip('\\"')
    try:
        return max(1, min(int(value), 1000))
    except ValueError:
        return 1


def _text(el: Any) -> str:
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, done = stack.pop()
        if done:
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        tag = node.tag.lower() if isinstance(node.tag, str) else None
        if tag is None or tag in _SKIP:
            if node is not el and node.tail:
                parts.append(node.tail)
            continue
        if tag == "br" or (tag in {"p", "div", "li"} and node is not el):
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        stack.append((node, True))
        for child in reversed(list(node)):
            stack.append((child, False))
    return "".join(parts)


def _clean(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
