"""The ledger (台账) columns: export order, import aliases, cell parsing.

Column set: replies-and-ledger.md §4.3 (recommended order, [INFERRED]) limited to what the
platform stores; aliases from §4.2 (the names seen in five systems). Cells are parsed with
Chinese messages so the import report can say what is wrong where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

__all__ = ["COLUMNS", "CellError", "Column", "normalise_header", "parse_date", "parse_int"]


class CellError(ValueError):
    """A cell that cannot be read (message in Chinese)."""


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    #: Derived columns are recomputed by the platform; an import reads them only to compare.
    derived: bool = False
    personal: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("number", "受理编号", ("申请编号", "流水号", "查询编号", "申请编码", "编码", "编号")),
    Column("received_on", "收到日期", ("收到申请日期", "接收日期", "受理日期", "收件日期")),
    Column("submitted_on", "申请日期", ("提交日期", "申请时间", "创建时间")),
    Column("channel", "申请方式", ("申请渠道", "渠道", "提交方式")),
    Column(
        "applicant", "申请人", ("申请人姓名", "申请人名称", "申请人姓名（名称）", "姓名", "名称")
    ),
    Column("applicant_kind", "申请人类型", ("申请人性质", "申请人类别")),
    Column("phone", "联系电话", ("联系方式", "电话", "手机"), personal=True),
    Column("address", "通信地址", ("联系地址", "地址", "通讯地址"), personal=True),
    Column("description", "申请内容", ("所需信息内容描述", "所需信息", "申请信息内容", "内容描述")),
    Column("status", "办理状态", ("状态", "处理状态")),
    Column("correction_requested_on", "补正告知日期", ("补正日期",)),
    Column("correction_received_on", "补正收到日期", ("收到补正日期",)),
    Column("consultation_kind", "征求意见类型"),
    Column("consultation_party", "征求意见对象", ("第三方", "被征求意见方")),
    Column("consultation_sent_on", "征求意见发出日期"),
    Column("consultation_received_on", "征求意见书送达日期"),
    Column("consultation_deadline", "征求意见截止日期"),
    Column("consultation_replied_on", "意见收到日期"),
    Column("extension_days", "延期工作日数", ("延期天数",)),
    Column("extension_approved_on", "延期批准日期"),
    Column("due", "答复期限", ("处理截止日期", "截止日期"), derived=True),
    Column("fee_basis", "收费方式"),
    Column("fee_units", "计费数量"),
    Column("fee_amount", "收费金额（元）", ("收费金额", "收费")),
    Column("fee_notice_on", "收费通知日期"),
    Column("fee_payment_deadline", "缴费期限"),
    Column("fee_paid_on", "缴费日期"),
    Column("decided_on", "答复日期", ("回复时间", "答复时间", "办结时间")),
    Column("letter_number", "文号", ("答复文号", "答复书文号")),
    Column("answer_type", "答复类型", ("处理结果", "办理结果", "答复结果")),
    Column("legal_basis", "法律依据", ("依据",)),
    Column("service_method", "送达方式"),
    Column("posted_on", "交邮日期"),
    Column("served_on", "送达日期"),
    Column("postal_tracking_number", "邮件号", ("快递单号", "挂号信号")),
    Column("overdue", "是否逾期", derived=True),
    Column("report_row", "年报行次（2021年格式）", ("年报行次",), derived=True),
    Column("carried_over", "是否结转下年", ("是否结转",), derived=True),
    Column("appeals", "复议诉讼", ("复议、诉讼", "复议/诉讼")),
    Column("withdrawn_on", "撤回日期"),
    Column("closed_on", "办结日期"),
    Column("note", "备注", ("标签",)),
)

BY_KEY = {c.key: c for c in COLUMNS}


def normalise_header(text: object) -> str:
    """Header cells compare without spaces, line breaks and ASCII/full-width differences."""
    s = str(text or "")
    s = s.replace("(", "（").replace(")", "）")
    return re.sub(r"\s+", "", s)


_HEADERS: dict[str, str] = {}
for _c in COLUMNS:
    for _name in (_c.header, *_c.aliases):
        _HEADERS.setdefault(normalise_header(_name), _c.key)


def column_for_header(header: object) -> str | None:
    """The column key a header names (its export name or a known alias), or None."""
    return _HEADERS.get(normalise_header(header))


_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: object) -> date | None:
    """An Excel date cell, ``2026-03-02``, ``2026/3/2``, ``2026.3.2``, ``2026年3月2日`` or
    ``20260302``; empty → None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", "", str(value))
    text = re.sub(r"(T|\s)?00:00(:00)?$", "", text)
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    raise CellError(f"日期“{value}”无法识别（示例：2026-03-02）")


def parse_int(value: object) -> int | None:
    """A whole, non-negative number; empty → None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float) and value.is_integer():
        n = int(value)
    else:
        text = str(value).strip().removesuffix("元").removesuffix("件").removesuffix("页")
        if not text.isdigit():
            raise CellError(f"“{value}”不是整数")
        n = int(text)
    if n < 0:
        raise CellError(f"“{value}”不能为负数")
    return n
