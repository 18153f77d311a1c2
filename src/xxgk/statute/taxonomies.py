"""The Regulation's vocabularies: channels, applicant types, answer types, agency kinds.

And the one mapping the annual report depends on: each answer type to its leaf row of table
三 (:data:`xxgk.statute.outcomes.OUTCOME_ROWS`) in each :class:`FormatVersion`, plus the
2021↔2019 row mapping. Mappings that are not written in any source are marked
``inferred=True`` (regulation.md §8 Q3, Q4) so the UI can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xxgk.statute.outcomes import OUTCOME_ROWS, FormatVersion

__all__ = [
    "AgencyKind",
    "AnswerType",
    "AnswerTypeInfo",
    "ApplicantType",
    "Channel",
    "ReceiptRule",
    "answer_row",
    "answer_type_info",
    "row_2019_to_2021",
    "row_2021_to_2019",
]


class ReceiptRule(StrEnum):
    """条例第三十一条：which event fixes the receipt date (收到申请之日)."""

    SUBMITTED = "提交之日"  # 第（一）项
    SIGNED = "签收之日"  # 第（二）项前段
    CONFIRMED_SAME_DAY = "收到当日与申请人确认之日"  # 第（二）项后段
    CONFIRMED = "双方确认之日"  # 第（三）项


class Channel(StrEnum):
    """Application channels (条例第二十八、二十九、三十一条; 国办公开办函〔2017〕19号).

    当面提交 and 邮政寄送 may never be refused; the others bind the agency once announced in
    its 指南.
    """

    IN_PERSON = "当面提交"
    ORAL = "口头提出"  # 条例第二十九条: written for the applicant by the 工作机构, on the spot
    POST_SIGNED = "邮寄（需签收）"
    POST_ORDINARY = "平常信函"
    ONLINE = "在线申请"
    EMAIL = "电子邮件"
    FAX = "传真"

    @property
    def receipt_rule(self) -> ReceiptRule:
        """条例第三十一条 applied to this channel."""
        return _RECEIPT_RULES[self]

    @property
    def basic(self) -> bool:
        """True for the two channels that may never be refused (国办公开办函〔2017〕19号)."""
        return self in (Channel.IN_PERSON, Channel.POST_SIGNED, Channel.POST_ORDINARY)


_RECEIPT_RULES = {
    Channel.IN_PERSON: ReceiptRule.SUBMITTED,
    Channel.ORAL: ReceiptRule.SUBMITTED,
    Channel.POST_SIGNED: ReceiptRule.SIGNED,
    Channel.POST_ORDINARY: ReceiptRule.CONFIRMED_SAME_DAY,
    Channel.ONLINE: ReceiptRule.CONFIRMED,
    Channel.EMAIL: ReceiptRule.CONFIRMED,
    Channel.FAX: ReceiptRule.CONFIRMED,
}


class ApplicantType(StrEnum):
    """条例第二十七条 applicants, as the columns of table 三 count them.

    Values are the column ids of :data:`xxgk.statute.outcomes.APPLICANT_COLUMNS`.
    """

    NATURAL_PERSON = "natural_person"
    BUSINESS = "business"
    RESEARCH = "research"
    PUBLIC_INTEREST = "public_interest"
    LEGAL_SERVICES = "legal_services"
    OTHER_ORG = "other_org"

    @property
    def label(self) -> str:
        return _APPLICANT_LABELS[self]

    @property
    def is_organisation(self) -> bool:
        return self is not ApplicantType.NATURAL_PERSON


_APPLICANT_LABELS = {
    ApplicantType.NATURAL_PERSON: "自然人",
    ApplicantType.BUSINESS: "商业企业",
    ApplicantType.RESEARCH: "科研机构",
    ApplicantType.PUBLIC_INTEREST: "社会公益组织",
    ApplicantType.LEGAL_SERVICES: "法律服务机构",
    ApplicantType.OTHER_ORG: "其他",
}


class AgencyKind(StrEnum):
    """Who reports, for the 条例第四十九条 deadlines."""

    DEPARTMENT = "县级以上人民政府部门"
    GOVERNMENT = "县级以上地方人民政府"
    OTHER = "其他（乡镇、街道等）"


class AnswerType(StrEnum):
    """How an application ends (条例第三十条、第三十五条至第三十九条、第四十二条)."""

    ALREADY_PUBLIC = "already_public"
    DISCLOSED = "disclosed"
    PARTIAL = "partial"
    WITHHELD_STATE_SECRET = "withheld_state_secret"
    WITHHELD_LAW = "withheld_law"
    WITHHELD_THREE_SAFETIES = "withheld_three_safeties"
    WITHHELD_THIRD_PARTY = "withheld_third_party"
    WITHHELD_INTERNAL = "withheld_internal"
    WITHHELD_PROCESS = "withheld_process"
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file"
    SPECIAL_PROCEDURE = "special_procedure"
    NOT_HELD = "not_held"
    NOT_RESPONSIBLE = "not_responsible"
    NEEDS_CREATION = "needs_creation"
    UNCLEAR_AFTER_CORRECTION = "unclear_after_correction"
    PETITION = "petition"
    REPEATED = "repeated"
    PUBLICATION = "publication"
    MASS_UNREASONABLE = "mass_unreasonable"
    CONFIRM_OR_REISSUE = "confirm_or_reissue"
    CORRECTION_ABANDONED = "correction_abandoned"
    FEE_UNPAID = "fee_unpaid"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class AnswerTypeInfo:
    """An answer type: its label, article, row in table 三 and whether that row is inferred."""

    type: AnswerType
    label: str
    article: str
    row_2021: str
    row_2019: str
    inferred: bool = False


_ANSWERS: tuple[AnswerTypeInfo, ...] = (
    AnswerTypeInfo(AnswerType.ALREADY_PUBLIC, "已主动公开，告知获取方式、途径", "条例第三十六条第（一）项", "3.1", "3.1", inferred=True),
    AnswerTypeInfo(AnswerType.DISCLOSED, "予以公开", "条例第三十六条第（二）项", "3.1", "3.1"),
    AnswerTypeInfo(AnswerType.PARTIAL, "部分公开（区分处理）", "条例第三十七条", "3.2", "3.2"),
    AnswerTypeInfo(AnswerType.WITHHELD_STATE_SECRET, "不予公开：属于国家秘密", "条例第三十六条第（三）项、第十四条", "3.3.1", "3.3.1"),
    AnswerTypeInfo(AnswerType.WITHHELD_LAW, "不予公开：其他法律行政法规禁止公开", "条例第三十六条第（三）项、第十四条", "3.3.2", "3.3.2"),
    AnswerTypeInfo(AnswerType.WITHHELD_THREE_SAFETIES, "不予公开：危及“三安全一稳定”", "条例第三十六条第（三）项、第十四条", "3.3.3", "3.3.3"),
    AnswerTypeInfo(AnswerType.WITHHELD_THIRD_PARTY, "不予公开：保护第三方合法权益", "条例第三十六条第（三）项、第十五条、第三十二条", "3.3.4", "3.3.4"),
    AnswerTypeInfo(AnswerType.WITHHELD_INTERNAL, "不予公开：属于三类内部事务信息", "条例第三十六条第（三）项、第十六条第一款", "3.3.5", "3.3.5"),
    AnswerTypeInfo(AnswerType.WITHHELD_PROCESS, "不予公开：属于四类过程性信息", "条例第三十六条第（三）项、第十六条第二款", "3.3.6", "3.3.6"),
    AnswerTypeInfo(AnswerType.WITHHELD_ENFORCEMENT_FILE, "不予公开：属于行政执法案卷", "条例第三十六条第（三）项、第十六条第二款", "3.3.7", "3.3.7"),
    AnswerTypeInfo(AnswerType.SPECIAL_PROCEDURE, "属于工商、不动产登记资料等，依特别规定办理（行政查询事项）", "条例第三十六条第（七）项", "3.3.8", "3.3.8", inferred=True),
    AnswerTypeInfo(AnswerType.NOT_HELD, "经检索没有所申请公开信息（本机关不掌握）", "条例第三十六条第（四）项", "3.4.1", "3.4.1"),
    AnswerTypeInfo(AnswerType.NOT_RESPONSIBLE, "不属于本机关负责公开", "条例第三十六条第（五）项", "3.4.1", "3.4.1", inferred=True),
    AnswerTypeInfo(AnswerType.NEEDS_CREATION, "没有现成信息需要另行制作", "条例第三十八条", "3.4.2", "3.4.2"),
    AnswerTypeInfo(AnswerType.UNCLEAR_AFTER_CORRECTION, "补正后申请内容仍不明确", "条例第三十条", "3.4.3", "3.4.3"),
    AnswerTypeInfo(AnswerType.PETITION, "信访举报投诉类申请，不作为政府信息公开申请处理", "条例第三十九条第一款", "3.5.1", "3.5.1"),
    AnswerTypeInfo(AnswerType.REPEATED, "重复申请，不予重复处理", "条例第三十六条第（六）项", "3.5.2", "3.5.2"),
    AnswerTypeInfo(AnswerType.PUBLICATION, "要求提供公开出版物，告知获取途径", "条例第三十九条第二款", "3.5.3", "3.5.3"),
    AnswerTypeInfo(AnswerType.MASS_UNREASONABLE, "无正当理由大量反复申请，不予处理", "条例第三十五条", "3.5.4", "3.5.4"),
    AnswerTypeInfo(AnswerType.CONFIRM_OR_REISSUE, "要求行政机关确认或重新出具已获取信息", "年度报告格式（三）（五）5", "3.5.5", "3.5.5", inferred=True),
    AnswerTypeInfo(AnswerType.CORRECTION_ABANDONED, "无正当理由逾期不补正，视为放弃申请", "条例第三十条", "3.6.1", "3.6"),
    AnswerTypeInfo(AnswerType.FEE_UNPAID, "逾期未缴纳信息处理费，不再处理", "条例第四十二条；国办函〔2020〕109号", "3.6.2", "3.6"),
    AnswerTypeInfo(AnswerType.OTHER, "其他处理（如申请人撤回申请）", "—", "3.6.3", "3.6"),
)  # fmt: skip

_BY_TYPE = {info.type: info for info in _ANSWERS}


def answer_type_info(answer: AnswerType) -> AnswerTypeInfo:
    """Label, article and report rows of one answer type."""
    return _BY_TYPE[answer]


def answer_row(answer: AnswerType, version: FormatVersion) -> str:
    """The id of the leaf row of table 三 where an application with this answer is counted."""
    info = _BY_TYPE[answer]
    return info.row_2021 if version is FormatVersion.V2021 else info.row_2019


_ROWS_2019 = frozenset(r.id for r in OUTCOME_ROWS[FormatVersion.V2019])
_ROWS_2021 = frozenset(r.id for r in OUTCOME_ROWS[FormatVersion.V2021])


def row_2021_to_2019(row_id: str) -> str:
    """A 2021 outcome row in the 2019 format: ``3.6.1``/``3.6.2``/``3.6.3`` fold into ``3.6``."""
    if row_id not in _ROWS_2021:
        raise KeyError(f"{row_id} 不是2021年格式表三的办理结果行")
    return "3.6" if row_id.startswith("3.6.") else row_id


def row_2019_to_2021(row_id: str) -> tuple[str, ...]:
    """The 2021 rows a 2019 outcome row may correspond to (``3.6`` splits into three)."""
    if row_id not in _ROWS_2019:
        raise KeyError(f"{row_id} 不是2019年格式表三的办理结果行")
    return tuple(r for r in sorted(_ROWS_2021) if row_2021_to_2019(r) == row_id)
