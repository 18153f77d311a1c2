"""Chinese messages for request validation errors (pydantic, through django-ninja).

ninja answers a request whose body, query or path does not fit the schema with 422 and
pydantic's English messages ("Field required"). :func:`validation_error_response`, registered
on the one :data:`xxgk.api.views.api` for ``ninja.errors.ValidationError``, answers for every
router instead::

    422 {"detail": "name：必填。；roles：应为列表。",
         "errors": [{"field": "name", "loc": ["body", "payload", "name"], "type": "missing",
                     "msg": "必填。"}, …]}

``detail`` is a string, like every other 422 of the API (Django ``ValidationError``s); the
per-field list is in ``errors``. A type without a translation gets a generic Chinese message
naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

# Where ninja puts a parameter: the first element of ``loc``.
_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def _ctx(error: dict[str, Any], key: str) -> str:
    value = (error.get("ctx") or {}).get(key, "")
    return str(value).replace(" or ", " 或 ")


def _value_error(error: dict[str, Any]) -> str:
    """A validator's own message (``raise ValueError("…")``), without pydantic's prefix."""
    text = str(error.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text if _has_chinese(text) else "取值无效。"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


Message = str | Callable[[dict[str, Any]], str]

MESSAGES: dict[str, Message] = {
    "missing": "必填。",
    "missing_argument": "必填。",
    "extra_forbidden": "不允许此字段。",
    "string_type": "应为文字。",
    "string_too_short": lambda e: (
        "不能为空。" if _ctx(e, "min_length") == "1" else f"至少{_ctx(e, 'min_length')}个字。"
    ),
    "string_too_long": lambda e: f"不能超过{_ctx(e, 'max_length')}个字。",
    "string_pattern_mismatch": "格式不正确。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "int_from_float": "应为整数，不能有小数。",
    "float_parsing": "应为数字。",
    "float_type": "应为数字。",
    "decimal_parsing": "应为数字。",
    "decimal_type": "应为数字。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "date_parsing": "日期格式应为 YYYY-MM-DD。",
    "date_type": "日期格式应为 YYYY-MM-DD。",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD。",
    "date_from_datetime_inexact": "应为日期，不含时间。",
    "datetime_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS。",
    "datetime_type": "时间格式应为 YYYY-MM-DDTHH:MM:SS。",
    "datetime_from_date_parsing": "时间格式应为 YYYY-MM-DDTHH:MM:SS。",
    "time_parsing": "时间格式应为 HH:MM。",
    "uuid_parsing": "格式不正确。",
    "url_parsing": "网址格式不正确。",
    "value_error": _value_error,
    "assertion_error": _value_error,
    "enum": lambda e: f"只能是 {_ctx(e, 'expected')}。",
    "literal_error": lambda e: f"只能是 {_ctx(e, 'expected')}。",
    "greater_than": lambda e: f"应大于 {_ctx(e, 'gt')}。",
    "greater_than_equal": lambda e: f"应不小于 {_ctx(e, 'ge')}。",
    "less_than": lambda e: f"应小于 {_ctx(e, 'lt')}。",
    "less_than_equal": lambda e: f"应不大于 {_ctx(e, 'le')}。",
    "multiple_of": lambda e: f"应为 {_ctx(e, 'multiple_of')} 的倍数。",
    "too_short": lambda e: f"至少{_ctx(e, 'min_length')}项。",
    "too_long": lambda e: f"不能超过{_ctx(e, 'max_length')}项。",
    "list_type": "应为列表。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "json_invalid": "请求正文不是有效的 JSON。",
    "json_type": "请求正文不是有效的 JSON。",
    "union_tag_invalid": "类型不正确。",
    "union_tag_not_found": "缺少类型字段。",
}


def field_path(loc: Sequence[Any]) -> str:
    """``["body", "payload", "applicant", "id_number"]`` → ``"applicant.id_number"``.

    The source (body, query …) and, in a body, the handler's parameter name are dropped; list
    positions are written ``[0]``. The whole body is ``"请求正文"``.
    """
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and len(parts) >= 1 and isinstance(parts[0], str):
            parts.pop(0)
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "请求正文"


def chinese_message(error: dict[str, Any]) -> str:
    """The Chinese message for one pydantic error (generic when its type is not known)."""
    message = MESSAGES.get(str(error.get("type", "")))
    if message is None:
        return "取值无效。"
    return message(error) if callable(message) else message


def chinese_errors(errors: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The 422 body for ninja's validation errors: ``detail`` (one string) and ``errors``."""
    items = []
    for error in errors:
        loc = list(error.get("loc") or [])
        items.append(
            {
                "field": field_path(loc),
                "loc": loc,
                "type": str(error.get("type", "")),
                "msg": chinese_message(error),
            }
        )
    detail = "；".join(f"{item['field']}：{item['msg']}" for item in items) or "请求格式不正确。"
    return {"detail": detail, "errors": items}


# ninja's own English ``HttpError`` messages; an area's HttpError with its own (Chinese)
# message passes through unchanged.
HTTP_MESSAGES = {
    "Cannot parse request body": "请求正文不是有效的 JSON。",
    "Unauthorized": "请先登录，或在 Authorization 头中提供有效的令牌。",
    "Forbidden": "没有权限。",
    "CSRF check Failed": "表单校验（CSRF）失败，请刷新页面后重试。",
}


def chinese_http_message(message: str) -> str:
    """ninja's English HTTP error text in Chinese; any other text as it is."""
    return HTTP_MESSAGES.get(message, message)
