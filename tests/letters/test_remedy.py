"""Plain tests: the remedy clause (replies-and-ledger.md §1.5) and legacy wording (§1.8)."""

from __future__ import annotations

from datetime import date

import pytest

from xxgk.letters.defaults import builtin_template
from xxgk.letters.models import DEFAULT_PRIOR_REVIEW_TYPES
from xxgk.letters.remedy import LEGACY_PHRASES, clause, legacy_wording, reconsideration_body
from xxgk.statute.taxonomies import AnswerType

PRIOR = DEFAULT_PRIOR_REVIEW_TYPES
BEFORE, AFTER = date(2023, 12, 29), date(2024, 1, 2)


def test_a_refusal_after_2024_goes_to_reconsideration_first():
    """行政复议法第二十三条第一款第（四）项、第二款: the letter must say so."""
    text = clause("withheld_process", AFTER, "测试区人民政府", prior_review_types=PRIOR)
    assert "六十日内向测试区人民政府申请行政复议" in text
    assert "应当先申请行政复议" in text
    assert "自收到行政复议决定书之日起十五日内" in text
    assert "六个月" not in text


def test_a_refusal_before_2024_may_go_to_court_directly():
    text = clause("withheld_process", BEFORE, "测试区人民政府", prior_review_types=PRIOR)
    assert "应当先申请行政复议" not in text
    assert "或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼" in text


def test_a_disclosure_leaves_the_choice():
    text = clause("disclosed", AFTER, "测试区人民政府", prior_review_types=PRIOR)
    assert "应当先申请行政复议" not in text
    assert "六个月内" in text and "六十日内" in text


def test_the_prior_review_scope_is_the_agencys_setting():
    """Q2: whether 无法提供 counts as 不予公开 is configurable."""
    text = clause("not_held", AFTER, "某市人民政府", prior_review_types=[*PRIOR, "not_held"])
    assert "应当先申请行政复议" in text


def test_partial_disclosure_is_in_the_default_prior_review_scope():
    assert "应当先申请行政复议" in clause("partial", AFTER, "X", prior_review_types=PRIOR)


def test_a_configured_court_is_named():
    text = clause("disclosed", AFTER, "X", prior_review_types=PRIOR, court="测试区人民法院")
    assert "依法向测试区人民法院提起行政诉讼" in text


@pytest.mark.parametrize(
    ("kind", "parent", "configured", "expected"),
    [
        ("department", "测试区人民政府", "", "测试区人民政府"),
        ("street_office", "测试区人民政府", "", "测试区人民政府"),
        ("township", None, "", "上一级人民政府"),
        ("government", None, "", "上一级人民政府"),
        ("department", None, "", "本级人民政府"),
        ("department", "测试区人民政府", "某市司法局", "某市司法局"),
    ],
)
def test_reconsideration_body(kind, parent, configured, expected):
    """行政复议法第二十四条 (the parent agency in the platform is the government above)."""
    assert reconsideration_body(kind, parent, configured) == expected


@pytest.mark.parametrize("answer", list(AnswerType))
@pytest.mark.parametrize("on", [BEFORE, AFTER, date(2026, 11, 30)])
def test_no_legacy_wording_in_any_clause(answer, on):
    """§1.8: '上级主管部门或同级人民政府', '3个月' etc. never appear."""
    text = clause(answer, on, reconsideration_body("department", None), prior_review_types=PRIOR)
    assert legacy_wording(text) == []
    for phrase in ("上级主管部门", "三个月", "3个月", "15个工作日"):
        assert phrase not in text


@pytest.mark.parametrize(
    ("kind", "variant"),
    [("reply", a.value) for a in AnswerType]
    + [
        ("correction_notice", ""),
        ("extension_notice", ""),
        ("consultation_letter", "third_party"),
        ("consultation_letter", "agency"),
        ("fee_notice", ""),
    ],
)
def test_no_legacy_wording_in_any_builtin_template(kind, variant):
    t = builtin_template(kind, variant)
    assert legacy_wording(t.title + t.body) == []


def test_legacy_wording_is_found_with_spaces_in_between():
    found = legacy_wording("可以向上级主管部门或同级 人民政府申请行政复议，或者在3个月内起诉。")
    assert len(found) == 2
    assert all(any(p in f for p in LEGACY_PHRASES) for f in found)


def test_third_party_silence_is_not_a_refusal_in_the_consultation_letter():
    """条例第三十二条 (2019): silence → the agency decides; 第三十四条: an agency's silence = consent."""
    third = builtin_template("consultation_letter", "third_party").body
    assert "由本机关依照条例的规定决定是否公开" in third and "15个工作日内" in third
    other = builtin_template("consultation_letter", "agency").body
    assert "视为同意公开" in other


@pytest.mark.parametrize(
    "text",
    [
        "请于15个工作日内答复",
        "本机关将在十五个工作日之内依法答复",
        "１５个工作日内作出书面答复",
        "向上级主管部门或本级人民政府申请行政复议",
        "向上一级主管部门或者同级人民政府申请",
        "也可以在3个月内向人民法院提起行政诉讼",
    ],
)
def test_legacy_wording_is_found_in_its_usual_variants(text):
    assert legacy_wording(text), text


def test_the_consultation_period_of_15_working_days_is_not_legacy():
    """条例第三十二条、第三十四条 keep 15 working days for opinions: not the old answer period."""
    for variant in ("third_party", "agency"):
        assert legacy_wording(builtin_template("consultation_letter", variant).body) == []
