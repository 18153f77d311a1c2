"""Bulk audit (audit.py): one file's result, the SVG summary, the written files."""

from __future__ import annotations

from pathlib import Path

from tests.annual_report.samples import CORE_SAMPLES, SEED
from xxgk.annual_report.audit import audit_file, run_audit

SHANGHAI = CORE_SAMPLES["shanghai-gov-office-2019"]


def test_one_file_result() -> None:
    result = audit_file(str(SEED), 50 * 1024 * 1024)
    assert result.ok and result.year == 2020 and result.version == "2019"
    assert result.figures == {"new": 3, "handled": 3}
    assert {f[0] for f in result.findings} >= {"C11"}
    assert len(result.cells) == 201


def test_an_unreadable_file_is_a_result_not_an_exception(tmp_path: Path) -> None:
    junk = tmp_path / "x.bin"
    junk.write_bytes(b"\x00\xff" * 100)
    result = audit_file(str(junk), 1024 * 1024)
    assert not result.ok and "二进制" in result.error


def test_summary_has_accessible_charts(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "b.js").write_bytes(SHANGHAI.read_bytes())
    (folder / ".hidden").write_bytes(b"ignored")
    status = run_audit(folder, tmp_path / "out", jobs=1, progress=False)
    assert status == 1  # Shanghai has error findings
    html = (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert html.count('role="img"') == 2 and html.count("<title id=") == 2
    assert "<caption>按检查项统计（图表的数据）</caption>" in html
    assert "东湖街道办事处" in html and "上海市人民政府办公厅" in html
    assert ".hidden" not in (tmp_path / "out" / "cells.csv").read_text(encoding="utf-8")


def test_a_clean_folder_exits_zero(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    assert run_audit(folder, tmp_path / "out", jobs=1, progress=False) == 0


def test_summary_fits_a_phone_speaks_chinese_and_keeps_blank_apart_from_zero(
    tmp_path: Path,
) -> None:
    import re

    from tests.annual_report.samples import SAMPLES_DIR

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    (folder / "blank.docx").write_bytes(
        (SAMPLES_DIR / "blank-template-2021-format.docx").read_bytes()
    )
    (folder / "junk.bin").write_bytes(b"\x00\xff" * 100)
    run_audit(folder, tmp_path / "out", jobs=1, progress=False)
    page = (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    # responsive charts: no fixed pixel width, a viewBox, width 100%
    svgs = re.findall(r"<svg[^>]*>", page)
    assert len(svgs) == 2
    assert all('width="100%"' in s and "viewBox=" in s and 'width="720"' not in s for s in svgs)
    # every table scrolls inside its own box
    assert page.count('<div class="scroll"') == page.count("<table>") == 2
    assert "overflow-x:auto" in page
    # the legend in Chinese
    assert all(f">{w}</text>" in page for w in ("错误", "警告", "提示"))
    assert not re.search(r">(error|warning|notice)</text>", page)
    # labels are whole (the longest check description is not cut)
    from xxgk.annual_report.checks import CHECKS

    labels = [
        "".join(re.findall(r">([^<]*)</tspan>", m))
        for m in re.findall(r"<text[^>]*>((?:<tspan[^>]*>[^<]*</tspan>)+)</text>", page)
    ]
    c6 = next(label for label in labels if label.startswith("C6"))
    assert CHECKS["C6"].replace(" ", "") in c6.replace(" ", "")
    # the blank template: no figure is 无数据, not a zero bar
    blank_row = next(r for r in page.split("<tr>") if r.startswith("<td>blank.docx</td>"))
    assert blank_row.count("<td>无数据</td>") == 2
    assert page.count(">无数据</text>") == 2
    # an unreadable file counts its READ.unreadable error in the per-report table
    junk_row = next(r for r in page.split("<tr>") if r.startswith("<td>junk.bin</td>"))
    cells = re.findall(r"<td>([^<]*)</td>", junk_row)
    assert cells[6] == "1"
    findings = (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8")
    assert findings.count("READ.unreadable") == 1
