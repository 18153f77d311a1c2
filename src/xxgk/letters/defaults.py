"""Built-in wording of every document (used unless the agency saved its own template).

Django-free. Written from the elements of replies-and-ledger.md §1.3–§1.6 (own words, no
legacy content of §1.8). The remedy clause is not part of any template: it is computed
(:mod:`xxgk.letters.remedy`) and always printed after the body of a reply.
"""

from __future__ import annotations

from dataclasses import dataclass

from xxgk.statute.taxonomies import AnswerType

__all__ = ["BuiltinTemplate", "builtin_template"]


@dataclass(frozen=True, slots=True)
class BuiltinTemplate:
    title: str
    body: str


_OPENING = (
    "{{收到日期}}，本机关收到你（单位）提出的政府信息公开申请（受理编号：{{受理编号}}），"
    "申请获取“{{申请内容}}”。{{补正说明}}"
)
_BASIS = "根据{{法律依据}}的规定，作出上述答复。"

_DECISIONS: dict[AnswerType, str] = {
    AnswerType.ALREADY_PUBLIC: "经审查，你申请获取的信息本机关已经主动公开，你可以通过以下方式、途径获取：{{提供的信息}}。",
    AnswerType.DISCLOSED: "经审查，你申请获取的信息属于可以公开的政府信息，本机关予以公开：{{提供的信息}}。",
    AnswerType.PARTIAL: "经审查，你申请获取的信息中含有不应当公开的内容，能够作区分处理。本机关向你提供可以公开的部分：{{提供的信息}}。对不予公开的部分说明理由如下：{{不予公开理由}}。",
    AnswerType.WITHHELD_STATE_SECRET: "经审查，你申请获取的信息属于依法确定为国家秘密的政府信息（{{不予公开理由}}），本机关决定不予公开。",
    AnswerType.WITHHELD_LAW: "经审查，你申请获取的信息属于法律、行政法规禁止公开的政府信息（{{不予公开理由}}），本机关决定不予公开。",
    AnswerType.WITHHELD_THREE_SAFETIES: "经审查，你申请获取的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定（{{不予公开理由}}），本机关决定不予公开。",
    AnswerType.WITHHELD_THIRD_PARTY: "经审查，你申请获取的信息涉及第三方的商业秘密或者个人隐私，公开会损害第三方合法权益（{{不予公开理由}}），本机关决定不予公开。",
    AnswerType.WITHHELD_INTERNAL: "经审查，你申请获取的信息属于本机关的内部事务信息（{{不予公开理由}}），本机关决定不予公开。",
    AnswerType.WITHHELD_PROCESS: "经审查，你申请获取的信息属于本机关在履行行政管理职能过程中形成的过程性信息（{{不予公开理由}}），本机关决定不予公开。",
    AnswerType.WITHHELD_ENFORCEMENT_FILE: "经审查，你申请获取的信息属于行政执法案卷信息（{{不予公开理由}}），本机关决定不予公开。",
    AnswerType.SPECIAL_PROCEDURE: "经审查，你申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定，请你依照有关规定办理：{{不予公开理由}}。",
    AnswerType.NOT_HELD: "经检索，本机关未制作或者获取你申请公开的信息，该政府信息不存在。",
    AnswerType.NOT_RESPONSIBLE: "经审查，你申请获取的信息不属于本机关负责公开，理由是：{{不予公开理由}}。负责公开该政府信息的行政机关及联系方式：{{负责机关}}。",
    AnswerType.NEEDS_CREATION: "经审查，本机关没有你所申请的现成信息，提供该信息需要对现有政府信息进行加工、分析，本机关不予提供。",
    AnswerType.UNCLEAR_AFTER_CORRECTION: "经审查，你补正后的申请内容仍不明确，本机关无法确定你所需要的政府信息，无法提供。",
    AnswerType.PETITION: "经审查，你以政府信息公开申请的形式提出信访、投诉、举报等事项，本机关不作为政府信息公开申请处理，你可以通过相应渠道提出。",
    AnswerType.REPEATED: "经审查，本机关已就你申请公开的相同政府信息作出答复（{{原答复}}），本机关不予重复处理。",
    AnswerType.PUBLICATION: "经审查，你申请获取的是政府公报、报刊、书籍等公开出版物，你可以通过以下途径获取：{{提供的信息}}。",
    AnswerType.MASS_UNREASONABLE: "经审查，你申请公开政府信息的数量、频次明显超过合理范围，你说明的理由不合理，本机关不予处理。",
    AnswerType.CONFIRM_OR_REISSUE: "经审查，你要求本机关确认或者重新出具你已经获取的信息，本机关不予处理。",
    AnswerType.CORRECTION_ABANDONED: "本机关已于{{补正告知日期}}告知你对申请作出补正，你无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    AnswerType.FEE_UNPAID: "本机关已向你发出信息处理费收费通知，你逾期未缴纳费用，本机关不再处理该政府信息公开申请。",
    AnswerType.OTHER: "经审查，{{提供的信息}}。",
}  # fmt: skip

_REPLY_TITLE = "政府信息公开申请答复书"
#: Answer types with no article of their own (确认或重新出具; 其他, e.g. withdrawal).
_NO_ANCHOR = frozenset({AnswerType.CONFIRM_OR_REISSUE, AnswerType.OTHER})

_NOTICES: dict[tuple[str, str], BuiltinTemplate] = {
    ("correction_notice", ""): BuiltinTemplate(
        "政府信息公开申请补正告知书",
        _OPENING.replace("{{补正说明}}", "")
        + "\n\n经审查，你的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，"
        "请你对下列事项一次性作出补正：\n\n{{补正事项}}\n\n"
        "请于{{补正期限}}前向本机关提交补正后的申请。答复期限自本机关收到补正的申请之日起计算。"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    ("extension_notice", ""): BuiltinTemplate(
        "政府信息公开申请延期答复告知书",
        _OPENING
        + "\n\n因{{延期理由}}，本机关不能在{{原答复期限}}前作出答复。经本机关政府信息公开工作机构负责人同意，"
        "根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，答复期限延长{{延期天数}}个工作日，"
        "本机关将于{{延期后期限}}前作出答复。",
    ),
    ("consultation_letter", "third_party"): BuiltinTemplate(
        "政府信息公开申请征求意见书",
        "本机关收到一份政府信息公开申请，所申请的信息为：{{征求意见事项}}。"
        "该信息公开可能损害你（单位）的合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，"
        "现书面征求你（单位）的意见。\n\n请自收到本征求意见书之日起15个工作日内（即{{征求意见期限}}前）"
        "提出是否同意公开的意见；不同意公开的，请说明理由。逾期未提出意见的，由本机关依照条例的规定决定是否公开。",
    ),
    ("consultation_letter", "agency"): BuiltinTemplate(
        "政府信息公开申请征求意见函",
        "本机关收到一份政府信息公开申请，所申请的信息为：{{征求意见事项}}。该信息由本机关与贵机关共同制作。"
        "根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见。\n\n"
        "请自收到本函之日起15个工作日内（即{{征求意见期限}}前）提出意见。逾期未提出意见的，视为同意公开。",
    ),
    ("fee_notice", ""): BuiltinTemplate(
        "政府信息公开信息处理费收费通知书",
        _OPENING
        + "\n\n根据《中华人民共和国政府信息公开条例》第四十二条和《政府信息公开信息处理费管理办法》"
        "（国办函〔2020〕109号）的规定，本机关决定对你的申请收取信息处理费：收费方式为{{收费方式}}，"
        "计费数量{{计费数量}}，金额{{收费金额}}元。\n\n请于{{缴费期限}}前缴纳。逾期未缴纳的，"
        "视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
}


def builtin_template(kind: str, variant: str = "") -> BuiltinTemplate:
    """The built-in title and body for a document kind and variant (answer type for replies;
    ``third_party``/``agency`` for consultation letters)."""
    if kind == "reply":
        answer = AnswerType(variant)
        decision = _DECISIONS[answer]
        if answer in _NO_ANCHOR:  # no article of the Regulation to cite (regulation.md §2.3)
            return BuiltinTemplate(_REPLY_TITLE, f"{_OPENING}\n\n{decision}")
        return BuiltinTemplate(_REPLY_TITLE, f"{_OPENING}\n\n{decision}\n\n{_BASIS}")
    if kind == "consultation_letter":
        return _NOTICES[(kind, variant or "third_party")]
    return _NOTICES[(kind, "")]
