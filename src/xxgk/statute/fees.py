"""信息处理费 (条例第四十二条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》).

Both standards are 超额累进 (第三条): each unit is charged at the rate of the tier it falls in.
An agency chooses one standard per application, never both (第三条).

* 按件计收 (第四条), per applicant per natural month: 1–10 free; 11–30 100元/件; from 31 on,
  every further block of 10 raises the rate by 100元/件 (31–40 200元, 41–50 300元, …).
* 按量计收 (第五条), per application: pages 1–30 free; 31–100 10元/页; 101–200 20元/页;
  201 on 40元/页.

Amounts are whole yuan (int).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xxgk.statute.errors import StatuteError

__all__ = ["FeeResult", "FeeTier", "fee_by_items", "fee_by_pages", "fee_for_nth_item"]


@dataclass(frozen=True, slots=True)
class FeeTier:
    """One tier used in a computation: units ``first``..``last`` at ``rate`` yuan each."""

    first: int
    last: int
    rate: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> int:
        return self.count * self.rate


@dataclass(frozen=True, slots=True)
class FeeResult:
    """A fee with its tiers and the explanation in plain Chinese."""

    basis: str
    units: int
    unit_name: str
    fee_yuan: int
    tiers: tuple[FeeTier, ...]
    steps: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "basis": self.basis,
            "units": self.units,
            "fee_yuan": self.fee_yuan,
            "tiers": [
                {"first": t.first, "last": t.last, "rate_yuan": t.rate, "amount_yuan": t.amount}
                for t in self.tiers
            ],
            "steps": list(self.steps),
        }


def fee_for_nth_item(n: int) -> int:
    """国办函〔2020〕109号第四条：the rate of the n-th application of one applicant in one month."""
    if n < 1:
        raise StatuteError("件数应为正整数")
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 + 100 * ((n - 31) // 10 + 1)


def _page_rate(p: int) -> int:
    if p <= 30:
        return 0
    if p <= 100:
        return 10
    if p <= 200:
        return 20
    return 40


def _tiers(units: int, rate_of: Any) -> tuple[FeeTier, ...]:
    tiers: list[FeeTier] = []
    for u in range(1, units + 1):
        rate = int(rate_of(u))
        if tiers and tiers[-1].rate == rate:
            tiers[-1] = FeeTier(tiers[-1].first, u, rate)
        else:
            tiers.append(FeeTier(u, u, rate))
    return tuple(tiers)


def _check(units: int, what: str) -> None:
    if isinstance(units, bool) or not isinstance(units, int) or units < 0:
        raise StatuteError(f"{what}应为非负整数")
    if units > 1_000_000:
        raise StatuteError(f"{what}过大（{units}），请核对")


def fee_by_items(items: int) -> FeeResult:
    """国办函〔2020〕109号第四条（按件计收）：同一申请人一个自然月内累计申请件数的费用总额。"""
    _check(items, "件数")
    tiers = _tiers(items, fee_for_nth_item)
    return _result("国办函〔2020〕109号第四条（按件计收）", items, "件", tiers)


def fee_by_pages(pages: int) -> FeeResult:
    """国办函〔2020〕109号第五条（按量计收）：一件申请按页数计算的费用。"""
    _check(pages, "页数")
    tiers = _tiers(pages, _page_rate)
    return _result("国办函〔2020〕109号第五条（按量计收）", pages, "页", tiers)


def _result(basis: str, units: int, unit: str, tiers: tuple[FeeTier, ...]) -> FeeResult:
    total = sum(t.amount for t in tiers)
    steps = [f"依据：{basis}，超额累进计算。"]
    for t in tiers:
        span = f"第{t.first}{unit}" if t.first == t.last else f"第{t.first}至{t.last}{unit}"
        if t.rate == 0:
            steps.append(f"{span}：不收费。")
        else:
            steps.append(f"{span}：{t.count}{unit}×{t.rate}元＝{t.amount}元。")
    steps.append(f"合计{total}元。")
    return FeeResult(basis, units, unit, total, tiers, tuple(steps))
