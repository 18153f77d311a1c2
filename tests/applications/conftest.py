"""Fixtures for the applications tests: the shared cast with every channel open.

No Django import at module level: this file may load before Django is set up.
"""

from __future__ import annotations

import pytest

from xxgk.applications.validation import credit_code_check_char, resident_id_check_char

ID17 = "11010519491231002"
VALID_ID = ID17 + resident_id_check_char(ID17)
CREDIT17 = "91350100M000100Y4"
VALID_CREDIT = CREDIT17 + credit_code_check_char(CREDIT17)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def person(**over):
    from xxgk.applications.operations import ApplicantData

    data = {
        "kind": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800138000",
        "email": "zhang@example.com",
        "address": "测试区一号路2号",
        "postcode": "100000",
    }
    data.update(over)
    return ApplicantData(**data)


def organisation(**over):
    from xxgk.applications.operations import ApplicantData

    data = {
        "kind": "business",
        "name": "测试科技有限公司",
        "id_type": "credit_code",
        "id_number": VALID_CREDIT,
        "phone": "010-12345678",
        "address": "测试区二号路3号",
        "legal_representative": "李四",
        "contact_name": "王五",
    }
    data.update(over)
    return ApplicantData(**data)


@pytest.fixture
def cast(cast):
    """The shared cast, every agency accepting every channel (条例第二十八条: announced)."""
    for key in ("district", "subordinate", "unrelated"):
        agency = cast.agency(key)
        agency.channels = ["in_person", "post", "fax", "online", "email"]
        agency.save()
    return cast


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
