"""PDF writer: the HTML layout printed by WeasyPrint on an A4 page, Chinese fonts embedded.

The page follows the DOCX writer (GB/T 9704 style: A4, margins 37/35/28/26 mm, ``— 1 —``
page numbers). Fonts: 仿宋_GB2312 / 仿宋 when the machine has them, otherwise Noto Serif CJK SC
(Debian ``fonts-noto-cjk``), always subset and embedded by WeasyPrint (``pdffonts`` shows
``emb yes``). Nothing is fetched: the document has no external resources and the URL fetcher
refuses every URL.
"""

from __future__ import annotations

from typing import Any, NoReturn

from xxgk.annual_report.model import Report
from xxgk.annual_report.writers.html import build_layout, render_body

__all__ = ["PRINT_CSS", "render"]

PRINT_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center { content: "— " counter(page) " —"; font-family: "FangSong", "仿宋",
    "Noto Serif CJK SC", serif; font-size: 14pt; } }
html { font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "Noto Serif CJK SC", serif;
  font-size: 16pt; line-height: 28.9pt; color: #000; }
body { margin: 0; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", serif;
  font-size: 22pt; line-height: 35pt; text-align: center; font-weight: bold;
  margin: 0 0 28.9pt; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt;
  font-weight: normal; text-indent: 2em; margin: 0; }
p { text-indent: 2em; margin: 0; text-align: justify; }
.table-wrap { margin: 6pt 0 14pt; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.35;
  font-family: "FangSong", "仿宋", "Noto Serif CJK SC", serif; }
caption { display: none; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
tbody.subtable { break-inside: avoid; page-break-inside: avoid; }
tbody.subtable tr:first-child { break-after: avoid; page-break-after: avoid; }
th, td { border: 0.75pt solid #000; padding: 3pt 4pt; vertical-align: middle; }
th { font-weight: normal; text-align: left; }
th[scope=col], th[scope=colgroup], th.corner, th.caption { text-align: center; }
td { text-align: center; }
.s3 td, .s3 thead th[scope=col] { width: 2.6em; }
.s4 td, .s4 thead th[scope=col] { width: 2em; }
"""


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"refusing to fetch {url!r}: the report has no external resources")


def render(report: Report) -> bytes:
    """The report as a PDF (A4, official layout, Chinese fonts embedded)."""
    from weasyprint import HTML

    html = render_body(build_layout(report), PRINT_CSS)
    data: bytes = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    return data
