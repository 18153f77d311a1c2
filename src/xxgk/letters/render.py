"""A letter as DOCX (python-docx) and PDF (WeasyPrint), in the GB/T 9704—2012 layout.

Django-free: the input is a :class:`LetterDoc`. Layout (replies-and-ledger.md §3): A4, margins
37 / 26 / 35 / 28 mm (top / right / bottom / left, 版心 156 × 225 mm), a 22-line grid (line
pitch ≈ 29 pt), title 2号小标宋, everything else 3号仿宋, paragraphs indented two characters,
signature 7.3.5.1 (date right-indented four characters, agency name centred over it), 附注
below the date, page numbers ``— 1 —`` in 4号宋体 (odd pages right, even pages left). No
letterhead, no seal image (the agency seals), no 版记 — replies normally carry none.

The DOCX names the official faces (方正小标宋简体, 仿宋_GB2312, 黑体, 宋体; East-Asian font set
explicitly, digits in Times New Roman). Those faces are proprietary and cannot ship, so the
PDF uses the free Noto CJK faces of Debian's fonts-noto-cjk (Noto Serif CJK SC for 仿宋 and
宋体, its bold weight for 小标宋), embedded as subsets (Q9 of replies-and-ledger.md).
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["LetterDoc", "chinese_date", "render_docx", "render_pdf"]

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
DIGIT_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"
PDF_FONTS = '"Noto Serif CJK SC", "Noto Serif CJK", serif'
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines


def chinese_date(d: date | None) -> str:
    """GB/T 9704 7.3.5.4: Arabic digits, full year, no leading zeros — ``2025年3月7日``."""
    return f"{d.year}年{d.month}月{d.day}日" if d else "    年  月  日"


@dataclass(frozen=True)
class LetterDoc:
    """Everything printed on a letter, in print order."""

    title: str
    number: str
    addressee: str
    paragraphs: Sequence[str]
    remedy: str = ""
    closing: str = ""
    signer: str = ""
    dated: date | None = None
    note: str = ""
    attachments: Sequence[str] = field(default_factory=tuple)

    def plain_text(self) -> str:
        """The whole letter as plain text (for checks and search)."""
        parts = [self.title, self.number, f"{self.addressee}："]
        parts += list(self.paragraphs)
        parts += [self.remedy, self.closing]
        parts += [f"附件：{a}" for a in self.attachments]
        parts += [self.signer, chinese_date(self.dated), self.note]
        return "\n".join(p for p in parts if p)


# --------------------------------------------------------------------------- DOCX


def _set_fonts(run: Any, east_asian: str, size_pt: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = DIGIT_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), DIGIT_FONT)
    fonts.set(qn("w:hAnsi"), DIGIT_FONT)


def _paragraph(
    doc: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = 16,
    align: str = "justify",
    first_indent_chars: float = 0,
    right_indent_chars: float = 0,
    left_indent_chars: float = 0,
    bold: bool = False,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT if size <= 16 else size * 1.5)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if first_indent_chars:
        fmt.first_line_indent = Pt(16 * first_indent_chars)
    if right_indent_chars:
        fmt.right_indent = Pt(16 * right_indent_chars)
    if left_indent_chars:
        fmt.left_indent = Pt(16 * left_indent_chars)
    if text:
        _set_fonts(p.add_run(text), font, size, bold=bold)
    return p


def _page_number_footer(footer: Any, align: str) -> None:
    """GB/T 9704 7.5: ``— N —`` in 4号 half-width 宋体, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
    if align == "right":
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)
    _set_fonts(p.add_run("— "), PAGE_NUMBER_FONT, 14)
    run = p.add_run()
    _set_fonts(run, PAGE_NUMBER_FONT, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _set_fonts(p.add_run(" —"), PAGE_NUMBER_FONT, 14)


def _layout(doc: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(35 - 7 - 5)  # page number 7 mm below the 版心
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), "0")
    sect.append(grid)
    # odd/even footers (GB/T 9704 7.5)
    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    _page_number_footer(section.footer, "right")
    _page_number_footer(section.even_page_footer, "left")
    normal = doc.styles["Normal"]
    normal.font.name = DIGIT_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _signature_indents(signer: str, date_text: str) -> tuple[float, float]:
    """7.3.5.1: the date right-indented 4 characters, the agency name centred over it."""
    date_chars = len(date_text.replace(" ", "")) - sum(c.isdigit() for c in date_text) / 2
    name_right = 4 + (date_chars - len(signer)) / 2
    return max(name_right, 0), 4


def render_docx(letter: LetterDoc) -> bytes:
    """The letter as a DOCX file (GB/T 9704—2012 layout; see the module docstring)."""
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    _layout(doc)
    body = doc.paragraphs[0] if doc.paragraphs else None
    if body is not None:  # the template's empty first paragraph
        body._element.getparent().remove(body._element)
    _paragraph(doc, letter.title, font=TITLE_FONT, size=22, align="center")
    _paragraph(doc, letter.number, align="center")
    _paragraph(doc, "")
    _paragraph(doc, f"{letter.addressee}：", align="left")
    for text in letter.paragraphs:
        for line in text.split("\n"):
            _paragraph(doc, line, first_indent_chars=2)
    if letter.remedy:
        _paragraph(doc, letter.remedy, first_indent_chars=2)
    if letter.closing:
        _paragraph(doc, letter.closing, first_indent_chars=2)
    if letter.attachments:
        _paragraph(doc, "")
        for i, name in enumerate(letter.attachments, 1):
            prefix = "附件：" if i == 1 else "　　　"
            number = f"{i}." if len(letter.attachments) > 1 else ""
            _paragraph(doc, f"{prefix}{number}{name}", first_indent_chars=2)
    date_text = chinese_date(letter.dated)
    name_right, date_right = _signature_indents(letter.signer, date_text)
    # GB/T 9704 7.3.5: the signature block is never alone on a page — the last body paragraph
    # keeps with it (keep_with_next), and the one line of space above the name (the seal's
    # room, 7.3.5.1/7.3.5.2) is space before, not empty paragraphs that could end a page.
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    sign = _paragraph(doc, letter.signer, align="right", right_indent_chars=name_right)
    sign.paragraph_format.space_before = Pt(LINE_PITCH_PT)
    sign.paragraph_format.keep_with_next = True
    dated = _paragraph(doc, date_text, align="right", right_indent_chars=date_right)
    if letter.note:
        dated.paragraph_format.keep_with_next = True
        _paragraph(doc, f"（{letter.note}）", first_indent_chars=2)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- PDF

_CSS = f"""
@page {{
  size: A4; margin: 37mm 26mm 35mm 28mm;
}}
@page :right {{ @bottom-right {{ content: "— " counter(page) " —"; font: 14pt {PDF_FONTS};
  margin-right: 1em; vertical-align: top; padding-top: 7mm; }} }}
@page :left {{ @bottom-left {{ content: "— " counter(page) " —"; font: 14pt {PDF_FONTS};
  margin-left: 1em; vertical-align: top; padding-top: 7mm; }} }}
html {{ font-family: {PDF_FONTS}; font-size: 16pt; line-height: {LINE_PITCH_PT}pt; }}
body {{ margin: 0; }}
h1 {{ font-size: 22pt; line-height: 33pt; font-weight: 700; text-align: center; margin: 0; }}
p {{ margin: 0; text-align: justify; }}
.number {{ text-align: center; margin-bottom: {LINE_PITCH_PT}pt; }}
.body {{ text-indent: 2em; }}
.sign {{ text-align: right; }}
.note {{ text-indent: 2em; }}
.tail {{ break-inside: avoid; page-break-inside: avoid; }}
.signature {{ break-before: avoid; page-break-before: avoid; break-inside: avoid;
  margin-top: {LINE_PITCH_PT}pt; }}
"""


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Nothing reaches the network (or the disk) while rendering: every URL is refused."""
    raise ValueError(f"external resource refused: {url[:40]}")


def render_pdf(letter: LetterDoc) -> bytes:
    """The letter as a PDF (same layout; free Noto CJK fonts embedded as subsets)."""
    from weasyprint import HTML

    esc = html.escape
    parts = [
        f"<h1>{esc(letter.title)}</h1>",
        f'<p class="number">{esc(letter.number)}</p>',
        f"<p>{esc(letter.addressee)}：</p>",
    ]
    for text in letter.paragraphs:
        parts += [f'<p class="body">{esc(line)}</p>' for line in text.split("\n")]
    if letter.remedy:
        parts.append(f'<p class="body">{esc(letter.remedy)}</p>')
    if letter.closing:
        parts.append(f'<p class="body">{esc(letter.closing)}</p>')
    for i, name in enumerate(letter.attachments, 1):
        prefix = "附件：" if i == 1 else "　　　"
        number = f"{i}." if len(letter.attachments) > 1 else ""
        parts.append(f'<p class="body">{esc(prefix + number + name)}</p>')
    date_text = chinese_date(letter.dated)
    name_right, date_right = _signature_indents(letter.signer, date_text)
    # GB/T 9704 7.3.5: the signature block (with 附注) stays on the page of the last body
    # paragraph: both sit in one unbreakable block; one line of space above the name.
    sign = [
        '<div class="signature">',
        f'<p class="sign" style="margin-right:{name_right}em">{esc(letter.signer)}</p>',
        f'<p class="sign" style="margin-right:{date_right}em">{esc(date_text)}</p>',
    ]
    if letter.note:
        sign.append(f'<p class="note">（{esc(letter.note)}）</p>')
    sign.append("</div>")
    last = parts.pop() if len(parts) > 3 else ""  # never the title, 文号 or addressee
    parts.append(f'<div class="tail">{last}{"".join(sign)}</div>')
    document = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(letter.title)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
    return bytes(HTML(string=document, url_fetcher=_refuse_fetch).write_pdf())
