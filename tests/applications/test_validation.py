"""ID number, credit code, phone and file-type checks (plain tests, no database)."""

from __future__ import annotations

import pytest

from tests.applications.conftest import EXE, PDF, PNG, VALID_CREDIT, VALID_ID
from xxgk.applications import validation as v


def test_a_valid_resident_id_passes():
    assert v.resident_id_error(VALID_ID) is None
    assert v.resident_id_error(VALID_ID.lower()) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("11010519491231002", "18位"),
        ("1101051949123100X1", "18位"),
        ("110105194902300020", "出生日期不存在"),
        ("110105219901010020", "不合理"),
    ],
)
def test_bad_resident_ids_are_refused_with_a_reason(value, fragment):
    assert fragment in v.resident_id_error(value)


def test_every_wrong_check_digit_is_caught():
    good = VALID_ID[-1]
    for c in "0123456789X":
        if c != good:
            assert "校验位" in v.resident_id_error(VALID_ID[:17] + c)


def test_the_published_example_id_checks():
    """GB 11643 example 11010519491231002X."""
    assert v.resident_id_check_char("11010519491231002") == "X"


def test_credit_code_check_character():
    assert v.credit_code_error(VALID_CREDIT) is None
    wrong = VALID_CREDIT[:17] + ("0" if VALID_CREDIT[17] != "0" else "1")
    assert "校验位" in v.credit_code_error(wrong)
    assert "18位" in v.credit_code_error("91350100M000100Y")
    # a published code (国家市场监督管理总局的示例格式): 91110000100000000X? computed, not typed
    assert v.credit_code_error("9111000010000000" + "0" + "I") is not None


@pytest.mark.parametrize("phone", ["13800138000", "010-12345678", "0591-1234567", "(010)12345678"])
def test_phones_accepted(phone):
    assert v.phone_error(phone) is None


@pytest.mark.parametrize("phone", ["", "12345", "23800138000", "1380013800a", "010-123"])
def test_phones_refused(phone):
    assert "联系电话" in v.phone_error(phone)


def test_file_type_is_read_from_the_content():
    assert v.sniff_type(PDF) == "pdf"
    assert v.sniff_type(PNG) == "png"
    assert v.sniff_type(b"\xff\xd8\xff\xe0") == "jpeg"
    assert v.sniff_type(EXE) is None


def test_a_renamed_executable_is_refused():
    assert "不是PDF" in v.attachment_error("scan.pdf", len(EXE), EXE[:16])


def test_a_50mb_file_is_refused_by_size():
    message = v.attachment_error("big.pdf", 50 * 1024 * 1024, PDF[:16])
    assert "50.0MB" in message and "10MB" in message
