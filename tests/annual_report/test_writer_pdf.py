"""PDF writer: A4 pages, Chinese fonts embedded (checked with poppler's pdffonts)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.annual_report.samples import SAMPLES_DIR, SEED
from tests.conftest import in_ci
from xxgk.annual_report import read
from xxgk.annual_report.writers import pdf


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return pdf.render(read(SAMPLES_DIR / "huaian-hongze-district-2023.pdf"))


def test_pages_are_a4_with_text(rendered: bytes) -> None:
    document = pdfium.PdfDocument(rendered)
    try:
        assert len(document) >= 3
        width, height = document[0].get_size()
        assert (round(width), round(height)) == (595, 842)
        text = document[0].get_textpage().get_text_range()
        assert "政府信息公开工作年度报告" in text
    finally:
        document.close()


def test_chinese_fonts_are_embedded(rendered: bytes, tmp_path: Path) -> None:
    if shutil.which("pdffonts") is None:
        if in_ci():
            pytest.fail("CI must have poppler-utils (pdffonts)")
        pytest.skip("pdffonts (poppler-utils) not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered)
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    fonts = out.splitlines()[2:]
    assert fonts, out
    assert any("CJK" in line or "Song" in line or "仿宋" in line for line in fonts), out
    for line in fonts:
        # columns: name type encoding emb sub uni object ID — every font embedded
        assert " yes " in line.split("Identity-H")[-1] or line.split()[-5] == "yes", line


def test_nothing_is_fetched() -> None:
    with pytest.raises(ValueError, match="refusing to fetch"):
        pdf._no_fetch("https://example.com/font.woff")


@pytest.mark.parametrize(
    "source",
    [
        SEED,  # its 第二十条第（九）项 was alone at the foot of page 3
        SAMPLES_DIR / "huaian-hongze-district-2023.pdf",  # caption + header alone on page 2
        SAMPLES_DIR / "huaian-city-2024.pdf",
    ],
    ids=lambda p: p.name,
)
def test_a_caption_stays_with_its_table(source: Path) -> None:
    """Every 第二十条 caption shares its page with its header row and at least one data row."""
    report = read(source)
    document = pdfium.PdfDocument(pdf.render(report))
    captions = 0
    try:
        for index in range(len(document)):
            text = document[index].get_textpage().get_text_range()
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            lines = [line for line in lines if not line.startswith("—")]  # page number
            where = [i for i, line in enumerate(lines) if line.startswith("第二十条第")]
            captions += len(where)
            for i in where:
                after = lines[i + 1 : i + 3]
                assert len(after) == 2, f"page {index + 1}: {lines[i]} ends the page"
                assert after[0].startswith("信息内容"), (index + 1, lines[i], after)
    finally:
        document.close()
    # every sub-table of section 二 was printed
    assert captions == len({key.table for key in report.cells if key.section == "二"}) >= 4
