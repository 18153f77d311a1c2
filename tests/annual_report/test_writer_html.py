"""HTML writer: accessible tables (caption, th scope, headers), usable on a phone."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.annual_report.samples import SAMPLES_DIR
from xxgk.annual_report import Report, read
from xxgk.annual_report.writers import html


@pytest.fixture(scope="module")
def city() -> Report:
    return read(SAMPLES_DIR / "huaian-city-2024.pdf")


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables = 0
        self.captions = 0
        self.ths: list[dict[str, str | None]] = []
        self.tds: list[dict[str, str | None]] = []
        self.meta: list[dict[str, str | None]] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th":
            self.ths.append(a)
        elif tag == "td":
            self.tds.append(a)
        elif tag == "meta":
            self.meta.append(a)
        elif tag == "html":
            self.html_lang = a.get("lang")


def test_tables_are_accessible(city: Report) -> None:
    page = html.render(city).decode("utf-8")
    parsed = _Cells()
    parsed.feed(page)
    assert parsed.tables == 3 and parsed.captions == 3
    assert parsed.html_lang == "zh-CN"
    ids = [th["id"] for th in parsed.ths if th.get("id")]
    assert len(ids) == len(set(ids))
    assert all(
        th.get("scope") in {"col", "colgroup", "row", "rowgroup"}
        for th in parsed.ths
        if th.get("id")
    )
    # every data cell names its headers, and every named header exists
    assert len(parsed.tds) == 200
    for td in parsed.tds:
        headers = (td.get("headers") or "").split()
        assert headers and set(headers) <= set(ids)
    assert any(m.get("name") == "viewport" for m in parsed.meta)


def test_a_cell_announces_its_row_and_column_labels(city: Report) -> None:
    page = html.render(city).decode("utf-8")
    parsed = _Cells()
    parsed.feed(page)
    layout = html.build_layout(city)
    three = [b for b in layout if isinstance(b, html.LayoutTable)][1]
    labels = {c.id: c.text for row in three.rows for c in row if c.id}
    secret = next(
        c
        for row in three.rows
        for c in row
        if c.kind == "value"
        and any(labels.get(h) == "1.属于国家秘密" for h in c.headers)
        and any(labels.get(h) == "自然人" for h in c.headers)
    )
    named = [labels[h] for h in secret.headers]
    assert named == [
        "三、本年度办理结果",
        "（三）不予公开",
        "1.属于国家秘密",
        "申请人情况",
        "自然人",
    ]
    assert secret.text == "2"


def test_layout_spans_as_the_format_prints(city: Report) -> None:
    tables = [b for b in html.build_layout(city) if isinstance(b, html.LayoutTable)]
    two, three, four = tables
    assert two.width == 4 and two.rows[0][0].colspan == 4
    assert (three.rows[0][0].rowspan, three.rows[0][0].colspan) == (3, 3)
    assert [(c.text, c.rowspan, c.colspan) for c in three.rows[1]] == [
        ("自然人", 2, 1),
        ("法人或其他组织", 1, 5),
        ("总计", 2, 1),
    ]
    assert [(c.text, c.colspan) for c in four.rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]


def test_blank_is_not_zero_and_text_is_escaped() -> None:
    report = Report(agency="<某局>", year=2022)
    page = html.render(report).decode("utf-8")
    assert "&lt;某局&gt;2022年政府信息公开工作年度报告" in page
    parsed = _Cells()
    parsed.feed(page)
    # a blank report prints the whole 2021 format, every value cell empty
    assert len(parsed.tds) == 200
    assert ">0<" not in page


@pytest.mark.browser
def test_usable_on_a_phone(city: Report) -> None:
    """In Debian's chromium at a 375 px wide phone viewport: the page does not scroll
    sideways (only the wide tables do, inside their own boxes) and text stays legible."""
    import shutil
    from pathlib import Path

    from tests.conftest import in_ci

    chromium = "/usr/bin/chromium"
    if not Path(chromium).exists() and not shutil.which("chromium"):
        if in_ci():
            pytest.fail("chromium is missing in CI")
        pytest.skip("chromium not installed (allowed outside CI only)")
    from playwright.sync_api import sync_playwright

    page_html = html.render(city).decode("utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium if Path(chromium).exists() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2)
            page.route("**/*", lambda route: route.abort())  # nothing may be fetched
            page.set_content(page_html)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            boxes = page.evaluate(
                """[...document.querySelectorAll('.table-wrap')].map(w => ({
                    overflow: getComputedStyle(w).overflowX,
                    scrolls: w.scrollWidth > w.clientWidth,
                    width: w.getBoundingClientRect().width}))"""
            )
            assert len(boxes) == 3
            assert all(b["overflow"] == "auto" and b["width"] <= 375 for b in boxes)
            assert boxes[1]["scrolls"]  # table 三 is wider than a phone: it scrolls in place
            size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 14
        finally:
            browser.close()


@pytest.mark.parametrize("kind", ["html", "docx", "xlsx"])
def test_a_two_line_title_is_printed_once(kind: str) -> None:
    """淮安 2024's title lines head its preamble; they were printed as the title and then
    again as two body paragraphs."""
    import io

    from xxgk.annual_report import render

    report = read(SAMPLES_DIR / "huaian-city-2024.pdf")
    data = render(report, kind)
    if kind == "html":
        body = data.decode().split("<body>", 1)[1]
        texts = [t for t in HTMLText.of(body) if t.strip()]
    elif kind == "docx":
        from docx import Document

        texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data))["年度报告"]
        texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "".join(texts).count("2024年政府信息公开工作年度报告") == 1
    assert not any(
        t.strip() in ("淮安市人民政府", "2024年政府信息公开工作年度报告") for t in texts[2:]
    )


class HTMLText(HTMLParser):
    """The text pieces of an HTML fragment, one per element."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @classmethod
    def of(cls, markup: str) -> list[str]:
        parser = cls()
        parser.feed(markup)
        return parser.texts
