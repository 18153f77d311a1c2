"""Model questions (no database): masking, overdue, channel mapping."""

from __future__ import annotations

from datetime import date

from xxgk.applications.models import (
    Applicant,
    Application,
    ChannelChoice,
    Status,
    mask_middle,
    mask_name,
)
from xxgk.statute.taxonomies import Channel, ReceiptRule


def test_masking():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧**"
    # the mask is capped: it does not reveal a long name's length
    assert mask_name("阿卜杜拉·买买提明·艾合买提") == "阿**"
    assert mask_name("") == ""
    assert mask_middle("110105194912310029", keep_start=3, keep_end=2) == "110" + "*" * 13 + "29"
    assert mask_middle("1234", keep_start=3, keep_end=2) == "****"
    person = Applicant(kind="natural_person", name="李四", phone="13800138000")
    assert person.masked_name == "李*" and person.masked_phone == "138******00"
    org = Applicant(kind="business", name="某某有限公司")
    assert org.masked_name == "某某有限公司"  # an organisation's name is not personal data
    assert org.list_name == "某某有限公司" and person.list_name == "李*"
    long = Applicant(kind="business", name="某某市某某区某某街道某某科技发展有限责任公司")
    assert long.list_name == "某某市某某区某某街道某…" and len(long.list_name) == 12
    assert str(Applicant(pk=7, name="李四")) == "申请人#7"  # audit labels carry no name


def test_overdue_needs_an_open_case_past_its_due_date():
    case = Application(status=Status.OPEN, effective_due=date(2026, 11, 2))
    assert case.is_overdue(date(2026, 11, 3))
    assert not case.is_overdue(date(2026, 11, 2))
    case.status = Status.CLOSED
    assert not case.is_overdue(date(2026, 11, 3))
    assert not Application(status=Status.PENDING).is_overdue(date(2026, 11, 3))


def test_every_channel_maps_to_the_statute_and_confirmation_rules():
    """条例第三十一条: which channels wait for a confirmation."""
    waits = {
        c
        for c in ChannelChoice
        if Application(channel=c).statute_channel.receipt_rule
        in (ReceiptRule.CONFIRMED, ReceiptRule.CONFIRMED_SAME_DAY)
    }
    assert waits == {
        ChannelChoice.POST_ORDINARY,
        ChannelChoice.FAX,
        ChannelChoice.EMAIL,
        ChannelChoice.ONLINE,
    }
    assert Application(channel="post_signed").statute_channel is Channel.POST_SIGNED
    assert Application(channel="fax").needs_confirmation
    assert not Application(channel="fax", confirmed_on=date(2026, 11, 2)).needs_confirmation
