"""Input checks for applications: ID numbers, credit codes, phones, file types by content.

Plain functions (no Django), each returning ``None`` when the value is good or a Chinese
message saying what is wrong, so forms, the API and tests share one wording.
"""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_id(value: str) -> str:
    """Upper-case, no spaces (the form a 身份证号码 is compared and hashed in)."""
    return re.sub(r"\s+", "", value or "").upper()


def resident_id_error(value: str) -> str | None:
    """GB 11643-1999: 18 characters, a real birth date, and the ISO 7064 MOD 11-2 check digit."""
    v = normalise_id(value)
    if not re.fullmatch(r"\d{17}[\dX]", v):
        return "身份证号码应为18位（最后一位可以是X）。"
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "身份证号码中的出生日期不存在，请核对。"
    if born.year < 1890 or born > date.today():
        return "身份证号码中的出生日期不合理，请核对。"
    total = sum(int(c) * w for c, w in zip(v[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != v[17]:
        return "身份证号码校验位不正确，请核对。"
    return None


def resident_id_check_char(first17: str) -> str:
    """The check character of an 18-digit ID number whose first 17 digits are given."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def credit_code_error(value: str) -> str | None:
    """GB 32100-2015 统一社会信用代码: 18 characters of the code alphabet and the check character."""
    v = normalise_id(value)
    if len(v) != 18 or any(c not in _CREDIT_ALPHABET for c in v):
        return "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。"
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(v[:17], _CREDIT_WEIGHTS, strict=True))
    if _CREDIT_ALPHABET[(31 - total % 31) % 31] != v[17]:
        return "统一社会信用代码校验位不正确，请核对。"
    return None


def credit_code_check_char(first17: str) -> str:
    """The check character of a credit code whose first 17 characters are given."""
    total = sum(
        _CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def phone_error(value: str) -> str | None:
    """A mainland mobile number (11 digits) or a landline with its area code."""
    v = re.sub(r"[\s()（）]", "", value or "")
    if _MOBILE.fullmatch(v) or _LANDLINE.fullmatch(v):
        return None
    return "联系电话应为11位手机号码或带区号的固定电话（如 010-12345678）。"


# --- attachments -------------------------------------------------------------------------

#: Accepted file types, recognised by their first bytes (never by the file name).
FILE_TYPES = {
    "pdf": ("application/pdf", "PDF"),
    "jpeg": ("image/jpeg", "JPEG图片"),
    "png": ("image/png", "PNG图片"),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5


def sniff_type(head: bytes) -> str | None:
    """The file type from its magic bytes: ``"pdf"``, ``"jpeg"``, ``"png"`` or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def attachment_error(name: str, size: int, head: bytes) -> str | None:
    """Size and type by content: a renamed executable is refused whatever its extension."""
    if size > MAX_ATTACHMENT_BYTES:
        return (
            f"附件“{name}”为{size / 1024 / 1024:.1f}MB，超过单个文件"
            f"{MAX_ATTACHMENT_BYTES // 1024 // 1024}MB的上限。"
        )
    if size == 0:
        return f"附件“{name}”是空文件。"
    if sniff_type(head) is None:
        return f"附件“{name}”不是PDF、JPEG或PNG文件（按文件内容识别，与扩展名无关）。"
    return None
