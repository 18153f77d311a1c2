"""Checks on a report: regulation.md §2.5 relations R1–R10 and §5.2 checks C1–C14.

Each finding has a stable id (the §5.2 number where there is one: C1 = R1, C2 = R2, C3 = R3,
C4 = R4, C7 = R9, C8 = R5; otherwise the §2.5 number R6–R8), a severity, a location and a
Chinese message. Sums treat a blank cell as 0 (and say so); a relation whose cells are all
blank or absent is not evaluated — C9 reports the blanks instead.

Not checkable from a published report: C12 / R10 (one application counted in two result
rows) needs the case records; R6 (本年增/减 against the previous year's item count) needs
last year's 2019-format table and is done only through ``previous``.

All checks are linear in the number of cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from xxgk.annual_report.formats import FORMATS, TABLE4, CellKind, Relation, label_key
from xxgk.annual_report.model import CellKey, Finding, Report, Severity
from xxgk.statute.outcomes import (
    APPLICANT_COLUMNS,
    RESULTS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_RESULTS_TOTAL,
    FormatVersion,
    format_version_for_year,
)

__all__ = ["CHECKS", "run_checks"]

Number = int | Decimal

#: Every check id with its severity range and a one-line description (for docs and the CLI).
CHECKS: dict[str, str] = {
    "C1": "R1 第一项加第二项之和等于第三项加第四项之和（每一列）",
    "C2": "R2 （七）总计等于各办理结果之和（每一列）",
    "C3": "R3 总计列等于六类申请人之和（每一行）",
    "C4": "R4 上年结转等于上一年报告的结转下年度继续办理",
    "C5": "格式版本与报告年度不符，或混用两种格式",
    "C6": "缺少或改名的部分、表、行，编号缺漏",
    "C7": "R9 正文数字与表格不一致（下级单位口径为提示）",
    "C8": "R5 第四部分各组总计等于维持、纠正、其他、尚未审结之和",
    "C9": "应填数字留空（空白不等于0）",
    "C10": "单位错误或单元格内含非数字文字",
    "C11": "2019年格式：处理决定数量疑似填成了事项数量",
    "C13": "统计期限说明缺失或年份不符",
    "C14": "2021年起第六部分未说明信息处理费收取情况",
    "R6": "2019年格式：上一年项目数量与上年报告的项目数量加增减不衔接",
    "R7": "2021年格式：现行有效件数与上年及本年增减不衔接（提示）",
    "R8": "计数为负数（本年增/减除外）",
    "READ.ambiguous_split": "粘连数字的拆分不唯一，所取数值待核对",
    "READ.unsplittable": "粘连数字无法拆分，该行未读取",
    "READ.needs_ocr": "扫描件或图片，需要 OCR",
    "READ.unreadable": "文件无法读取",
}

_T3_PATHS = {
    "new": ROW_NEW.path,
    "carried_in": ROW_CARRIED_IN.path,
    "results_total": ROW_RESULTS_TOTAL.path,
    "carried_out": ROW_CARRIED_OUT.path,
}
_TOTAL_COL = APPLICANT_COLUMNS[-1].path
_APPLICANT_COLS = tuple(c.path for c in APPLICANT_COLUMNS[:-1])


def run_checks(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding on ``report``: the reader's first, then each check's, in a stable order."""
    findings = list(report.findings)
    version = report.version
    findings.extend(_check_version(report))
    results = _result_rows(report)  # once: the checks below stay linear in the cells
    if version is not None:
        fmt = FORMATS[version]
        for relation in fmt.relations:
            findings.extend(_check_relation(report, relation, results))
        findings.extend(_check_missing(report))
        findings.extend(_check_blanks(report))
        findings.extend(_check_units(report))
        if version is FormatVersion.V2019:
            findings.extend(_check_item_count(report))
    findings.extend(_check_negative(report))
    findings.extend(_check_sections(report))
    findings.extend(_check_narrative(report, results))
    findings.extend(_check_appeal_outcomes(report))
    findings.extend(_check_document_figures(report))
    findings.extend(_check_period(report))
    findings.extend(_check_fees(report, results))
    if previous is not None:
        findings.extend(_check_previous(report, previous))
    return merge_repeats(findings)


#: More findings than this with the same id, severity and message become one finding.
MAX_SAME = 10


def merge_repeats(findings: list[Finding], keep: int = 3) -> list[Finding]:
    """Findings repeated more than :data:`MAX_SAME` times (same id, severity and message)
    become one, at the first one's place, with the count and the first ``keep`` places.

    A broken or repeated table must not bury the reader under a million identical lines.
    """
    groups: dict[tuple[str, Severity, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.check, finding.severity, finding.message), []).append(finding)
    out: list[Finding] = []
    for finding in findings:
        group = groups[(finding.check, finding.severity, finding.message)]
        if len(group) <= MAX_SAME:
            out.append(finding)
            continue
        if finding is not group[0]:
            continue
        places = "；".join(_place(f) for f in group[:keep])
        cells = tuple(k for f in group[:keep] for k in f.cells)
        out.append(
            replace(
                finding,
                message=f"{finding.message}（同类共{len(group)}处，前{keep}处：{places}）",
                cells=cells,
            )
        )
    return out


def _place(finding: Finding) -> str:
    parts = [finding.table, finding.row[-1] if finding.row else "", " / ".join(finding.column)]
    where = " ".join(p for p in parts if p)
    if finding.location is not None:
        where += f"（{finding.location.describe()}）"
    return where or "位置不明"


def _value(report: Report, key: CellKey) -> Number | None:
    cell = report.cells.get(key)
    return None if cell is None else cell.value


def _t3(row: tuple[str, ...], column: tuple[str, ...]) -> CellKey:
    return CellKey("三", "", row, column)


# -- C5 -------------------------------------------------------------------------------------
def _check_version(report: Report) -> Iterable[Finding]:
    if report.version is None or report.year is None:
        return
    expected = format_version_for_year(report.year)
    if expected is not report.version:
        yield Finding(
            "C5",
            Severity.ERROR,
            f"{report.year}年度报告应使用{expected.official_title}"
            f"（{expected.value}年版），实际使用了{report.version.value}年版表格",
        )


# -- relations (C1, C2, C3, C8) ---------------------------------------------------------------
def _check_relation(
    report: Report, relation: Relation, results: list[tuple[str, ...]]
) -> Iterable[Finding]:
    fmt = FORMATS[report.version or FormatVersion.V2021]
    table = fmt.table(relation.table)
    section = table.section
    if relation.along == "column":
        row_path = {r.id: r.path for r in table.rows}
        lhs_rows = [row_path[i] for i in relation.lhs]
        # R2 sums the result rows actually printed (a 2021 report may print the 2019 （六） row)
        rhs_rows = results if relation.id == "R2" else [row_path[i] for i in relation.rhs]
        for column in table.columns:
            yield from _compare(
                report,
                relation,
                [CellKey(section, table.caption, r, column.path) for r in lhs_rows],
                [CellKey(section, table.caption, r, column.path) for r in rhs_rows],
                column=column.path,
            )
    else:
        col_path = {c.id: c.path for c in table.columns}
        rows = [r.path for r in table.rows] if relation.table == "4" else _t3_rows(report)
        for row in rows:
            yield from _compare(
                report,
                relation,
                [CellKey(section, table.caption, row, col_path[i]) for i in relation.lhs],
                [CellKey(section, table.caption, row, col_path[i]) for i in relation.rhs],
                row=row,
            )


def _result_rows(report: Report) -> list[tuple[str, ...]]:
    seen: dict[tuple[str, ...], None] = {}
    for key in report.cells:
        if key.section == "三" and key.row[:1] == (RESULTS,) and key.row != ROW_RESULTS_TOTAL.path:
            seen[key.row] = None
    return list(seen)


def _t3_rows(report: Report) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(k.row for k in report.cells if k.section == "三"))


def _compare(
    report: Report,
    relation: Relation,
    lhs: list[CellKey],
    rhs: list[CellKey],
    *,
    row: tuple[str, ...] = (),
    column: tuple[str, ...] = (),
) -> Iterable[Finding]:
    left = [report.cells.get(k) for k in lhs]
    right = [report.cells.get(k) for k in rhs]
    present = [c for c in (*left, *right) if c is not None and c.value is not None]
    if not present:
        return
    if all(c is None or c.value is None for c in left):
        return  # the total itself is blank: C9 says so; nothing to compare against
    a = sum((c.value for c in left if c is not None and c.value is not None), start=0)
    b = sum((c.value for c in right if c is not None and c.value is not None), start=0)
    if a == b:
        return
    blanks = any(c is None or c.value is None for c in (*left, *right))
    note = "（含空白单元格，按0计）" if blanks else ""
    first = next((k for k, c in zip(lhs, left, strict=True) if c is not None), lhs[0])
    cell = report.cells.get(first)
    yield Finding(
        relation.check_id,
        Severity.ERROR,
        f"{relation.text}不成立：{_fmt(a)} ≠ {_fmt(b)}{note}",
        section=first.section,
        table=first.table,
        row=row or first.row,
        column=column or first.column,
        location=cell.location if cell else None,
        cells=tuple(lhs + rhs),
    )


def _fmt(n: Number) -> str:
    return str(n)


# -- C6 missing rows / cells ------------------------------------------------------------------
def _check_missing(report: Report) -> Iterable[Finding]:
    fmt = FORMATS[report.version or FormatVersion.V2021]
    for table in fmt.tables:
        missing_rows = []
        for row in table.rows:
            keys = [CellKey(table.section, table.caption, row.path, c.path) for c in table.columns]
            got = [k for k in keys if k in report.cells]
            variants = (
                any(
                    k.section == table.section
                    and k.table == table.caption
                    and k.row[: len(row.path)] == row.path
                    and len(k.row) > len(row.path)
                    for k in report.cells
                )
                if not got and table.section == "二"
                else False
            )
            if not got and not variants:
                if (
                    table.id == "3"
                    and row.path[:2] == (RESULTS, "（六）其他处理")
                    and _t3((RESULTS, "（六）其他处理"), _TOTAL_COL) in report.cells
                ):
                    continue  # flagged as mixed format (C5) by the assembler
                missing_rows.append(row)
            elif got and len(got) < len(keys):
                absent = [k.column[-1] for k in keys if k not in report.cells]
                yield Finding(
                    "C6",
                    Severity.WARNING,
                    f"缺少单元格：{'、'.join(absent)}",
                    section=table.section,
                    table=table.caption,
                    row=row.path,
                )
        if missing_rows and len(missing_rows) == len(table.rows):
            name = table.caption or f"第{table.section}部分表格"
            yield Finding(
                "C6",
                Severity.ERROR if table.section != "二" else Severity.WARNING,
                f"未读到{name}",
                section=table.section,
                table=table.caption,
            )
        else:
            for row in missing_rows:
                yield Finding(
                    "C6",
                    Severity.WARNING,
                    f"缺少“{row.label or '数据'}”行",
                    section=table.section,
                    table=table.caption,
                    row=row.path,
                )


# -- C9 blanks --------------------------------------------------------------------------------
def _check_blanks(report: Report) -> Iterable[Finding]:
    by_row: dict[tuple[str, str, tuple[str, ...]], list[CellKey]] = {}
    for key, cell in report.cells.items():
        if cell.value is None:
            by_row.setdefault((key.section, key.table, key.row), []).append(key)
    for (section, table, row), keys in by_row.items():
        first = report.cells[keys[0]]
        columns = "、".join(k.column[-1] for k in keys)
        yield Finding(
            "C9",
            Severity.WARNING,
            f"{len(keys)}个单元格留空（空白不等于0，没有发生应填0）：{columns}",
            section=section,
            table=table,
            row=row,
            location=first.location,
            cells=tuple(keys),
        )


# -- C10 units ----------------------------------------------------------------------------------
def _check_units(report: Report) -> Iterable[Finding]:
    fmt = FORMATS[report.version or FormatVersion.V2021]
    kinds = {
        (t.caption, c.path): c.kind for t in fmt.tables if t.section == "二" for c in t.columns
    }
    for key, cell in report.cells.items():
        if cell.unit is None:
            continue
        kind = kinds.get((key.table, key.column))
        official_unit = "万元" if key.column and "万元" in key.column[-1] else None
        if kind is CellKind.MONEY and official_unit and cell.unit != official_unit:
            severity, message = (
                Severity.ERROR,
                f"金额应以{official_unit}为单位，单元格写作“{cell.raw}”",
            )
        elif kind is CellKind.MONEY:
            severity, message = (
                Severity.WARNING,
                f"单元格内写了单位“{cell.raw}”，应在表头注明单位、单元格只填数字",
            )
        else:
            severity, message = Severity.ERROR, f"计数单元格内含单位文字“{cell.raw}”"
        yield Finding(
            "C10",
            severity,
            message,
            section=key.section,
            table=key.table,
            row=key.row,
            column=key.column,
            location=cell.location,
            cells=(key,),
        )
    for key, cell in report.cells.items():
        if (
            key.column
            and "万元" in key.column[-1]
            and isinstance(cell.value, Decimal)
            and cell.unit is None
            and cell.value >= 100000
        ):
            yield Finding(
                "C10",
                Severity.NOTICE,
                f"收费金额{cell.raw}万元（{cell.value / 10000}亿元）偏大，请核对是否误以元填报",
                section=key.section,
                table=key.table,
                row=key.row,
                column=key.column,
                location=cell.location,
                cells=(key,),
            )


# -- C11 ------------------------------------------------------------------------------------------
def _check_item_count(report: Report) -> Iterable[Finding]:
    """2019格式：处理决定数量 = 上一年项目数量 + 本年增/减 suggests the item count was entered."""
    rows: dict[tuple[str, tuple[str, ...]], dict[str, CellKey]] = {}
    for key in report.cells:
        if (
            key.section == "二"
            and key.column
            and key.column[-1]
            in {
                "上一年项目数量",
                "本年增/减",
                "处理决定数量",
            }
        ):
            rows.setdefault((key.table, key.row), {})[key.column[-1]] = key
    for (table, row), cols in rows.items():
        if len(cols) != 3:
            continue
        before = _value(report, cols["上一年项目数量"])
        change = _value(report, cols["本年增/减"])
        decisions = _value(report, cols["处理决定数量"])
        if before is None or change is None or decisions is None or not decisions:
            continue
        if before + change == decisions:
            cell = report.cells[cols["处理决定数量"]]
            yield Finding(
                "C11",
                Severity.WARNING,
                f"处理决定数量（{decisions}）恰好等于上一年项目数量加本年增/减"
                f"（{before}{change:+}），疑似填成了事项数量而不是处理决定的件数",
                section="二",
                table=table,
                row=row,
                column=("处理决定数量",),
                location=cell.location,
                cells=tuple(cols.values()),
            )


# -- R8 -------------------------------------------------------------------------------------------
def _check_negative(report: Report) -> Iterable[Finding]:
    for key, cell in report.cells.items():
        if cell.value is not None and cell.value < 0 and key.column[-1:] != ("本年增/减",):
            yield Finding(
                "R8",
                Severity.ERROR,
                f"计数不能为负数：{cell.raw}",
                section=key.section,
                table=key.table,
                row=key.row,
                column=key.column,
                location=cell.location,
                cells=(key,),
            )


# -- C6 sections and numbering ------------------------------------------------------------------
_SUBHEAD = re.compile(r"^[(（]([一二三四五六七八九十])[)）]")


def _check_sections(report: Report) -> Iterable[Finding]:
    for number in "一二三四五六":
        if number not in report.headings:
            yield Finding(
                "C6",
                Severity.WARNING,
                f"未找到第{number}部分的标题",
                section=number,
            )
    text = report.narrative.get("一", "")
    if not text:
        return
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    numbered = [line for line in lines if _SUBHEAD.match(line)]
    if numbered and "监督保障" in text and not any("监督保障" in line[:20] for line in numbered):
        yield Finding(
            "C6",
            Severity.NOTICE,
            "总体情况的“监督保障”部分没有编号（前面的小标题已编号）",
            section="一",
            location=report.where_said("监督保障", "一"),
        )


# -- C7 narrative vs tables ------------------------------------------------------------------------
_CLAUSE = re.compile(r"[^。；;！？\n]+")
_SUB_UNIT = ("本级", "下属", "所属", "部门", "单位", "乡镇", "街道", "社区", "村")
_OTHER_MATTERS = ("复议", "诉讼", "建议", "提案", "热线", "工单", "信访", "投诉", "咨询", "留言")

_RESULT_GROUP = {
    "予以公开": ("（一）予以公开",),
    "部分公开": ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）",),
    "予以公开及部分公开": (
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    "不予公开": ("（三）不予公开",),
    "无法提供": ("（四）无法提供",),
    "不予处理": ("（五）不予处理",),
    "其他处理": ("（六）其他处理",),
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:收到|受理|新收)[^，,。；\d]{0,16}?申请[^，,。；\d]{0,4}?(\d+)件"), "new"),
    (re.compile(r"(?:收到|受理|新收)[^，,。；\d]{0,4}?(\d+)件[^，,。；\d]{0,10}申请"), "new"),
    (re.compile(r"(?:答复|办结)[^，,。；\d]{0,14}?(\d+)件"), "results_total"),
    (re.compile(r"(?:上年度?|上一年度?)结转[^，,。；\d]{0,10}?(\d+)件"), "carried_in"),
    (re.compile(r"(\d+)件[^，,。；\d]{0,16}(?:结转下年度|顺延到下年度|转入下年度)"), "carried_out"),
    (re.compile(r"(?:结转下年度|顺延到下年度)[^，,。；\d]{0,8}?(\d+)件"), "carried_out"),
    (re.compile(r"(予以公开及部分公开|不予公开|无法提供|不予处理|其他处理)(\d+)件"), "group"),
    (re.compile(r"(?<![及和与])(予以公开|部分公开)(\d+)件"), "group"),
    (re.compile(r"行政复议(\d+)件"), "review"),
    (re.compile(r"(?:行政)?诉讼(\d+)件"), "suit"),
)


def _row_total(report: Report, row: tuple[str, ...]) -> Number | None:
    total = _value(report, _t3(row, _TOTAL_COL))
    if total is not None:
        return total
    parts = [_value(report, _t3(row, c)) for c in _APPLICANT_COLS]
    if all(p is None for p in parts):
        return None
    return sum((p for p in parts if p is not None), start=0)


def _group_total(
    report: Report, labels: tuple[str, ...], results: list[tuple[str, ...]]
) -> Number | None:
    rows = [r for r in results if len(r) > 1 and r[1] in labels]
    values = [_row_total(report, r) for r in rows]
    if not values or all(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), start=0)


def _table_figure(
    report: Report, what: str, group: str | None, results: list[tuple[str, ...]]
) -> tuple[Number | None, str]:
    if what in _T3_PATHS:
        names = {
            "new": "本年新收申请总计",
            "carried_in": "上年结转申请总计",
            "results_total": "办理结果（七）总计",
            "carried_out": "结转下年度继续办理总计",
        }
        return _row_total(report, _T3_PATHS[what]), names[what]
    if what == "group" and group is not None:
        return _group_total(report, _RESULT_GROUP[group], results), f"第三部分“{group}”合计"
    cols = {c.id: c.path for c in TABLE4.columns}
    if what == "review":
        return _value(report, CellKey("四", "", (), cols["review.total"])), "行政复议总计"
    direct = _value(report, CellKey("四", "", (), cols["suit_direct.total"]))
    after = _value(report, CellKey("四", "", (), cols["suit_after_review.total"]))
    if direct is None and after is None:
        return None, "行政诉讼总计"
    return (direct or 0) + (after or 0), "行政诉讼总计"


def _check_narrative(report: Report, results: list[tuple[str, ...]]) -> Iterable[Finding]:
    """R9：正文中的数字应与表格一致；说的是下级单位（本级、部门、乡镇、街道……）时只作提示。

    Application figures are compared only in sentences that speak of 申请, and not in a
    clause about something else (行政复议申请, 人大建议, 热线工单…).
    """
    for section in ("一", "三", "四", "preamble"):
        text = report.narrative.get(section, "")
        if not text:
            continue
        for clause_match in _CLAUSE.finditer(text):
            sentence = clause_match.group(0)
            # the paragraph (line) around the sentence speaks of applications
            line_start = text.rfind("\n", 0, clause_match.start()) + 1
            line_end = text.find("\n", clause_match.end())
            about_applications = "申请" in text[line_start : line_end if line_end >= 0 else None]
            seen: set[tuple[str, str | None]] = set()
            for pattern, what in _PATTERNS:
                if what not in ("review", "suit") and not about_applications:
                    continue
                for m in pattern.finditer(sentence):
                    group = m.group(1) if what == "group" else None
                    number = int(m.group(2) if what == "group" else m.group(1))
                    if (what, group) in seen:
                        continue
                    start = max(sentence.rfind(sep, 0, m.start()) for sep in "，,：:（(") + 1
                    clause = sentence[start : m.end()]
                    if what not in ("review", "suit") and any(w in clause for w in _OTHER_MATTERS):
                        continue
                    seen.add((what, group))
                    expected, name = _table_figure(report, what, group, results)
                    if expected is None or expected == number:
                        continue
                    sub_unit = any(word in clause[: m.start() - start] for word in _SUB_UNIT)
                    yield Finding(
                        "C7",
                        Severity.NOTICE if sub_unit else Severity.ERROR,
                        f"正文“{m.group(0)}”与表格中的{name}（{expected}）不一致"
                        + ("（所述可能是下级单位或部分口径）" if sub_unit else ""),
                        section=section if section != "preamble" else "",
                        location=report.where_said(m.group(0), section),
                    )


_DOCUMENT_FIGURES: tuple[tuple[re.Pattern[str], dict[FormatVersion, str]], ...] = (
    (
        re.compile(r"(?:制发|新制作|印发|出台)[^，,。；\d]{0,8}?(规章|(?:行政)?规范性文件)(\d+)件"),
        {FormatVersion.V2019: "本年新制作数量", FormatVersion.V2021: "本年制发件数"},
    ),
    (
        re.compile(r"现行有效[^，,。；\d]{0,6}?(规章|(?:行政)?规范性文件)(\d+)件"),
        {FormatVersion.V2021: "现行有效件数"},
    ),
)


def _check_document_figures(report: Report) -> Iterable[Finding]:
    """R9 for 第二十条第（一）项 (规章, 规范性文件): a notice — the narrative's scope varies."""
    if report.version is None:
        return
    caption = "第二十条第（一）项"
    for section in ("一", "二"):
        text = report.narrative.get(section, "")
        for pattern, columns in _DOCUMENT_FIGURES:
            column = columns.get(report.version)
            if column is None:
                continue
            for m in pattern.finditer(text):
                kind, number = m.group(1), int(m.group(2))
                row = (
                    "规章"
                    if kind == "规章"
                    else (
                        "行政规范性文件" if report.version is FormatVersion.V2021 else "规范性文件"
                    )
                )
                key = CellKey("二", caption, (row,), (column,))
                expected = _value(report, key)
                if expected is None or expected == number:
                    continue
                yield Finding(
                    "C7",
                    Severity.NOTICE,
                    f"正文“{m.group(0)}”与{caption}{row}的{column}（{expected}）不一致，请核对口径",
                    section=section,
                    table=caption,
                    row=(row,),
                    column=(column,),
                    location=report.where_said(m.group(0), section),
                    cells=(key,),
                )


_OUTCOME_FIGURE = re.compile(
    r"(行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结)(?:案件)?(\d+)件"
)
_OUTCOME_COLUMN = {
    "结果维持": "upheld",
    "结果纠正": "corrected",
    "其他结果": "other",
    "尚未审结": "pending",
}


def _check_appeal_outcomes(report: Report) -> Iterable[Finding]:
    """R9 for section 四: “行政复议351件，其中结果维持72件…” against the table's columns."""
    cols = {c.id: c.path for c in TABLE4.columns}
    for section in ("一", "四"):
        text = report.narrative.get(section, "")
        for sentence in re.split(r"[。\n]", text):
            group: str | None = None
            for m in _OUTCOME_FIGURE.finditer(sentence):
                word, number = m.group(1), int(m.group(2))
                if word in ("行政复议", "行政诉讼"):
                    group = word
                    continue
                if group is None:
                    continue
                outcome = _OUTCOME_COLUMN[word]
                if group == "行政复议":
                    keys = [CellKey("四", "", (), cols[f"review.{outcome}"])]
                else:
                    keys = [
                        CellKey("四", "", (), cols[f"suit_direct.{outcome}"]),
                        CellKey("四", "", (), cols[f"suit_after_review.{outcome}"]),
                    ]
                values = [_value(report, k) for k in keys]
                if all(v is None for v in values):
                    continue
                expected = sum((v for v in values if v is not None), start=0)
                if expected != number:
                    yield Finding(
                        "C7",
                        Severity.ERROR,
                        f"正文“{group}……{m.group(0)}”与第四部分表格（{expected}）不一致",
                        section=section,
                        location=report.where_said(m.group(0), section),
                        cells=tuple(keys),
                    )


# -- C13 ---------------------------------------------------------------------------------------
_PERIOD = re.compile(r"(\d{4})年\s*1\s*月\s*1\s*日")


def _check_period(report: Report) -> Iterable[Finding]:
    text = "\n".join(report.narrative.values())
    matches = list(_PERIOD.finditer(text))
    years = {int(m.group(1)) for m in matches}
    if not years:
        yield Finding(
            "C13",
            Severity.NOTICE,
            "未找到统计期限说明（如“自某年1月1日起至12月31日止”）",
            section="一",
        )
    elif report.year is not None and report.year not in years:
        said = matches[0].group(0)
        section = next((n for n, t, _ in report.paragraphs if said in t), "一")
        yield Finding(
            "C13",
            Severity.ERROR,
            f"统计期限写的是{'、'.join(str(y) for y in sorted(years))}年，报告年度为{report.year}年",
            section="" if section == "preamble" else section,
            location=report.where_said(said),
        )


# -- C14 ---------------------------------------------------------------------------------------
def _check_fees(report: Report, results: list[tuple[str, ...]]) -> Iterable[Finding]:
    if report.version is not FormatVersion.V2021:
        return
    text6 = report.narrative.get("六", "")
    all_text = "\n".join(report.narrative.values())
    unpaid_row = next(
        (r for r in results if len(r) > 2 and label_key(r[2]).startswith("2.申请人逾期未按收费")),
        None,
    )
    unpaid = _row_total(report, unpaid_row) if unpaid_row else None
    if unpaid and "收费" not in all_text and "处理费" not in all_text:
        yield Finding(
            "C14",
            Severity.WARNING,
            f"有{unpaid}件申请因逾期未缴费不再处理，但报告未说明信息处理费收取情况",
            section="六",
        )
    elif "处理费" not in text6:
        yield Finding(
            "C14",
            Severity.NOTICE,
            "第六部分未说明信息处理费的收取情况",
            section="六",
        )


def _check_item_counts_across_years(report: Report, previous: Report) -> Iterable[Finding]:
    """R6（2019年格式）：本年“上一年项目数量”应等于上年报告的上一年项目数量加本年增/减。"""
    for key, cell in report.cells.items():
        if key.section != "二" or key.column != ("上一年项目数量",) or cell.value is None:
            continue
        before = _value(previous, key)
        change = _value(previous, CellKey("二", key.table, key.row, ("本年增/减",)))
        if before is None or change is None:
            continue
        if before + change != cell.value:
            yield Finding(
                "R6",
                Severity.WARNING,
                f"上一年项目数量{cell.value}，按上年报告应为{before}{change:+}={before + change}",
                section="二",
                table=key.table,
                row=key.row,
                column=key.column,
                location=cell.location,
                cells=(key,),
            )


# -- C4, R7 with the previous year ---------------------------------------------------------------
def _same_agency(a: str | None, b: str | None) -> bool:
    """False only when both names are known and clearly differ (neither contains the other
    and they share fewer than half their characters)."""
    if not a or not b:
        return True
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    if a in b or b in a:
        return True
    pool = list(b)
    common = 0
    for ch in a:
        if ch in pool:
            pool.remove(ch)
            common += 1
    return common / max(len(a), len(b)) >= 0.5


def _previous_mismatch(report: Report, previous: Report) -> Finding | None:
    """Why ``previous`` cannot be the same agency's report for year N−1, or None."""
    if report.year is None or previous.year is None:
        return Finding(
            "C4",
            Severity.NOTICE,
            "无法确认所给上年报告的年度（"
            + ("本报告" if report.year is None else "上年报告")
            + "年度未识别），未做跨年度核对",
        )
    if previous.year != report.year - 1:
        return Finding(
            "C4",
            Severity.NOTICE,
            f"所给上年报告是{previous.year}年度，不是{report.year - 1}年度，未做跨年度核对",
        )
    if not _same_agency(report.agency, previous.agency):
        return Finding(
            "C4",
            Severity.WARNING,
            f"所给上年报告的机关是“{previous.agency}”，与本报告“{report.agency}”不同，"
            "未做跨年度核对",
        )
    return None


def _check_previous(report: Report, previous: Report) -> Iterable[Finding]:
    """条例第五十条：上年结转与上年报告的结转下年度衔接（C4），以及 R6、R7。

    Only when ``previous`` is the same agency's report for year N−1; otherwise one
    notice (or warning) says why the cross-year relations were not checked.
    """
    mismatch = _previous_mismatch(report, previous)
    if mismatch is not None:
        yield mismatch
        return
    for column in APPLICANT_COLUMNS:
        now = report.cells.get(_t3(ROW_CARRIED_IN.path, column.path))
        before = previous.cells.get(_t3(ROW_CARRIED_OUT.path, column.path))
        if now is None or before is None or now.value is None or before.value is None:
            continue
        if now.value != before.value:
            yield Finding(
                "C4",
                Severity.ERROR,
                f"上年结转{now.value}件，上一年报告结转下年度继续办理为{before.value}件",
                section="三",
                row=ROW_CARRIED_IN.path,
                column=column.path,
                location=now.location,
            )
    if report.version is FormatVersion.V2019 and previous.version is FormatVersion.V2019:
        yield from _check_item_counts_across_years(report, previous)
    if report.version is FormatVersion.V2021 and previous.version is FormatVersion.V2021:
        caption = "第二十条第（一）项"
        for row in ("规章", "行政规范性文件"):

            def get(r: Report, col: str, row: str = row) -> Number | None:
                return _value(r, CellKey("二", caption, (row,), (col,)))

            issued, repealed = get(report, "本年制发件数"), get(report, "本年废止件数")
            now_in_force, last = get(report, "现行有效件数"), get(previous, "现行有效件数")
            if None in (issued, repealed, now_in_force, last):
                continue
            assert issued is not None and repealed is not None and last is not None
            expected = last + issued - repealed
            if expected != now_in_force:
                yield Finding(
                    "R7",
                    Severity.NOTICE,
                    f"现行有效件数{now_in_force}，按上年{last}加制发{issued}减废止{repealed}"
                    f"应为{expected}（修改、到期失效可造成差异，请核对）",
                    section="二",
                    table=caption,
                    row=(row,),
                    column=("现行有效件数",),
                )
