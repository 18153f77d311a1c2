"""The rows and columns of table 三 (收到和处理政府信息公开申请情况) in each format version.

Shared by the case engine (an outcome is one leaf row) and the annual-report engine (the
table's layout). Labels are the exact official texts (regulation.md §2.3), full-width
punctuation included. Row ids follow the official numbering: ``3.3.1`` is
``三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FormatVersion(StrEnum):
    """The statutory annual-report format."""

    V2019 = "2019"  # 国办公开办函〔2019〕60号, 格式（试行）: reports for 2019 and 2020
    V2021 = "2021"  # 国办公开办函〔2021〕30号: reports for 2021 on

    @property
    def official_title(self) -> str:
        if self is FormatVersion.V2019:
            return "中华人民共和国政府信息公开工作年度报告格式（试行）"
        return "中华人民共和国政府信息公开工作年度报告格式"


def format_version_for_year(year: int) -> FormatVersion:
    """The format a report for ``year`` must use (2019 试行 for 2019–2020, 2021 after)."""
    return FormatVersion.V2019 if year <= 2020 else FormatVersion.V2021


@dataclass(frozen=True, slots=True)
class TableRow:
    """One data row of table 三: its stable id and its label path, outermost first."""

    id: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.path[-1]


RESULTS = "三、本年度办理结果"

_COMMON_RESULT_ROWS: tuple[TableRow, ...] = (
    TableRow("3.1", (RESULTS, "（一）予以公开")),
    TableRow("3.2", (RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    TableRow("3.3.1", (RESULTS, "（三）不予公开", "1.属于国家秘密")),
    TableRow("3.3.2", (RESULTS, "（三）不予公开", "2.其他法律行政法规禁止公开")),
    TableRow("3.3.3", (RESULTS, "（三）不予公开", "3.危及“三安全一稳定”")),
    TableRow("3.3.4", (RESULTS, "（三）不予公开", "4.保护第三方合法权益")),
    TableRow("3.3.5", (RESULTS, "（三）不予公开", "5.属于三类内部事务信息")),
    TableRow("3.3.6", (RESULTS, "（三）不予公开", "6.属于四类过程性信息")),
    TableRow("3.3.7", (RESULTS, "（三）不予公开", "7.属于行政执法案卷")),
    TableRow("3.3.8", (RESULTS, "（三）不予公开", "8.属于行政查询事项")),
    TableRow("3.4.1", (RESULTS, "（四）无法提供", "1.本机关不掌握相关政府信息")),
    TableRow("3.4.2", (RESULTS, "（四）无法提供", "2.没有现成信息需要另行制作")),
    TableRow("3.4.3", (RESULTS, "（四）无法提供", "3.补正后申请内容仍不明确")),
    TableRow("3.5.1", (RESULTS, "（五）不予处理", "1.信访举报投诉类申请")),
    TableRow("3.5.2", (RESULTS, "（五）不予处理", "2.重复申请")),
    TableRow("3.5.3", (RESULTS, "（五）不予处理", "3.要求提供公开出版物")),
    TableRow("3.5.4", (RESULTS, "（五）不予处理", "4.无正当理由大量反复申请")),
    TableRow("3.5.5", (RESULTS, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息")),
)

_OTHER = "（六）其他处理"

#: The leaf outcome rows of table 三 (one application is counted in exactly one of them).
OUTCOME_ROWS: dict[FormatVersion, tuple[TableRow, ...]] = {
    FormatVersion.V2019: (*_COMMON_RESULT_ROWS, TableRow("3.6", (RESULTS, _OTHER))),
    FormatVersion.V2021: (
        *_COMMON_RESULT_ROWS,
        TableRow(
            "3.6.1",
            (RESULTS, _OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ),
        TableRow(
            "3.6.2",
            (
                RESULTS,
                _OTHER,
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ),
        ),
        TableRow("3.6.3", (RESULTS, _OTHER, "3.其他")),
    ),
}

ROW_NEW = TableRow("1", ("一、本年新收政府信息公开申请数量",))
ROW_CARRIED_IN = TableRow("2", ("二、上年结转政府信息公开申请数量",))
ROW_RESULTS_TOTAL = TableRow("3.7", (RESULTS, "（七）总计"))
ROW_CARRIED_OUT = TableRow("4", ("四、结转下年度继续办理",))


def table3_rows(version: FormatVersion) -> tuple[TableRow, ...]:
    """Every data row of table 三 in print order (2019: 23 rows, 2021: 25 rows)."""
    return (ROW_NEW, ROW_CARRIED_IN, *OUTCOME_ROWS[version], ROW_RESULTS_TOTAL, ROW_CARRIED_OUT)


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One numeric column of table 三: its stable id and label path, outermost first."""

    id: str
    path: tuple[str, ...]


_APPLICANTS = "申请人情况"
_ORGS = "法人或其他组织"

#: The seven numeric columns of table 三, identical in both versions (regulation.md §2.3.1).
APPLICANT_COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("natural_person", (_APPLICANTS, "自然人")),
    TableColumn("business", (_APPLICANTS, _ORGS, "商业企业")),
    TableColumn("research", (_APPLICANTS, _ORGS, "科研机构")),
    TableColumn("public_interest", (_APPLICANTS, _ORGS, "社会公益组织")),
    TableColumn("legal_services", (_APPLICANTS, _ORGS, "法律服务机构")),
    TableColumn("other_org", (_APPLICANTS, _ORGS, "其他")),
    TableColumn("total", (_APPLICANTS, "总计")),
)

TABLE3_FOOTNOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
