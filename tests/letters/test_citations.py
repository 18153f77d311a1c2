"""Plain tests (no database): reading citations and checking them against the answer type."""

from __future__ import annotations

import pytest

from xxgk.letters.citations import (
    Article,
    ArticleParseError,
    check_citations,
    format_basis,
    parse_article,
    required_articles,
)
from xxgk.statute.taxonomies import AnswerType


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("条例第三十六条第（三）项", Article(36, None, 3)),
        ("《中华人民共和国政府信息公开条例》第十六条第二款", Article(16, 2, None)),
        ("第16条第2款", Article(16, 2, None)),
        ("36(3)", Article(36, None, 3)),
        ("第三十七条", Article(37)),
        ("第一百零三条", Article(103)),
        ("第三十九条第一款", Article(39, 1, None)),
    ],
)
def test_parse_article_reads_the_usual_forms(text, expected):
    assert parse_article(text) == expected


def test_an_article_prints_as_letters_cite_it():
    assert str(Article(36, None, 3)) == "第三十六条第（三）项"
    assert str(Article(16, 2)) == "第十六条第二款"
    assert str(Article(110)) == "第一百一十条"


@pytest.mark.parametrize("text", ["", "第条", "xx", "第三十六条第（三）款项"])
def test_unreadable_citations_raise_a_chinese_message(text):
    with pytest.raises(ArticleParseError, match="无法识别"):
        parse_article(text)


@pytest.mark.parametrize("answer", list(AnswerType))
def test_the_default_articles_of_every_answer_type_pass_the_check(answer):
    """What draft_letter cites by default must never be flagged (部分公开 needs a ground)."""
    articles = [str(a) for a in required_articles(answer)]
    if answer is AnswerType.PARTIAL:
        articles.append("第十五条")
    assert check_citations(answer, articles) == []


def test_partial_disclosure_needs_37_36_3_and_a_ground():
    """Replies-and-ledger §1.4: 部分公开 = 第三十七条 + 第三十六条第（三）项 + ground."""
    assert (
        check_citations("partial", ["第三十七条", "第三十六条第（三）项", "第十六条第二款"]) == []
    )
    warnings = check_citations("partial", ["第三十七条"])
    assert any("第三十六条第（三）项" in w for w in warnings)
    assert any("理由条款" in w for w in warnings)


def test_a_refusal_must_cite_its_own_ground():
    """过程性信息 is 第十六条第二款; 第十六条第一款 (内部事务) is the wrong ground."""
    assert check_citations("withheld_process", ["第三十六条第（三）项", "第十六条第二款"]) == []
    warnings = check_citations("withheld_process", ["第三十六条第（三）项", "第十六条第一款"])
    assert "不予公开须说明理由并引用第十六条第二款。" in warnings
    assert "所引第十六条第一款与不予公开的理由类型不符。" in warnings


def test_another_answer_types_anchor_is_a_mismatch():
    warnings = check_citations("disclosed", ["第三十六条第（四）项"])
    assert "缺少与答复类型相符的依据：第三十六条第（二）项。" in warnings
    assert "所引第三十六条第（四）项与答复类型不符。" in warnings


def test_a_refusal_ground_on_a_disclosure_is_a_mismatch():
    assert check_citations("disclosed", ["第三十六条第（二）项", "第十四条"]) == [
        "所引第十四条是不予公开的理由，与答复类型不符。"
    ]


def test_article_paragraph_and_item_must_be_distinguished():
    warnings = check_citations("withheld_internal", ["第三十六条", "第十六条"])
    assert "引用第三十六条须写明第几项（条、款、项应当区分）。" in warnings
    assert "引用第十六条须写明第几款（条、款、项应当区分）。" in warnings


def test_neutral_articles_may_accompany_any_answer():
    """第四十条 (form of provision) and 第三十二条 (consultation) fit a disclosure."""
    assert check_citations("disclosed", ["第三十六条第（二）项", "第四十条"]) == []
    assert (
        check_citations("withheld_third_party", ["第三十六条第（三）项", "第十五条", "第三十二条"])
        == []
    )


def test_unreadable_citation_is_reported_not_raised():
    assert check_citations("not_held", ["第三十六条第（四）项", "xx"])[0].startswith("无法识别")


def test_format_basis_names_the_regulation_once():
    assert (
        format_basis(["37", "条例第三十六条第（三）项", "第37条"])
        == "《中华人民共和国政府信息公开条例》第三十七条、第三十六条第（三）项"
    )
    assert format_basis([]) == ""
