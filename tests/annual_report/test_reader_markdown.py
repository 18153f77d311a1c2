"""Markdown tables as PDF/OCR converters write them (merged cells left empty)."""

from __future__ import annotations

from tests.annual_report.golden import load_golden
from tests.annual_report.samples import differences
from xxgk.annual_report import FormatVersion, read, sniff
from xxgk.annual_report.model import CellKey


def _markdown_of(name: str, title: str) -> str:
    """A Markdown rendering of a golden file, laid out like a converter's output."""
    cells = load_golden(name)
    lines = [f"# {title}", "", "## 一、总体情况", "", "本年度共收到政府信息公开申请81件。", ""]
    lines += ["## 二、主动公开政府信息情况", ""]
    captions = list(dict.fromkeys(t for (s, t, _r, _c) in cells if s == "二"))
    for caption in captions:
        rows = list(dict.fromkeys(r for (s, t, r, _c) in cells if s == "二" and t == caption))
        cols = list(dict.fromkeys(c for (s, t, _r, c) in cells if s == "二" and t == caption))
        lines += [f"| {caption} |" + " |" * len(cols), "|---" * (len(cols) + 1) + "|"]
        lines.append("| 信息内容 | " + " | ".join(cols) + " |")
        for row in rows:
            lines.append(
                f"| {row} | " + " | ".join(cells[("二", caption, row, c)] for c in cols) + " |"
            )
        lines.append("")
    lines += ["## 三、收到和处理政府信息公开申请情况", ""]
    lines += [
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | | | 申请人情况 | | | | | | |",
        "|---|---|---|---|---|---|---|---|---|---|",
        "| | | | 自然人 | 法人或其他组织 | | | | | 总计 |",
        "| | | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |",
    ]
    rows3 = list(dict.fromkeys(r for (s, _t, r, _c) in cells if s == "三"))
    cols3 = list(dict.fromkeys(c for (s, _t, _r, c) in cells if s == "三"))
    for row in rows3:
        path = row.split(" / ")
        labels = [*path, "", "", ""][:3] if len(path) > 1 else [path[0], "", ""]
        values = [cells[("三", "", row, c)] for c in cols3]
        lines.append("| " + " | ".join(labels + values) + " |")
    lines += ["", "## 四、政府信息公开行政复议、行政诉讼情况", ""]
    cols4 = [c for (s, _t, _r, c) in cells if s == "四"]
    lines += ["| 行政复议 | | | | | 行政诉讼 |" + " |" * 9, "|---" * 15 + "|"]
    lines.append("| " + " | ".join(c.split(" / ")[-1] for c in cols4) + " |")
    lines.append("| " + " | ".join(cells[("四", "", "", c)] for c in cols4) + " |")
    lines += [
        "",
        "## 五、存在的主要问题及改进情况",
        "",
        "无。",
        "",
        "## 六、其他需要报告的事项",
        "",
        "无。",
    ]
    return "\n".join(lines) + "\n"


def test_markdown_tables_read_like_any_other_input() -> None:
    doc = _markdown_of(
        "pingtan-zone-2023", "平潭综合实验区2023年度政府信息公开工作年度报告"
    ).encode()
    assert sniff(doc) == "markdown"
    report = read(doc, name="pingtan.md")
    assert report.version is FormatVersion.V2021 and report.year == 2023
    assert differences(report, "pingtan-zone-2023") == []


def test_escaped_bar_and_line_break_in_a_cell() -> None:
    doc = _markdown_of("seed-000_37d7ff8d3b3e8faf", "某街道2020年政府信息公开工作年度报告")
    doc = doc.replace("| 规章 |", "| 规<br>章 |", 1)
    report = read(doc.encode(), name="seed.md")
    key = CellKey("二", "第二十条第（一）项", ("规章",), ("本年新制作数量",))
    assert report.cells[key].value == 0
    assert report.cells[key].location is not None and report.cells[key].location.line is not None
