"""Safe letter templates: plain text with ``{{字段}}`` placeholders, nothing else.

Django-free. Agency administrators edit templates, so no template language is used (no
attribute access, no filters, no tags): a placeholder names one entry of :data:`FIELDS` and is
replaced by its text. Unknown placeholders and stray braces are refused when the template is
saved (:func:`template_errors`), so a rendering never fails and never runs code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["FIELDS", "render_text", "template_errors"]

#: Every placeholder a template may use, with what it holds.
FIELDS: dict[str, str] = {
    "申请人": "申请人姓名或名称",
    "受理编号": "受理编号",
    "收到日期": "收到申请之日（条例第三十一条），如2026年3月7日",
    "申请内容": "申请人描述的所需信息",
    "补正说明": "收到补正申请的说明句（无补正时为空）",
    "机关名称": "本机关名称",
    "提供的信息": "提供的信息或获取方式、途径",
    "不予公开理由": "不予公开（不予提供）的理由",
    "负责机关": "负责公开的行政机关名称及联系方式",
    "原答复": "重复申请所涉原申请的受理编号及其答复文号、日期",
    "补正事项": "需要补正的事项（逐项编号）",
    "补正告知日期": "补正告知日期",
    "补正期限": "补正截止日期",
    "延期天数": "延长的工作日数",
    "延期理由": "延期理由",
    "原答复期限": "延期前的答复期限",
    "延期后期限": "延期后的答复期限",
    "被征求意见方": "第三方或其他机关名称",
    "征求意见事项": "征求意见的信息及理由",
    "征求意见期限": "提出意见的截止日期",
    "收费方式": "按件计收或按量计收",
    "计费数量": "计费件数或页数",
    "收费金额": "收费金额（元）",
    "缴费期限": "缴费截止日期",
    "法律依据": "所引条款，如《中华人民共和国政府信息公开条例》第三十六条第（二）项",
}

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_MAX_LENGTH = 20_000


def template_errors(body: str) -> list[str]:
    """Why a template cannot be saved (empty list = it can): unknown placeholders, stray
    braces, excessive length. Messages are Chinese."""
    errors: list[str] = []
    if not body.strip():
        errors.append("模板正文不能为空。")
    if len(body) > _MAX_LENGTH:
        errors.append(f"模板正文过长（最多{_MAX_LENGTH}字）。")
    for name in _PLACEHOLDER.findall(body):
        if name not in FIELDS:
            errors.append(f"未知的字段：{{{{{name}}}}}。可用字段：{'、'.join(FIELDS)}。")
    rest = _PLACEHOLDER.sub("", body)
    if "{{" in rest or "}}" in rest:
        errors.append("模板中有不成对的花括号“{{”或“}}”。")
    return list(dict.fromkeys(errors))


#: Punctuation a template may put right after a placeholder (end of sentence or clause, a
#: closing bracket or quote): then the value's own trailing sentence punctuation is dropped.
_TEMPLATE_PUNCT = frozenset("。．.；;，,、！!？?：:）)”」』")
#: What is dropped from the end of a value in that case (not an ellipsis or a bracket).
_VALUE_PUNCT = "。．.；;，,、！!？?：:"


def render_text(body: str, values: Mapping[str, str]) -> str:
    """Replace each ``{{字段}}`` with its value (missing values become empty text).

    Values are inserted verbatim and never re-read as a template, so text typed by an
    applicant cannot inject placeholders. Where the template itself puts punctuation right
    after the placeholder (``{{提供的信息}}。``, ``（{{不予公开理由}}）``), trailing sentence
    punctuation of the value is dropped, so “…。” never prints “…。。” or “（…。）”."""

    def value(m: re.Match[str]) -> str:
        text = str(values.get(m.group(1), ""))
        following = body[m.end() : m.end() + 1]
        if following and following in _TEMPLATE_PUNCT:
            stripped = text.rstrip()
            if not stripped.endswith(("……", "...")):
                stripped = stripped.rstrip(_VALUE_PUNCT).rstrip()
            return stripped
        return text

    return _PLACEHOLDER.sub(value, body)
