"""The remedy clause (救济途径) of a reply, and the legacy wording that must never appear.

Django-free: the caller passes the agency's kind, its parent's name and its settings.
Sources: replies-and-ledger.md §1.5 and §1.8 (行政复议法 2023, 行政诉讼法 2017).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import date

from xxgk.statute.taxonomies import AnswerType

__all__ = [
    "LEGACY_PATTERNS",
    "LEGACY_PHRASES",
    "PRIOR_REVIEW_SINCE",
    "STATUTORY_PRIOR_REVIEW",
    "clause",
    "legacy_wording",
    "reconsideration_body",
]

#: 行政复议法（2023年修订）施行之日: from then on 第二十三条第一款第（四）项 applies.
PRIOR_REVIEW_SINCE = date(2024, 1, 1)

#: 行政复议法（2023年修订）第二十三条第一款第（四）项：申请政府信息公开，行政机关不予公开 —
#: 部分公开 and every 不予公开 type go to 行政复议 first. No setting can remove these; an agency
#: may only add types (``prior_review_types``).
STATUTORY_PRIOR_REVIEW: frozenset[str] = frozenset(
    {
        AnswerType.PARTIAL.value,
        AnswerType.WITHHELD_STATE_SECRET.value,
        AnswerType.WITHHELD_LAW.value,
        AnswerType.WITHHELD_THREE_SAFETIES.value,
        AnswerType.WITHHELD_THIRD_PARTY.value,
        AnswerType.WITHHELD_INTERNAL.value,
        AnswerType.WITHHELD_PROCESS.value,
        AnswerType.WITHHELD_ENFORCEMENT_FILE.value,
    }
)


def reconsideration_body(kind: str, parent_name: str | None, configured: str = "") -> str:
    """行政复议法第二十四条: which body reviews the agency's acts (the agency may set its own).

    * 县级以上地方人民政府工作部门 → 本级人民政府 (第二十四条第一款第（一）项);
    * 乡镇人民政府、县级以上地方人民政府 → 上一级人民政府 (第（二）项);
    * 街道办事处（派出机关）→ 设立它的人民政府 (第（三）项).

    The parent agency in the platform is taken for that government; without a parent the
    statutory description is printed (the agency should set the name, see the letter check).
    """
    if configured.strip():
        return configured.strip()
    if parent_name:
        return parent_name
    return {
        "department": "本级人民政府",
        "street_office": "设立本机关的人民政府",
        "township": "上一级人民政府",
        "government": "上一级人民政府",
    }.get(kind, "依法负责对本机关行政行为进行复议的行政复议机关")


def clause(
    answer_type: AnswerType | str,
    on: date,
    body: str,
    *,
    prior_review_types: Collection[str],
    court: str = "",
) -> str:
    """行政复议法第二十条、第二十三条，行政诉讼法第四十五条、第四十六条：the remedy clause.

    It always names the right, the body and the period (第二十条第三款: otherwise the 60 days
    do not start). From 2024-01-01 an answer of a type in :data:`STATUTORY_PRIOR_REVIEW`
    (不予公开 and 部分公开, 第二十三条第一款第（四）项 — always, whatever the settings) or in the
    agency's additional ``prior_review_types`` must first go to 行政复议, and the letter says
    so (第二十三条第二款); otherwise the applicant may choose reconsideration (60 days) or
    suing directly (6 months).
    """
    answer = AnswerType(answer_type)
    court_text = court.strip() or "人民法院"
    prior = STATUTORY_PRIOR_REVIEW | set(prior_review_types)
    if on >= PRIOR_REVIEW_SINCE and answer.value in prior:
        return (
            f"如对本答复不服，可以自收到本答复之日起六十日内向{body}申请行政复议；"
            f"对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{court_text}提起行政诉讼。"
            "根据《中华人民共和国行政复议法》第二十三条的规定，对本答复不服的，应当先申请行政复议。"
        )
    return (
        f"如对本答复不服，可以自收到本答复之日起六十日内向{body}申请行政复议，"
        f"或者自收到本答复之日起六个月内依法向{court_text}提起行政诉讼。"
    )


#: replies-and-ledger.md §1.8: content of pre-2019 / pre-2024 templates that must never be
#: printed (checked on every letter before it is issued).
LEGACY_PHRASES: dict[str, str] = {
    "15个工作日内予以答复": "答复期限已为20个工作日（条例第三十三条，2019年修订）",
    "十五个工作日内予以答复": "答复期限已为20个工作日（条例第三十三条，2019年修订）",
    "15个工作日内作出答复": "答复期限已为20个工作日（条例第三十三条，2019年修订）",
    "特殊需要": "“三需要”已于2019年取消（条例第二十七条）",
    "生产、生活、科研": "“三需要”已于2019年取消（条例第二十七条）",
    "非《条例》所指政府信息": "已不是单独的答复类型",
    "不属于《条例》所指": "已不是单独的答复类型",
    "条例》第八条": "旧条文序号（2019年已重新编号）",
    "上级主管部门或同级人民政府": "行政复议机关依行政复议法（2023年修订）第二十四条确定",
    "上级主管部门或者同级人民政府": "行政复议机关依行政复议法（2023年修订）第二十四条确定",
    "三个月内": "起诉期限已为六个月（行政诉讼法第四十六条）",
    "3个月内": "起诉期限已为六个月（行政诉讼法第四十六条）",
    "视为不同意公开": "第三方逾期不提意见的，由行政机关决定（条例第三十二条）",
    "到付": "不得以到付方式由申请人支付邮费（国办公开办函〔2016〕235号）",
}


_FIFTEEN_DAYS = "答复期限已为20个工作日（条例第三十三条，2019年修订）"
_BODY = "行政复议机关依行政复议法（2023年修订）第二十四条确定"
#: The same legacy content in its usual variants (digits or Chinese numerals, 予以/作出/no
#: verb, 或/或者/、, 同级/本级): matched on the text without spaces, NFKC-normalised.
LEGACY_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:15|十五)个?工作日(?:内|之内)[^。；;]{0,8}?答复"), _FIFTEEN_DAYS),
    (
        re.compile(r"上一?级(?:行政)?主管部门(?:或者?|和|、|/)(?:同级|本级)人民政府"),
        _BODY,
    ),
    (re.compile(r"(?:3|三)个月(?:内|之内)[^。；;]{0,12}?(?:起诉|诉讼)"), "起诉期限已为六个月（行政诉讼法第四十六条）"),
)  # fmt: skip


def legacy_wording(text: str) -> list[str]:
    """The legacy phrases found in a letter's text, each with why it is obsolete
    (replies-and-ledger.md §1.8): the listed phrases and their usual variants."""
    compact = unicodedata.normalize("NFKC", "".join(text.split()))
    found: dict[str, str] = {}
    for p, why in LEGACY_PHRASES.items():
        if unicodedata.normalize("NFKC", p) in compact:
            found.setdefault(p, why)
    for pattern, why in LEGACY_PATTERNS:
        for m in pattern.finditer(compact):
            if not any(m.group(0) in f or f in m.group(0) for f in found):
                found.setdefault(m.group(0), why)
    return [f"“{p}”：{why}" for p, why in found.items()]
