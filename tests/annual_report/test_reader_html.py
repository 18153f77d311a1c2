"""HTML reader: the Shanghai report (HTML with rowspan/colspan inside a JavaScript string)."""

from __future__ import annotations

from tests.annual_report.samples import CORE_SAMPLES, differences
from xxgk.annual_report import FormatVersion, ReportReadError, Severity, check, read
from xxgk.annual_report.model import CellKey

SHANGHAI = CORE_SAMPLES["shanghai-gov-office-2019"]


def test_every_printed_cell_right() -> None:
    assert differences(read(SHANGHAI), "shanghai-gov-office-2019") == []


def test_identity() -> None:
    report = read(SHANGHAI)
    assert report.agency == "上海市人民政府办公厅"
    assert (report.year, report.version) == (2019, FormatVersion.V2019)
    assert report.media_type == "text/html; in-script"


def test_blank_cells_are_blank_and_flagged() -> None:
    report = read(SHANGHAI)
    total = report.cells[
        CellKey("三", "", ("三、本年度办理结果", "（一）予以公开"), ("申请人情况", "总计"))
    ]
    assert total.value is None
    findings = check(report)
    assert any(f.check == "C9" and f.severity is Severity.WARNING for f in findings)


def test_errors_the_readme_mentions_are_found() -> None:
    findings = check(read(SHANGHAI))
    errors = {(f.check, f.message) for f in findings if f.severity is Severity.ERROR}
    # 总计 column left blank while （七）总计 gives 805
    assert any(c == "C2" and "805" in m for c, m in errors)
    # narrative figures that disagree with the table
    assert any(c == "C7" and "258件" in m and "275" in m for c, m in errors)
    assert any(c == "C7" and "265件" in m and "337" in m for c, m in errors)
    # unit written inside the cell
    assert any(f.check == "C10" and "251000元" in f.message for f in findings)
    # no other kind of error: the rest of the numbers hold
    assert {c for c, _ in errors} == {"C2", "C7"}


def test_word_html_with_rowspans() -> None:
    html = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>
    <p class=MsoNormal>某某局2022年政府信息公开工作年度报告<o:p></o:p></p>
    <p>三、收到和处理政府信息公开申请情况</p>
    <table><tr><td rowspan=3 colspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
    <td colspan=7>申请人情况</td></tr>
    <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>
    <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
    <tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>2</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
    <tr><td rowspan=22>三、本年度办理结果</td><td colspan=2><p>（一）予以</p><p>公开</p></td>
    <td>2</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
    </table></body></html>"""
    report = read(html.encode("utf-8"), name="word.html")
    assert report.year == 2022 and report.agency == "某某局"
    key = CellKey("三", "", ("三、本年度办理结果", "（一）予以公开"), ("申请人情况", "总计"))
    assert report.cells[key].value == 3
    new = CellKey(
        "三",
        "",
        ("一、本年新收政府信息公开申请数量",),
        ("申请人情况", "法人或其他组织", "商业企业"),
    )
    assert report.cells[new].value == 1


def test_html_without_tables_is_not_a_report() -> None:
    page = "<html><body><p>2023年部门预算</p><p>一、收入预算</p></body></html>".encode()
    try:
        read(page, name="budget.html")
    except ReportReadError as exc:
        assert exc.code == "not_annual_report"
    else:  # pragma: no cover - the test must fail if nothing is raised
        raise AssertionError("no error raised")


def test_html_over_its_own_limit_is_refused_before_parsing() -> None:
    from xxgk.annual_report.readers import html

    data = b"<html><body>" + b"<p>x</p>" * (html.MAX_HTML_BYTES // 8) + b"</body></html>"
    try:
        html.read_raw(data, source="huge.html")
    except ReportReadError as exc:
        assert exc.code == "too_large"
    else:  # pragma: no cover
        raise AssertionError("no error raised")


def test_deeply_nested_html_does_not_exhaust_the_stack() -> None:
    from xxgk.annual_report.readers import html

    def nested(depth: int) -> bytes:
        return ("<div>" * depth + "某局2022年政府信息公开工作年度报告" + "</div>" * depth).encode()

    doc = html.read_raw(nested(1500), source="deep.html")
    assert any("年度报告" in getattr(b, "text", "") for b in doc.blocks)
    html.read_raw(nested(50000), source="deeper.html")  # beyond libxml2's limit: no crash


def test_a_full_site_page_with_navigation_noise() -> None:
    """The Shanghai report body placed in a CMS page: menus, breadcrumbs, scripts, footer."""
    from xxgk.annual_report.readers.html import _js_strings, _unescape_js

    script = SHANGHAI.read_text(encoding="utf-8")
    body = next(_unescape_js(s) for s in _js_strings(script) if "<table" in s)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title>
    <script>var menu = "<table><tr><td>一、本年新收政府信息公开申请数量</td></tr></table>";</script>
    <style>td {{ border: 1px solid }}</style></head><body>
    <div class="nav"><a href="/">首页</a> <a>政务公开</a> <a>政府信息公开年报</a></div>
    <div class="crumb">当前位置：首页 &gt; 政府信息公开年报</div>
    <div class="article">{body}</div>
    <div class="footer">主办单位：上海市人民政府办公厅 网站标识码 3100000001</div>
    </body></html>"""
    report = read(page.encode("utf-8"), name="page.html")
    assert report.agency == "上海市人民政府办公厅" and report.year == 2019
    assert differences(report, "shanghai-gov-office-2019") == []


def test_html_split_over_concatenated_script_strings() -> None:
    script = SHANGHAI.read_text(encoding="utf-8")
    cut = script.find("<tr", script.find("（四）无法提供"))
    split = script[:cut] + '" +\n    "' + script[cut:]
    assert (
        differences(read(split.encode("utf-8"), name="split.js"), "shanghai-gov-office-2019") == []
    )


def test_entity_escaped_html_in_a_json_feed() -> None:
    import html as stdlib_html
    import json

    from xxgk.annual_report.readers.html import _js_strings, _unescape_js

    script = SHANGHAI.read_text(encoding="utf-8")
    body = next(_unescape_js(s) for s in _js_strings(script) if "<table" in s)
    feed = json.dumps({"title": "年报", "content": stdlib_html.escape(body)}, ensure_ascii=False)
    report = read(feed.encode("utf-8"), name="feed.json")
    assert differences(report, "shanghai-gov-office-2019") == []
