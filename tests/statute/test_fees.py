"""xxgk.statute.fees: 国办函〔2020〕109号, 超额累进 by item and by page."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.statute.errors import StatuteError
from xxgk.statute.fees import fee_by_items, fee_by_pages, fee_for_nth_item


def test_45_items_cost_5500_yuan() -> None:
    """regulation.md §3.6.1: 20×100 + 10×200 + 5×300 = 5 500元."""
    result = fee_by_items(45)
    assert result.fee_yuan == 5500
    assert [(t.first, t.last, t.rate) for t in result.tiers] == [
        (1, 10, 0),
        (11, 30, 100),
        (31, 40, 200),
        (41, 45, 300),
    ]
    assert result.steps[-1] == "合计5500元。"


def test_150_pages_cost_1700_yuan() -> None:
    """regulation.md §3.6.1: 30 free + 70×10 + 50×20 = 1 700元."""
    result = fee_by_pages(150)
    assert result.fee_yuan == 1700
    assert "第31至100页：70页×10元＝700元。" in result.steps


@pytest.mark.parametrize(
    ("n", "rate"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (45, 300), (51, 400)],
)
def test_rate_of_the_nth_item(n: int, rate: int) -> None:
    assert fee_for_nth_item(n) == rate


@pytest.mark.parametrize(
    ("pages", "fee"), [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)]
)
def test_page_tier_boundaries(pages: int, fee: int) -> None:
    assert fee_by_pages(pages).fee_yuan == fee


def test_free_allowance_is_free() -> None:
    assert fee_by_items(10).fee_yuan == 0
    assert fee_by_items(10).steps[1] == "第1至10件：不收费。"


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=300))
def test_item_total_is_the_sum_of_marginal_rates(n: int) -> None:
    assert fee_by_items(n).fee_yuan - fee_by_items(n - 1).fee_yuan == fee_for_nth_item(n)


@pytest.mark.parametrize("bad", [-1, 2_000_000])
def test_bad_counts_are_refused(bad: int) -> None:
    with pytest.raises(StatuteError):
        fee_by_items(bad)
    with pytest.raises(StatuteError):
        fee_by_pages(bad)
