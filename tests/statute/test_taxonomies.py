"""xxgk.statute.taxonomies: channels, applicants, answer types and their rows in table 三."""

from __future__ import annotations

import pytest

from xxgk.statute.outcomes import APPLICANT_COLUMNS, OUTCOME_ROWS, FormatVersion
from xxgk.statute.taxonomies import (
    AnswerType,
    ApplicantType,
    Channel,
    ReceiptRule,
    answer_row,
    answer_type_info,
    row_2019_to_2021,
    row_2021_to_2019,
)


@pytest.mark.parametrize("version", list(FormatVersion))
def test_every_answer_maps_to_a_leaf_row(version: FormatVersion) -> None:
    ids = {r.id for r in OUTCOME_ROWS[version]}
    for answer in AnswerType:
        assert answer_row(answer, version) in ids, answer


@pytest.mark.parametrize("version", list(FormatVersion))
def test_every_leaf_row_is_reached_by_some_answer(version: FormatVersion) -> None:
    reached = {answer_row(a, version) for a in AnswerType}
    assert reached == {r.id for r in OUTCOME_ROWS[version]}


def test_2021_only_rows_fold_into_2019_other() -> None:
    assert answer_row(AnswerType.CORRECTION_ABANDONED, FormatVersion.V2021) == "3.6.1"
    assert answer_row(AnswerType.CORRECTION_ABANDONED, FormatVersion.V2019) == "3.6"
    assert answer_row(AnswerType.FEE_UNPAID, FormatVersion.V2021) == "3.6.2"


def test_row_mapping_is_consistent_with_answer_mapping() -> None:
    for answer in AnswerType:
        row21 = answer_row(answer, FormatVersion.V2021)
        row19 = answer_row(answer, FormatVersion.V2019)
        assert row_2021_to_2019(row21) == row19
        assert row21 in row_2019_to_2021(row19)


def test_2019_other_splits_into_three_2021_rows() -> None:
    assert row_2019_to_2021("3.6") == ("3.6.1", "3.6.2", "3.6.3")
    assert row_2019_to_2021("3.3.1") == ("3.3.1",)
    with pytest.raises(KeyError):
        row_2021_to_2019("3.6")
    with pytest.raises(KeyError):
        row_2019_to_2021("3.6.1")


def test_inferred_mappings_are_marked() -> None:
    """regulation.md §8 Q3 and Q4 are open: the mapping must say it is inferred."""
    assert answer_type_info(AnswerType.ALREADY_PUBLIC).inferred
    assert answer_type_info(AnswerType.NOT_RESPONSIBLE).inferred
    assert not answer_type_info(AnswerType.DISCLOSED).inferred


def test_every_answer_names_its_article() -> None:
    for answer in AnswerType:
        info = answer_type_info(answer)
        assert info.label
        if answer is not AnswerType.OTHER:
            assert "条" in info.article or "格式" in info.article


def test_applicant_types_are_the_table_columns() -> None:
    columns = [c.id for c in APPLICANT_COLUMNS if c.id != "total"]
    assert [a.value for a in ApplicantType] == columns
    assert ApplicantType.NATURAL_PERSON.label == "自然人"
    assert sum(a.is_organisation for a in ApplicantType) == 5


def test_channels_follow_article_31() -> None:
    assert Channel.IN_PERSON.receipt_rule is ReceiptRule.SUBMITTED
    assert Channel.POST_SIGNED.receipt_rule is ReceiptRule.SIGNED
    assert Channel.POST_ORDINARY.receipt_rule is ReceiptRule.CONFIRMED_SAME_DAY
    for ch in (Channel.ONLINE, Channel.EMAIL, Channel.FAX):
        assert ch.receipt_rule is ReceiptRule.CONFIRMED
    assert Channel.IN_PERSON.basic and not Channel.ONLINE.basic
