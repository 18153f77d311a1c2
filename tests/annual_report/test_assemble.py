"""The assembler on hand-built raw documents: label variants, typos, spans, identity."""

from __future__ import annotations

import pytest

from xxgk.annual_report import FormatVersion, ReportReadError, Severity, assemble
from xxgk.annual_report.formats import label_key
from xxgk.annual_report.model import CellKey
from xxgk.annual_report.raw import Location, RawCell, RawDocument, RawParagraph, RawTable

HERE = Location(file="t")
TOTAL = ("申请人情况", "总计")


def _doc(*blocks: RawParagraph | RawTable) -> RawDocument:
    return RawDocument(blocks=list(blocks), source="t")


def _p(text: str) -> RawParagraph:
    return RawParagraph(text, HERE)


def _t(*rows: list[str]) -> RawTable:
    return RawTable(tuple(tuple(RawCell(c, HERE) for c in r) for r in rows), HERE)


def test_label_key_accepts_half_width_and_enumeration_commas() -> None:
    assert label_key("（一）予以公开") == label_key("(一)予以公开")
    assert label_key("1、申请人无正当理由") == label_key("1.申请人无正当理由")
    assert label_key("本年增／减") == label_key("本年增/减")
    assert label_key("总 计\n") == "总计"


def test_agency_on_the_line_above_the_title() -> None:
    report = assemble(
        _doc(
            _p("洪泽区人民政府"),
            _p("2023年政府信息公开工作年度报告"),
            _p("三、收到和处理政府信息公开申请情况"),
            _t(["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"]),
        )
    )
    assert (report.agency, report.year) == ("洪泽区人民政府", 2023)
    assert report.version is FormatVersion.V2021  # from the year: no version marker printed


def test_misprinted_row_label_is_matched_and_reported() -> None:
    report = assemble(
        _doc(
            _p("某区2023年政府信息公开工作年度报告"),
            _p("三、收到和处理政府信息公开申请情况"),
            _t(
                ["（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
                ["2.其他法律行政止公开", "2", "0", "0", "0", "0", "0", "2"],
            ),
        )
    )
    row = ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开")
    assert report.cells[CellKey("三", "", row, TOTAL)].value == 2
    [typo] = [f for f in report.findings if f.check == "C6"]
    assert typo.severity is Severity.WARNING and "行政止公开" in typo.message


def test_unrelated_text_is_not_forced_onto_a_row() -> None:
    report = assemble(
        _doc(
            _p("某区2023年政府信息公开工作年度报告"),
            _p("三、收到和处理政府信息公开申请情况"),
            _t(
                ["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"],
                ["2.完全无关的说明文字内容", "9", "9", "9", "9", "9", "9", "9"],
            ),
        )
    )
    assert all(k.row[-1] != "2.其他法律行政法规禁止公开" for k in report.cells)


def test_span_placeholders_before_values_are_dropped() -> None:
    report = assemble(
        _doc(
            _p("某区2023年政府信息公开工作年度报告"),
            _t(["一、本年新收政府信息公开申请数量", "", "", "5", "0", "0", "0", "0", "0", "5"]),
        )
    )
    assert report.cells[CellKey("三", "", ("一、本年新收政府信息公开申请数量",), TOTAL)].value == 5


def test_2019_other_row_in_a_2021_report_is_kept_and_flagged() -> None:
    report = assemble(
        _doc(
            _p("某区2023年政府信息公开工作年度报告"),
            _t(
                ["第二十条第（一）项"],
                ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                ["规章", "0", "0", "0"],
                ["（六）其他处理", "1", "0", "0", "0", "0", "0", "1"],
            ),
        )
    )
    other = CellKey("三", "", ("三、本年度办理结果", "（六）其他处理"), TOTAL)
    assert report.cells[other].value == 1
    assert any(f.check == "C5" and f.severity is Severity.ERROR for f in report.findings)


def test_a_blank_section_four_row_under_its_header_is_read_as_blanks() -> None:
    report = assemble(
        _doc(
            _p("某区2023年政府信息公开工作年度报告"),
            _p("四、政府信息公开行政复议、行政诉讼情况"),
            _t(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], [""] * 15),
        )
    )
    four = [c for k, c in report.cells.items() if k.section == "四"]
    assert len(four) == 15 and all(c.blank for c in four)


def test_a_document_without_report_tables_is_refused() -> None:
    with pytest.raises(ReportReadError) as info:
        assemble(_doc(_p("某局2023年部门决算"), _t(["项目", "金额"], ["收入", "100"])))
    assert info.value.code == "not_annual_report"


def test_a_scan_without_ocr_says_it_needs_ocr() -> None:
    raw = _doc()
    raw.notes.append(("READ.needs_ocr", "PDF没有文字层（扫描件），需要安装 OCR 组件", HERE))
    with pytest.raises(ReportReadError) as info:
        assemble(raw)
    assert info.value.code == "needs_ocr" and "OCR" in info.value.message


def test_a_menu_link_is_not_the_title() -> None:
    report = assemble(
        _doc(
            _p("首页 政务公开 政府信息公开年报"),
            _p("某市2021年政府信息公开工作年度报告"),
            _t(["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"]),
        )
    )
    assert (report.agency, report.year) == ("某市", 2021)


def test_a_menu_line_above_a_bare_title_is_not_the_agency() -> None:
    report = assemble(
        _doc(
            _p("政府信息公开年报"),
            _p("2021年政府信息公开工作年度报告"),
            _t(["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1"]),
        )
    )
    assert (report.agency, report.year) == (None, 2021)


def test_provincial_annotations_on_section_two_labels() -> None:
    report = assemble(
        _doc(
            _p("武汉市某局2020年政府信息公开工作年度报告"),
            _t(
                ["第二十条第（五）项"],
                [
                    "信息内容",
                    "上一年项目数量(指2019年事项数)",
                    "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)",
                    "处理决定数量(指2020年办件量)",
                ],
                ["其他对外管理服务事项(指行政许可以外的政务服务事项)", "12", "-8", "40"],
                ["其他主动公开文件", "3", "0", "3"],
            ),
        )
    )
    key = CellKey("二", "第二十条第（五）项", ("其他对外管理服务事项",), ("本年增/减",))
    assert report.cells[key].value == -8
    local = CellKey("二", "第二十条第（五）项", ("其他主动公开文件",), ("处理决定数量",))
    assert report.cells[local].value == 3  # a local row is kept (and noted, C6)
    assert any(f.check == "C6" and f.severity is Severity.NOTICE for f in report.findings)
