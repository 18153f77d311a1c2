"""Plain tests: the DOCX and PDF renderers (GB/T 9704—2012 layout, fonts, text)."""

from __future__ import annotations

import io
from datetime import date

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from xxgk.letters.render import LetterDoc, chinese_date, render_docx, render_pdf

LETTER = LetterDoc(
    title="政府信息公开申请答复书",
    number="测政依复〔2026〕7号",
    addressee="张三",
    paragraphs=[
        "2026年3月2日，本机关收到你提出的政府信息公开申请。",
        "经审查，现答复如下：\n第二行",
    ],
    remedy="如对本答复不服，可以自收到本答复之日起六十日内向测试区人民政府申请行政复议。",
    closing="特此告知。",
    signer="测试区向阳街道办事处",
    dated=date(2026, 3, 7),
    note="联系人：李四，联系电话：010-1",
)


def test_chinese_date_has_no_leading_zeros():
    """GB/T 9704 7.3.5.4."""
    assert chinese_date(date(2025, 3, 7)) == "2025年3月7日"


def test_docx_page_and_text_follow_gbt_9704():
    document = docx.Document(io.BytesIO(render_docx(LETTER)))
    section = document.sections[0]
    mm = [
        round(v.mm, 1)
        for v in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert mm == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "政府信息公开申请答复书"
    assert texts[1] == "测政依复〔2026〕7号"
    assert "张三：" in texts
    assert "第二行" in texts
    assert texts.index(LETTER.remedy) < texts.index("特此告知。") < texts.index(LETTER.signer)
    assert texts.index(LETTER.signer) + 1 == texts.index("2026年3月7日")
    assert "（联系人：李四，联系电话：010-1）" in texts


def test_docx_names_the_official_faces_for_east_asian_text():
    document = docx.Document(io.BytesIO(render_docx(LETTER)))
    title_run = document.paragraphs[0].runs[0]
    assert title_run.font.size == Pt(22)
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("2026年3月2日"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    date_p = next(p for p in document.paragraphs if p.text == "2026年3月7日")
    assert date_p.paragraph_format.right_indent == Pt(64)  # four characters (7.3.5.1)


def test_docx_has_page_numbers_on_odd_and_even_pages():
    document = docx.Document(io.BytesIO(render_docx(LETTER)))
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._element.xml
        assert "PAGE" in xml and "— " in footer.paragraphs[0].text


def test_pdf_carries_the_text_with_embedded_cjk_fonts():
    data = render_pdf(LETTER)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
        assert "政府信息公开申请答复书" in text
        assert "测政依复〔2026〕7号" in text
        assert "六十日内向测试区人民政府申请行政复议" in text.replace("\n", "")
        assert "2026年3月7日" in text
        page = pdf.pages[0]
        assert round(page.width / 72 * 25.4) == 210 and round(page.height / 72 * 25.4) == 297
        fonts = {c["fontname"] for c in page.chars}
    assert fonts and all("Noto" in f and "+" in f for f in fonts)  # subset-embedded


def test_pdf_never_fetches_anything():
    """Text looking like HTML is escaped, so no <img> can ask for a URL."""
    evil = LetterDoc(**{**LETTER.__dict__, "addressee": '<img src="http://example.com/x.png">'})
    with pdfplumber.open(io.BytesIO(render_pdf(evil))) as pdf:
        assert "<img" in pdf.pages[0].extract_text()


@pytest.mark.parametrize("n", [1, 40])
def test_long_letters_flow_over_pages(n):
    long = LetterDoc(**{**LETTER.__dict__, "paragraphs": ["经审查，" * 30] * n})
    with pdfplumber.open(io.BytesIO(render_pdf(long))) as pdf:
        assert (len(pdf.pages) > 1) == (n > 1)
        assert "2026年3月7日" in pdf.pages[-1].extract_text()


def _pages_text(pdf_bytes: bytes, tmp_path) -> list[str]:
    """pdftotext, one text per page (form feed separated)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:  # poppler-utils is a CI package
        from tests.conftest import in_ci

        if in_ci():
            raise AssertionError("pdftotext (poppler-utils) is required under CI")
        pytest.skip("pdftotext not installed")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf_bytes)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return ["".join(page.split()) for page in out.split("\f") if page.strip()]


def test_the_signature_block_stays_with_the_last_body_line(tmp_path):
    """GB/T 9704 7.3.5: the agency name and date are never stranded alone on a page — for every
    body length around the end of page 1 they share a page with the last body line."""
    stranded = []
    for n in range(12, 20):
        paragraphs = [f"第{i}段答复内容，经审查认为。" for i in range(1, n)] + [
            "最后一段正文末行。"
        ]
        letter = LetterDoc(
            **{**LETTER.__dict__, "paragraphs": paragraphs, "remedy": "", "closing": ""}
        )
        pages = _pages_text(render_pdf(letter), tmp_path)
        last = next(i for i, p in enumerate(pages) if "最后一段正文末行" in p)
        if not ("测试区向阳街道办事处" in pages[last] and "2026年3月7日" in pages[last]):
            stranded.append(n)
    assert stranded == []


def test_docx_keeps_the_signature_with_the_body_and_has_no_empty_lines_before_it():
    document = docx.Document(io.BytesIO(render_docx(LETTER)))
    texts = [p.text for p in document.paragraphs]
    i = texts.index("测试区向阳街道办事处")
    assert texts[i - 1] == "特此告知。"  # no empty paragraphs in between
    assert document.paragraphs[i - 1].paragraph_format.keep_with_next
    assert document.paragraphs[i].paragraph_format.keep_with_next
