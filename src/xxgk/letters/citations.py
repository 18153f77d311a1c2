"""Legal-basis citations of a reply letter and the check that they fit the answer type.

Django-free. Articles are written the way letters cite them — ``第三十六条第（三）项``,
``第十六条第二款`` — optionally prefixed ``条例``; Arabic numbers (``第36条第3项``) and the
short form ``36(3)`` are accepted too. :func:`parse_article` turns one into an
:class:`Article`; :func:`check_citations` returns the warnings of
replies-and-ledger.md §1.4 (S-GBJS: "the cited provision must match the decision actually
taken"; 条、款、项 must be distinguished).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from xxgk.statute.taxonomies import AnswerType

__all__ = [
    "Article",
    "ArticleParseError",
    "check_citations",
    "format_basis",
    "parse_article",
    "required_articles",
]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip


class ArticleParseError(ValueError):
    """An article citation that cannot be read (the message is Chinese)."""


def _cn_int(text: str) -> int:
    """一 → 1, 十六 → 16, 三十六 → 36, 一百零三 → 103; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ArticleParseError(f"无法识别的数字：{text}")
    return total + current


def _cn_numeral(n: int) -> str:
    """1 → 一, 16 → 十六, 36 → 三十六, 103 → 一百零三 (as the Regulation writes numbers)."""
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    if n < 20:
        return "十" + (names[n % 10] if n % 10 else "")
    if n < 100:
        return names[n // 10] + "十" + (names[n % 10] if n % 10 else "")
    rest = n % 100
    head = names[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + names[rest]
    return head + (names[rest // 10] + "十" + (names[rest % 10] if rest % 10 else ""))


@dataclass(frozen=True, order=True, slots=True)
class Article:
    """条 / 款 / 项 of the Regulation (款 and 项 optional)."""

    article: int
    paragraph: int | None = None
    item: int | None = None

    def __str__(self) -> str:
        text = f"第{_cn_numeral(self.article)}条"
        if self.paragraph is not None:
            text += f"第{_cn_numeral(self.paragraph)}款"
        if self.item is not None:
            text += f"第（{_cn_numeral(self.item)}）项"
        return text

    def within(self, other: Article) -> bool:
        """True if this citation is ``other`` or a finer part of it (36(三) within 36)."""
        if self.article != other.article:
            return False
        if other.paragraph is not None and self.paragraph != other.paragraph:
            return False
        return other.item is None or self.item == other.item


_NUM = r"[0-9零〇一二两三四五六七八九十百]+"
_FULL = re.compile(
    rf"^(?:《?中华人民共和国政府信息公开条例》?|条例)?第({_NUM})条"
    rf"(?:第({_NUM})款)?(?:第[（(]?({_NUM})[）)]?项)?$"
)
_SHORT = re.compile(rf"^({_NUM})(?:条)?(?:[第]?({_NUM})款)?(?:[（(]({_NUM})[）)])?$")


def parse_article(text: str) -> Article:
    """Read one citation: ``第三十六条第（三）项``, ``条例第16条第2款``, ``36(3)``."""
    raw = re.sub(r"\s+", "", text or "").replace("的规定", "")
    match = _FULL.match(raw) or _SHORT.match(raw)
    if not match:
        raise ArticleParseError(f"无法识别的条文：{text!r}（示例：第三十六条第（三）项）")
    art, para, item = match.groups()
    return Article(
        _cn_int(art),
        _cn_int(para) if para else None,
        _cn_int(item) if item else None,
    )


def _a(article: int, paragraph: int | None = None, item: int | None = None) -> Article:
    return Article(article, paragraph, item)


#: 条例第三十六条 (and 30, 35, 37–39, 42): the anchor each answer type rests on (rule (a) of
#: replies-and-ledger.md §1.4: one answer type ⇒ one anchor).
_ANCHORS: dict[AnswerType, tuple[Article, ...]] = {
    AnswerType.ALREADY_PUBLIC: (_a(36, None, 1),),
    AnswerType.DISCLOSED: (_a(36, None, 2),),
    AnswerType.PARTIAL: (_a(37),),
    AnswerType.WITHHELD_STATE_SECRET: (_a(36, None, 3),),
    AnswerType.WITHHELD_LAW: (_a(36, None, 3),),
    AnswerType.WITHHELD_THREE_SAFETIES: (_a(36, None, 3),),
    AnswerType.WITHHELD_THIRD_PARTY: (_a(36, None, 3),),
    AnswerType.WITHHELD_INTERNAL: (_a(36, None, 3),),
    AnswerType.WITHHELD_PROCESS: (_a(36, None, 3),),
    AnswerType.WITHHELD_ENFORCEMENT_FILE: (_a(36, None, 3),),
    AnswerType.SPECIAL_PROCEDURE: (_a(36, None, 7),),
    AnswerType.NOT_HELD: (_a(36, None, 4),),
    AnswerType.NOT_RESPONSIBLE: (_a(36, None, 5),),
    AnswerType.NEEDS_CREATION: (_a(38),),
    AnswerType.UNCLEAR_AFTER_CORRECTION: (_a(30),),
    AnswerType.PETITION: (_a(39, 1),),
    AnswerType.REPEATED: (_a(36, None, 6),),
    AnswerType.PUBLICATION: (_a(39, 2),),
    AnswerType.MASS_UNREASONABLE: (_a(35),),
    AnswerType.CONFIRM_OR_REISSUE: (),
    AnswerType.CORRECTION_ABANDONED: (_a(30),),
    AnswerType.FEE_UNPAID: (_a(42),),
    AnswerType.OTHER: (),
}

#: The substantive refusal ground each 不予公开 type must cite besides 第三十六条第（三）项
#: (rule (b)); for 部分公开 any one of them, for the withheld part.
_GROUNDS: dict[AnswerType, tuple[Article, ...]] = {
    AnswerType.WITHHELD_STATE_SECRET: (_a(14),),
    AnswerType.WITHHELD_LAW: (_a(14),),
    AnswerType.WITHHELD_THREE_SAFETIES: (_a(14),),
    AnswerType.WITHHELD_THIRD_PARTY: (_a(15),),
    AnswerType.WITHHELD_INTERNAL: (_a(16, 1),),
    AnswerType.WITHHELD_PROCESS: (_a(16, 2),),
    AnswerType.WITHHELD_ENFORCEMENT_FILE: (_a(16, 2),),
}
_ALL_GROUNDS = (_a(14), _a(15), _a(16, 1), _a(16, 2))
_ALL_ANCHORS = frozenset(a for anchors in _ANCHORS.values() for a in anchors)


def required_articles(answer_type: AnswerType) -> list[Article]:
    """The articles a reply of this type cites by default: its anchor(s), then the ground.

    部分公开 cites 第三十七条 and 第三十六条第（三）项; its ground depends on the withheld part
    (the handler adds 第十四、十五 or 十六条).
    """
    arts = list(_ANCHORS[answer_type])
    if answer_type is AnswerType.PARTIAL:
        arts.append(_a(36, None, 3))
    arts.extend(_GROUNDS.get(answer_type, ()))
    return arts


def check_citations(answer_type: AnswerType | str, articles: Iterable[str]) -> list[str]:
    """Warnings when the cited articles do not fit the answer type (empty list = fits).

    Rules (replies-and-ledger.md §1.4, from S-GBJS): (a) the type's anchor article must be
    cited and no other type's anchor; (b) a refusal cites 第三十六条第（三）项 **and** its
    substantive ground (第十四/十五/十六条), and 部分公开 also names the ground of the
    withheld part; 条、款、项 are distinguished (第三十六条 without 项, 第十六条 and 第三十九条
    without 款 are too vague); a ground cited for an answer that discloses is a mismatch.
    """
    answer = AnswerType(answer_type)
    warnings: list[str] = []
    cited: list[Article] = []
    for text in articles:
        try:
            cited.append(parse_article(text))
        except ArticleParseError as exc:
            warnings.append(str(exc))
    for art in cited:
        if art.article == 36 and art.item is None:
            warnings.append("引用第三十六条须写明第几项（条、款、项应当区分）。")
        if art.article in (16, 39) and art.paragraph is None:
            warnings.append(
                f"引用第{_cn_numeral(art.article)}条须写明第几款（条、款、项应当区分）。"
            )
    anchors = _ANCHORS[answer]
    for anchor in anchors:
        if not any(c.within(anchor) for c in cited):
            warnings.append(f"缺少与答复类型相符的依据：{anchor}。")
    if answer is AnswerType.PARTIAL and not any(c.within(_a(36, None, 3)) for c in cited):
        warnings.append("部分公开须同时引用第三十六条第（三）项（对不予公开部分说明理由）。")
    allowed = anchors + ((_a(36, None, 3),) if answer is AnswerType.PARTIAL else ())
    wrong_anchors = sorted(
        {
            c
            for c in cited
            if any(c.within(a) for a in _ALL_ANCHORS) and not any(c.within(a) for a in allowed)
        }
    )
    for c in wrong_anchors:
        warnings.append(f"所引{c}与答复类型不符。")
    grounds = _GROUNDS.get(answer)
    cited_grounds = [c for c in cited if any(c.within(g) or g.within(c) for g in _ALL_GROUNDS)]
    if grounds:
        for g in grounds:
            if not any(c.within(g) for c in cited):
                warnings.append(f"不予公开须说明理由并引用{g}。")
        for c in cited_grounds:
            if not any(c.within(g) or (g.within(c) and c.paragraph is None) for g in grounds):
                warnings.append(f"所引{c}与不予公开的理由类型不符。")
    elif answer is AnswerType.PARTIAL:
        if not any(any(c.within(g) for g in _ALL_GROUNDS) for c in cited):
            warnings.append(
                "部分公开须引用不予公开部分的理由条款（第十四条、第十五条或第十六条）。"
            )
    else:
        for c in cited_grounds:
            warnings.append(f"所引{c}是不予公开的理由，与答复类型不符。")
    # keep order, drop duplicates
    return list(dict.fromkeys(warnings))


def format_basis(articles: Iterable[str]) -> str:
    """``《中华人民共和国政府信息公开条例》第三十七条、第三十六条第（三）项`` for the letter body.

    Unreadable citations are kept verbatim (the check reports them)."""
    parts: list[str] = []
    for text in articles:
        try:
            parts.append(str(parse_article(text)))
        except ArticleParseError:
            parts.append(text.strip())
    parts = [p for p in dict.fromkeys(parts) if p]
    return "《中华人民共和国政府信息公开条例》" + "、".join(parts) if parts else ""
