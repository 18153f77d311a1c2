"""Both statutory annual-report formats as data (regulation.md §2).

A :class:`ReportFormat` lists the sections, the sub-tables of sections 二, 三 and 四 with their
rows and columns (exact official labels, full-width punctuation), and the arithmetic
relations between cells. Table 三 is built from :mod:`xxgk.statute.outcomes`, which the case
engine shares, so its labels exist once.

Label paths run from the outermost header to the leaf: table 三 row
``("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密")``, column
``("申请人情况", "法人或其他组织", "商业企业")``; table 四 column
``("行政诉讼", "复议后起诉", "结果维持")``.

Local variant rows (the seed's 行政检查 / 行政确认 under 其他对外管理服务事项) are not part
of the format: the assembler keeps them as rows whose path extends an official row, so
``("其他对外管理服务事项", "行政检查")``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from xxgk.statute.outcomes import (
    APPLICANT_COLUMNS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_RESULTS_TOTAL,
    TABLE3_FOOTNOTE,
    FormatVersion,
    format_version_for_year,
    table3_rows,
)

__all__ = [
    "SECTION_HEADINGS",
    "CellKind",
    "Column",
    "FormatVersion",
    "Relation",
    "ReportFormat",
    "Row",
    "Table",
    "format_for",
    "format_version_for_year",
    "label_key",
]


class CellKind(StrEnum):
    """How a cell's text is typed (relation R8)."""

    COUNT = "count"  # integer ≥ 0
    SIGNED = "signed"  # 本年增/减: signed integer
    MONEY = "money"  # 采购总金额, 本年收费金额（单位：万元）: decimal ≥ 0


@dataclass(frozen=True, slots=True)
class Column:
    """One numeric column: stable id, official label path, cell kind."""

    id: str
    path: tuple[str, ...]
    kind: CellKind = CellKind.COUNT

    @property
    def label(self) -> str:
        return self.path[-1]


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: stable id and official label path (outermost first)."""

    id: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.path[-1]


@dataclass(frozen=True, slots=True)
class Table:
    """A table or sub-table of the report.

    ``section`` is ``"二"``, ``"三"`` or ``"四"``; ``caption`` is the 第二十条 caption for the
    sub-tables of section 二 (``"第二十条第（一）项"``) and ``""`` otherwise.
    """

    id: str
    section: str
    caption: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]

    def row(self, row_id: str) -> Row:
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    def column(self, column_id: str) -> Column:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)


@dataclass(frozen=True, slots=True)
class Relation:
    """An arithmetic relation between cells of one table (regulation.md §2.5).

    ``along == "column"``: for every column, the sum of rows ``lhs`` equals the sum of rows
    ``rhs``. ``along == "row"``: for every row, the sum of columns ``lhs`` equals the sum of
    columns ``rhs``. ``check_id`` is the id of the check (§5.2) that reports a breach.
    """

    id: str
    check_id: str
    table: str
    along: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    text: str


@dataclass(frozen=True, slots=True)
class ReportFormat:
    """One statutory format: its version, title, section headings, tables and relations."""

    version: FormatVersion
    title: str
    tables: tuple[Table, ...]
    relations: tuple[Relation, ...]

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)

    @property
    def section2_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.section == "二")


#: The six section headings, identical in both versions (regulation.md §2.1).
SECTION_HEADINGS: dict[str, str] = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}

#: A keyword each section heading must contain (accepts observed variants, §2.1).
SECTION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "一": ("总体情况",),
    "二": ("主动公开政府信息",),
    "三": ("收到和处理",),
    "四": ("行政复议",),
    "五": ("问题",),
    "六": ("其他需要报告",),
}

TABLE3_CORNER = TABLE3_FOOTNOTE
INFO_CONTENT = "信息内容"

_CAP = "第二十条第（{}）项"


def _s2(
    version: str, item: str, rows: list[tuple[str, str]], cols: list[tuple[str, str, CellKind]]
) -> Table:
    return Table(
        id=f"2.{item}",
        section="二",
        caption=_CAP.format(item),
        rows=tuple(Row(rid, (label,)) for rid, label in rows),
        columns=tuple(Column(cid, (label,), kind) for cid, label, kind in cols),
    )


C, S, M = CellKind.COUNT, CellKind.SIGNED, CellKind.MONEY

_ITEMS_2019 = [("previous_items", "上一年项目数量", C), ("change", "本年增/减", S)]

_S2_2019 = (
    _s2(
        "2019",
        "一",
        [("rules", "规章"), ("normative_documents", "规范性文件")],
        [
            ("new_made", "本年新制作数量", C),
            ("new_published", "本年新公开数量", C),
            ("published_total", "对外公开总数量", C),
        ],
    ),
    _s2(
        "2019",
        "五",
        [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
        [*_ITEMS_2019, ("decisions", "处理决定数量", C)],
    ),
    _s2(
        "2019",
        "六",
        [("penalty", "行政处罚"), ("coercion", "行政强制")],
        [*_ITEMS_2019, ("decisions", "处理决定数量", C)],
    ),
    _s2("2019", "八", [("fees", "行政事业性收费")], list(_ITEMS_2019)),
    _s2(
        "2019",
        "九",
        [("procurement", "政府集中采购")],
        [("procurement_items", "采购项目数量", C), ("procurement_amount", "采购总金额", M)],
    ),
)

_S2_2021 = (
    _s2(
        "2021",
        "一",
        [("rules", "规章"), ("normative_documents", "行政规范性文件")],
        [
            ("issued", "本年制发件数", C),
            ("repealed", "本年废止件数", C),
            ("in_force", "现行有效件数", C),
        ],
    ),
    _s2("2021", "五", [("licensing", "行政许可")], [("decisions", "本年处理决定数量", C)]),
    _s2(
        "2021",
        "六",
        [("penalty", "行政处罚"), ("coercion", "行政强制")],
        [("decisions", "本年处理决定数量", C)],
    ),
    _s2(
        "2021",
        "八",
        [("fees", "行政事业性收费")],
        [("fee_amount", "本年收费金额（单位：万元）", M)],
    ),
)


def _table3(version: FormatVersion) -> Table:
    return Table(
        id="3",
        section="三",
        caption="",
        rows=tuple(Row(r.id, r.path) for r in table3_rows(version)),
        columns=tuple(Column(c.id, c.path) for c in APPLICANT_COLUMNS),
    )


_REVIEW = "行政复议"
_SUIT = "行政诉讼"
_OUTCOMES4 = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
_GROUPS4 = (
    ("review", (_REVIEW,)),
    ("suit_direct", (_SUIT, "未经复议直接起诉")),
    ("suit_after_review", (_SUIT, "复议后起诉")),
)

TABLE4 = Table(
    id="4",
    section="四",
    caption="",
    rows=(Row("4", ()),),
    columns=tuple(
        Column(f"{gid}.{oid}", (*gpath, label))
        for gid, gpath in _GROUPS4
        for oid, label in _OUTCOMES4
    ),
)


def _relations(version: FormatVersion) -> tuple[Relation, ...]:
    leaves = tuple(r.id for r in table3_rows(version) if r.id.startswith("3.") and r.id != "3.7")
    applicants = tuple(c.id for c in APPLICANT_COLUMNS if c.id != "total")
    rels = [
        Relation(
            "R1",
            "C1",
            "3",
            "column",
            (ROW_NEW.id, ROW_CARRIED_IN.id),
            (ROW_RESULTS_TOTAL.id, ROW_CARRIED_OUT.id),
            "第一项加第二项之和，等于第三项加第四项之和",
        ),
        Relation(
            "R2",
            "C2",
            "3",
            "column",
            (ROW_RESULTS_TOTAL.id,),
            leaves,
            "（七）总计等于各办理结果之和",
        ),
        Relation("R3", "C3", "3", "row", ("total",), applicants, "总计等于各类申请人之和"),
    ]
    for gid, _ in _GROUPS4:
        rels.append(
            Relation(
                "R5",
                "C8",
                "4",
                "row",
                (f"{gid}.total",),
                tuple(f"{gid}.{oid}" for oid, _ in _OUTCOMES4[:4]),
                "总计等于结果维持、结果纠正、其他结果、尚未审结之和",
            )
        )
    return tuple(rels)


FORMATS: dict[FormatVersion, ReportFormat] = {
    FormatVersion.V2019: ReportFormat(
        FormatVersion.V2019,
        FormatVersion.V2019.official_title,
        (*_S2_2019, _table3(FormatVersion.V2019), TABLE4),
        _relations(FormatVersion.V2019),
    ),
    FormatVersion.V2021: ReportFormat(
        FormatVersion.V2021,
        FormatVersion.V2021.official_title,
        (*_S2_2021, _table3(FormatVersion.V2021), TABLE4),
        _relations(FormatVersion.V2021),
    ),
}


def format_for(version: FormatVersion) -> ReportFormat:
    """The statutory format of ``version`` (国办公开办函〔2019〕60号 or 〔2021〕30号)."""
    return FORMATS[version]


_SPACE = re.compile(r"\s+")
_ENUM = re.compile(r"^(\d{1,2})[、,，](?=\D)")


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A matching key for a printed label: NFKC (full/half-width alike), no whitespace.

    Official print uses full-width ``（一）``; many copies use ASCII ``(一)``. Both give the
    same key. ``、``/``，`` stay distinct; known variants are listed in :data:`LABEL_ALIASES`.
    """
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text)).replace("／", "/")
    # 1、申请人… / 1．属于… are the same row labels as 1.申请人… / 1.属于…
    return _ENUM.sub(r"\1.", text)


#: Printed variants accepted when reading (key of the variant → official label).
LABEL_ALIASES: dict[str, str] = {
    label_key(variant): official
    for variant, official in (
        (
            "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (
            "2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("（二）部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        ("本年收费金额", "本年收费金额（单位：万元）"),
        ("本年收费金额（万元）", "本年收费金额（单位：万元）"),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        ("总 计", "总计"),
    )
}

#: Labels that only the 2019 format prints, and only the 2021 format prints (§2.6).
VERSION_MARKERS: dict[FormatVersion, frozenset[str]] = {
    FormatVersion.V2019: frozenset(
        label_key(t)
        for t in (
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
            "上一年项目数量",
            "本年增/减",
            "第二十条第（九）项",
            "采购项目数量",
            "政府集中采购",
            "其他对外管理服务事项",
        )
    ),
    FormatVersion.V2021: frozenset(
        label_key(t)
        for t in (
            "本年制发件数",
            "本年废止件数",
            "现行有效件数",
            "本年处理决定数量",
            "本年收费金额（单位：万元）",
            "行政规范性文件",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        )
    ),
}

__all__ += ["FORMATS", "LABEL_ALIASES", "SECTION_KEYWORDS", "TABLE4", "VERSION_MARKERS"]
