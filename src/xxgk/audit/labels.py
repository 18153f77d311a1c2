"""Plain-Chinese names for audit actions and their details (the workspace's audit page).

Actions are recorded as codes (``auth.login_failed``); people read 登录失败. Every area
registers the names of the actions it records, normally in its ``AppConfig.ready()``::

    from xxgk.audit.labels import register_actions
    register_actions("appeal", "复议与诉讼", {
        "appeal.record": "登记复议或诉讼",
        "appeal.record_result": "登记复议或诉讼结果",
    })

Registering again replaces names (last one wins), so an area may refine the defaults below,
which name every action recorded in the code base when this was written (grep for
``audit.record(`` and ``_event(`` to find new ones). An action without a name is shown by
its code, so nothing is ever hidden. Detail keys get names the same way
(:func:`register_detail_names`); values are shown in words (lists joined with 、, role codes
as role names, ``{"old", "new"}`` as 原 → 新).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_AREAS: dict[str, str] = {}
_ACTIONS: dict[str, str] = {}
_DETAIL_NAMES: dict[str, str] = {}


def register_actions(area: str, area_label: str, actions: Mapping[str, str]) -> None:
    """Name an area (the part of the code before the dot) and the actions it records."""
    _AREAS[area] = area_label
    for code, label in actions.items():
        if not code.startswith(area + "."):
            raise ValueError(f"action {code!r} is not in area {area!r}")
        _ACTIONS[code] = label


def register_detail_names(names: Mapping[str, str]) -> None:
    """Name detail keys (``{"minutes": "锁定分钟数"}``)."""
    _DETAIL_NAMES.update(names)


def action_label(code: str) -> str:
    """The Chinese name of an action; its code when none is registered."""
    return _ACTIONS.get(code, code)


def area_label(code: str) -> str:
    """The Chinese name of an action's area (``auth.login`` → 登录与账户安全)."""
    area = code.split(".", 1)[0]
    return _AREAS.get(area, area)


def action_choices() -> list[tuple[str, Any]]:
    """Grouped choices for a filter: per area, "全部…" (value ``area.``) then each action."""
    groups: list[tuple[str, Any]] = []
    for area, label in sorted(_AREAS.items(), key=lambda item: _area_order(item[0])):
        actions = sorted(
            ((code, name) for code, name in _ACTIONS.items() if code.startswith(area + ".")),
            key=lambda item: item[0],
        )
        groups.append((label, [(f"{area}.", f"全部（{label}）"), *actions]))
    return groups


def _area_order(area: str) -> tuple[int, str]:
    order = list(_DEFAULT_AREAS)
    return (order.index(area) if area in order else len(order), area)


def actions_with_label(text: str) -> list[str]:
    """Codes whose name contains ``text`` (a filter typed in Chinese)."""
    text = text.strip()
    return sorted(code for code, label in _ACTIONS.items() if text and text in label)


def detail_items(details: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """An event's details as (name, value in words) pairs, in recorded order."""
    return [
        (_DETAIL_NAMES.get(key, key), _words(key, value)) for key, value in (details or {}).items()
    ]


def _words(key: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Mapping):
        if set(value) == {"old", "new"}:
            return f"{_words(key, value['old'])} → {_words(key, value['new'])}"
        return "；".join(f"{_DETAIL_NAMES.get(k, k)}：{_words(k, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_words(key, v) for v in value) if value else "（无）"
    if key in {"roles", "old", "new", "role"}:
        return _role_label(str(value))
    return str(value)


def _role_label(code: str) -> str:
    from xxgk.accounts.roles import Role

    return str(dict(Role.choices).get(code, code))


# --- the actions recorded in the code base (2026-11) -----------------------------------------

_DEFAULT_AREAS: dict[str, tuple[str, dict[str, str]]] = {
    "auth": (
        "登录与账户安全",
        {
            "auth.login": "登录",
            "auth.logout": "退出登录",
            "auth.login_failed": "登录失败",
            "auth.lockout": "账户被锁定",
            "auth.idle_logout": "超时自动退出",
            "auth.password_change": "修改密码",
            "auth.totp_enable": "启用动态口令",
            "auth.totp_disable": "关闭动态口令",
            "auth.totp_failed": "动态口令错误",
        },
    ),
    "user": (
        "工作人员",
        {
            "user.create": "新建账户",
            "user.set_roles": "修改角色",
            "user.reset_password": "重置密码",
            "user.unlock": "解除登录锁定",
            "user.activate": "启用账户",
            "user.deactivate": "停用账户",
        },
    ),
    "token": ("API 令牌", {"token.create": "创建 API 令牌", "token.revoke": "撤销 API 令牌"}),
    "agency": ("机关", {"agency.create": "新增机关", "agency.update": "修改机关信息"}),
    "demo": ("演示数据", {"demo.create": "创建演示机关和账户"}),
    "applicant": (
        "申请人",
        {
            "applicant.view_personal_data": "查看申请人个人信息",
            "applicant.update_register": "更新申请人登记信息",
        },
    ),
    "application": (
        "依申请公开",
        {
            "application.register": "登记申请",
            "application.submit_online": "网上提交申请",
            "application.confirm_receipt": "确认收到申请",
            "application.add_attachments": "添加申请材料",
            "application.issue_query_code": "发放查询码",
            "application.assign": "指定承办人",
            "application.transfer": "转交承办人",
            "application.recompute_clocks": "重新计算办理期限",
            "application.lock_year": "锁定年度数据",
            "application.set_signoff_chain": "设置审签流程",
            "application.set_correction_defaults": "设置补正默认期限",
            "application.request_correction": "告知补正",
            "application.receive_correction": "收到补正",
            "application.lapse_correction": "逾期未补正",
            "application.start_consultation": "征求意见",
            "application.consultation_reply": "征求意见结果",
            "application.grant_extension": "同意延期答复",
            "application.defer_answer": "确定延迟答复期限",
            "application.issue_fee_notice": "发出收费通知",
            "application.record_fee_payment": "登记缴费",
            "application.lapse_fee": "逾期未缴费",
            "application.withdraw": "申请人撤回申请",
            "application.record_decision": "登记拟办意见",
            "application.answer_on_the_spot": "当场答复",
            "application.submit_reply": "答复送审",
            "application.review_reply": "审核答复",
            "application.sign_reply": "签发答复",
            "application.record_delivery": "登记送达",
            "application.record_service_date": "登记妥投日期",
            "application.correct_reply": "更正答复",
        },
    ),
    "letters": (
        "答复文书",
        {
            "letters.draft": "起草文书",
            "letters.update": "修改文书",
            "letters.issue": "印发文书",
            "letters.void": "作废文书",
            "letters.template_save": "保存文书模板",
            "letters.template_reset": "恢复默认模板",
            "letters.settings_update": "修改文书设置",
            "letters.counter_advance": "调整文号流水号",
        },
    ),
    "ledger": ("台账", {"ledger.export": "导出台账", "ledger.import": "导入台账"}),
    "appeal": (
        "复议与诉讼",
        {"appeal.record": "登记复议或诉讼", "appeal.record_result": "登记复议或诉讼结果"},
    ),
}

for _area, (_label, _actions) in _DEFAULT_AREAS.items():
    register_actions(_area, _label, _actions)

register_detail_names(
    {
        "minutes": "分钟数",
        "roles": "角色",
        "old": "原值",
        "new": "新值",
        "changes": "修改内容",
        "on": "日期",
        "channel": "渠道",
        "field": "字段",
        "fields": "字段",
        "count": "数量",
        "reason": "原因",
        "name": "名称",
        "kind": "类型",
        "slug": "门户地址",
        "number": "编号",
        "year": "年度",
        "days": "天数",
        "comment": "意见",
        "approved": "同意",
        "method": "方式",
        "file": "文件",
        "rows": "行数",
        "before": "修改前",
        "after": "修改后",
        "deadline": "期限",
        "variant": "样式",
        "cases": "件数",
        "late": "逾期",
        "weekday_fallback": "按工作日推算（缺节假日数据）",
        "answer_due": "答复期限",
        "years": "年度",
        "application_id": "申请编号",
        "via": "方式",
        "answer_type": "答复类型",
        "stage": "环节",
        "repeat_applicant": "重复申请人",
        "attachments": "材料",
        "parent": "上级机关",
        "created": "新建",
        "regenerated": "重新生成",
        "scope": "范围",
        "personal_data": "含个人信息",
        "filed_on": "提起日期",
        "result": "结果",
        "decided_on": "决定日期",
        "format": "格式",
        "forced": "强制",
        "previous": "原值",
        "items": "事项",
        "period_days": "期限天数",
        "opinion": "意见",
        "amount": "金额",
        "basis": "依据",
        "articles": "条款",
        "confirmed_on": "确认日期",
        "note": "备注",
        "replaced": "替换",
        "status": "状态",
        "received_on": "收到日期",
        "missing_items": "缺少事项",
        "kinds": "类型",
        # agency.update field names
        "short_name": "简称",
        "office_name": "工作机构名称",
        "office_address": "办公地址",
        "office_postcode": "邮政编码",
        "office_hours": "办公时间",
        "office_phone": "咨询电话",
        "office_fax": "传真",
        "office_email": "电子邮箱",
        "office_website": "网站",
        "channels": "申请渠道",
    }
)
