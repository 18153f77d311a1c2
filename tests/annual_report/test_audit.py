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
