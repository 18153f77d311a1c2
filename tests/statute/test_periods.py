"""xxgk.statute.periods: every period, every convention, and the properties of the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.statute import oracle
from xxgk.statute.calendar import WorkCalendar, load_calendar
from xxgk.statute.errors import CalendarYearMissing, PeriodError
from xxgk.statute.periods import (
    CountingRules,
    Pause,
    PeriodResult,
    annual_report_deadline,
    answer_deadline,
    case_deadlines,
    consultation_reply_deadline,
    correction_notice_deadline,
    dual_publicity_deadline,
    extended_deadline,
    fee_payment_deadline,
    proactive_disclosure_deadline,
    receipt_date,
)
from xxgk.statute.taxonomies import AgencyKind, Channel

NO_DATA = Path("/nonexistent-xxgk-data")
CAL = load_calendar(NO_DATA)
FALLBACK = load_calendar(NO_DATA, weekday_fallback=True)


@pytest.fixture
def cal() -> WorkCalendar:
    return CAL


# ----- the worked examples ------------------------------------------------------------------


def test_regulation_example_receipt_2025_09_26(cal: WorkCalendar) -> None:
    """regulation.md §3.11: receipt 2025-09-26 (Fri) → 20th working day 2025-10-30."""
    result = answer_deadline(date(2025, 9, 26), cal)
    assert result.due == date(2025, 10, 30)
    text = result.explanation()
    assert "2025年9月28日（星期日）为国庆节调休上班日" in text
    assert "2025年10月11日（星期六）为国庆节调休上班日" in text
    assert "2025年10月1日（星期三）至2025年10月8日（星期三）为国庆节、中秋节放假，共8天" in text
    assert result.steps[-1] == "第20个工作日为2025年10月30日（星期四），即期限届满之日。"
    assert not result.weekday_fallback


def test_spring_festival_2026_with_both_make_up_saturdays(cal: WorkCalendar) -> None:
    # Counted by hand: 2-11,12,13 (1-3), Sat 2-14 (4), 2-15..23 off, 2-24..27 (5-8),
    # Sat 2-28 (9), 3-2..6 (10-14), 3-9..13 (15-19), 3-16 (20).
    result = answer_deadline(date(2026, 2, 10), cal)
    assert result.due == date(2026, 3, 16)
    text = result.explanation()
    assert "2026年2月14日（星期六）为春节调休上班日，计为工作日（第4日）" in text
    assert "2026年2月28日（星期六）为春节调休上班日，计为工作日（第9日）" in text
    assert "2026年2月15日（星期日）至2026年2月23日（星期一）为春节放假，共9天" in text


def test_2020_extended_spring_festival(cal: WorkCalendar) -> None:
    """国办发明电〔2020〕1号 extended 春节 to 2月2日: 1-24..2-02 are all off."""
    # Counted by hand: 1-21,22,23 (1-3), 2-3..7 (4-8), 2-10..14 (9-13), 2-17..21 (14-18),
    # 2-24 (19), 2-25 (20).
    result = answer_deadline(date(2020, 1, 20), cal)
    assert result.due == date(2020, 2, 25)
    assert "2020年1月24日（星期五）至2020年2月2日（星期日）为春节放假，共10天" in (
        result.explanation()
    )


def test_correction_notice_is_7_working_days(cal: WorkCalendar) -> None:
    """条例第三十条: 9-28 (1), 9-29 (2), 9-30 (3), 10-9 (4), 10-10 (5), Sat 10-11 (6), 10-13 (7)."""
    result = correction_notice_deadline(date(2025, 9, 26), cal)
    assert result.due == date(2025, 10, 13)
    assert result.rule.startswith("条例第三十条")


def test_correction_restarts_the_answer_clock(cal: WorkCalendar) -> None:
    """条例第三十条：答复期限自行政机关收到补正的申请之日起计算 — from zero, not resumed."""
    corrected = date(2025, 3, 10)
    result = answer_deadline(date(2025, 3, 3), cal, correction_received_on=corrected)
    assert result.due == oracle.add_workdays(corrected, 20)
    assert result.start == corrected
    assert "重新计算" in result.explanation()
    with pytest.raises(PeriodError, match="早于"):
        answer_deadline(date(2025, 3, 3), cal, correction_received_on=date(2025, 3, 1))


def test_pause_excludes_working_days_after_start_through_end(cal: WorkCalendar) -> None:
    """条例第三十二条、第三十四条、第三十三条第三款：征求意见所需时间不计算在期限内。"""
    received = date(2025, 3, 3)
    plain = answer_deadline(received, cal).due
    pause = Pause(date(2025, 3, 10), date(2025, 3, 14))  # excludes Tue 11 .. Fri 14: 4 days
    result = answer_deadline(received, cal, pauses=[pause])
    assert result.due == oracle.add_workdays(plain, 4)
    assert "开始日之后至结束日的4个工作日不计入期限" in result.explanation()


def test_pause_convention_excluding_the_start_day(cal: WorkCalendar) -> None:
    received = date(2025, 3, 3)
    plain = answer_deadline(received, cal).due
    pause = Pause(date(2025, 3, 10), date(2025, 3, 14))  # Mon 10 .. Fri 14: 5 days
    rules = CountingRules(pause_excludes_start_day=True)
    result = answer_deadline(received, cal, pauses=[pause], rules=rules)
    assert result.due == oracle.add_workdays(plain, 5)
    assert "含开始日在内至结束日的5个工作日不计入期限" in result.explanation()


def test_overlapping_pauses_are_not_double_counted(cal: WorkCalendar) -> None:
    received = date(2025, 3, 3)
    plain = answer_deadline(received, cal).due
    pauses = [
        Pause(date(2025, 3, 10), date(2025, 3, 14)),
        Pause(date(2025, 3, 12), date(2025, 3, 18)),
    ]
    result = answer_deadline(received, cal, pauses=pauses)
    k = oracle.workdays_between(date(2025, 3, 10), date(2025, 3, 18))
    assert result.due == oracle.add_workdays(plain, k)


def test_pause_after_the_deadline_changes_nothing(cal: WorkCalendar) -> None:
    received = date(2025, 3, 3)
    plain = answer_deadline(received, cal).due
    late = Pause(plain, plain + timedelta(days=10))
    result = answer_deadline(received, cal, pauses=[late])
    assert result.due == plain
    assert "不影响本期限" in result.explanation()


def test_pause_with_end_before_start_is_refused() -> None:
    with pytest.raises(PeriodError, match="早于开始日"):
        Pause(date(2025, 3, 10), date(2025, 3, 9))


def test_extension_adds_at_most_20_working_days(cal: WorkCalendar) -> None:
    """条例第三十三条第二款：延长的期限最长不得超过20个工作日。"""
    received = date(2025, 9, 26)
    base = answer_deadline(received, cal).due
    ext = extended_deadline(received, cal, 20)
    assert ext.due == oracle.add_workdays(base, 20)
    assert "负责人同意" in ext.explanation()
    for bad in (0, 21, -1):
        with pytest.raises(PeriodError, match="最长不得超过20个工作日"):
            extended_deadline(received, cal, bad)


def test_fee_period_does_not_pause_by_default(cal: WorkCalendar) -> None:
    received = date(2025, 3, 3)
    fee = [(date(2025, 3, 10), date(2025, 3, 20))]
    default = answer_deadline(received, cal, fee_periods=fee)
    assert default.due == answer_deadline(received, cal).due
    assert "不中止答复期限" in default.explanation()
    paused = answer_deadline(
        received, cal, fee_periods=fee, rules=CountingRules(fee_pauses_answer_period=True)
    )
    k = oracle.workdays_between(*fee[0])
    assert paused.due == oracle.add_workdays(default.due, k)


def test_fee_payment_period_is_20_working_days_from_the_next_day(cal: WorkCalendar) -> None:
    notice = date(2026, 2, 10)
    assert fee_payment_deadline(notice, cal).due == oracle.add_workdays(notice, 20)


def test_count_start_day_convention(cal: WorkCalendar) -> None:
    monday = date(2025, 3, 3)
    counted = answer_deadline(monday, cal, rules=CountingRules(count_start_day=True))
    assert counted.due == oracle.add_workdays(monday, 19)
    assert "计为第1日" in counted.explanation()
    assert answer_deadline(monday, cal).due == oracle.add_workdays(monday, 20)


def test_consultation_reply_15_working_days(cal: WorkCalendar) -> None:
    sent = date(2026, 9, 18)
    result = consultation_reply_deadline(sent, cal)
    assert result.due == oracle.add_workdays(sent, 15)
    assert "2026年9月20日（星期日）为国庆节调休上班日" in result.explanation()


def test_proactive_disclosure_article_26(cal: WorkCalendar) -> None:
    formed = date(2026, 4, 30)
    result = proactive_disclosure_deadline(formed, cal)
    assert result.due == oracle.add_workdays(formed, 20)
    assert result.rule.startswith("条例第二十六条")
    assert "劳动节放假" in result.explanation()


def test_dual_publicity_7_working_days(cal: WorkCalendar) -> None:
    decided = date(2026, 6, 17)
    result = dual_publicity_deadline(decided, cal)
    assert result.due == oracle.add_workdays(decided, 7)
    assert "端午节放假" in result.explanation()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(AgencyKind.DEPARTMENT, date(2026, 1, 31)), (AgencyKind.GOVERNMENT, date(2026, 3, 31))],
)
def test_annual_report_deadlines_article_49(kind: AgencyKind, expected: date) -> None:
    result = annual_report_deadline(2025, kind)
    assert result.value == expected
    assert "条例第四十九条" in result.steps[0]


def test_annual_report_deadline_for_towns_is_not_in_article_49() -> None:
    with pytest.raises(PeriodError, match="本地通知"):
        annual_report_deadline(2025, AgencyKind.OTHER)


@pytest.mark.parametrize(
    ("channel", "kwargs", "expected"),
    [
        (Channel.IN_PERSON, {"submitted_on": date(2025, 5, 6)}, date(2025, 5, 6)),
        (Channel.POST_SIGNED, {"signed_on": date(2025, 5, 7)}, date(2025, 5, 7)),
        (Channel.POST_ORDINARY, {"confirmed_on": date(2025, 5, 8)}, date(2025, 5, 8)),
        (
            Channel.ONLINE,
            {"submitted_on": date(2025, 5, 1), "confirmed_on": date(2025, 5, 9)},
            date(2025, 5, 9),
        ),
        (Channel.FAX, {"confirmed_on": date(2025, 5, 12)}, date(2025, 5, 12)),
    ],
)
def test_receipt_date_by_channel_article_31(
    channel: Channel, kwargs: dict[str, date], expected: date
) -> None:
    result = receipt_date(channel, **kwargs)
    assert result.value == expected
    assert "条例第三十一条" in result.steps[0]


def test_receipt_date_needs_the_event_of_its_channel() -> None:
    with pytest.raises(PeriodError, match="签收之日"):
        receipt_date(Channel.POST_SIGNED, submitted_on=date(2025, 5, 6))


def test_ordinary_letter_must_be_confirmed_the_day_it_arrives() -> None:
    result = receipt_date(
        Channel.POST_ORDINARY, arrived_on=date(2025, 5, 6), confirmed_on=date(2025, 5, 8)
    )
    assert result.value == date(2025, 5, 8)
    assert "条例要求收到当日确认" in "".join(result.steps)


def test_missing_year_is_an_error_not_a_guess(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing, match="2027年节假日安排尚未导入"):
        answer_deadline(date(2026, 12, 15), cal)


def test_fallback_results_carry_the_flag() -> None:
    result = answer_deadline(date(2026, 12, 15), FALLBACK)
    assert result.weekday_fallback
    assert "2027年节假日安排尚未导入" in result.explanation()
    inside = answer_deadline(date(2026, 3, 2), FALLBACK)
    assert not inside.weekday_fallback
    assert inside.due == answer_deadline(date(2026, 3, 2), CAL).due


def test_case_deadlines_bundle(cal: WorkCalendar) -> None:
    result = case_deadlines(date(2025, 9, 26), cal, extension_days=5)
    data = result.to_json()
    assert data["received_on"] == "2025-09-26"
    assert data["correction_notice_due"] == "2025-10-13"
    assert data["answer_due"] == "2025-10-30"
    assert data["extended_due"] == oracle.add_workdays(date(2025, 10, 30), 5).isoformat()
    with pytest.raises(PeriodError):
        case_deadlines(date(2025, 9, 26), cal, extension_days=21)


# ----- properties (hypothesis) ----------------------------------------------------------------

# Receipt dates whose longest computed period (40 working days + a pause) stays inside 2026.
receipts = st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 8, 31))
PROPS = settings(max_examples=60, deadline=None)


@PROPS
@given(received=receipts, n=st.sampled_from([7, 15, 20]))
def test_due_date_is_always_a_working_day(received: date, n: int) -> None:
    result = correction_notice_deadline(received, CAL) if n == 7 else answer_deadline(received, CAL)
    assert oracle.is_workday(result.due)
    assert result.due == oracle.add_workdays(received, result.working_days)


@PROPS
@given(a=receipts, b=receipts)
def test_due_dates_never_decrease_as_receipt_moves_later(a: date, b: date) -> None:
    early, late = min(a, b), max(a, b)
    assert answer_deadline(early, CAL).due <= answer_deadline(late, CAL).due
    assert correction_notice_deadline(early, CAL).due <= correction_notice_deadline(late, CAL).due


@PROPS
@given(received=receipts, n=st.integers(min_value=1, max_value=20))
def test_extension_of_n_adds_exactly_n_working_days(received: date, n: int) -> None:
    base = answer_deadline(received, CAL).due
    extended = extended_deadline(received, CAL, n).due
    assert oracle.workdays_between(base, extended) == n
    assert oracle.is_workday(extended)


@PROPS
@given(
    received=receipts,
    start_offset=st.integers(min_value=0, max_value=27),
    length=st.integers(min_value=0, max_value=30),
)
def test_pause_covering_k_working_days_moves_due_by_k(
    received: date, start_offset: int, length: int
) -> None:
    plain = answer_deadline(received, CAL).due
    start = received + timedelta(days=start_offset)
    if start >= plain:  # a pause must begin while the period is running
        start = received
    pause = Pause(start, start + timedelta(days=length))
    k = oracle.workdays_between(pause.start, pause.end)
    paused = answer_deadline(received, CAL, pauses=[pause]).due
    assert paused == oracle.add_workdays(plain, k)
    assert oracle.workdays_between(plain, paused) == k


def test_fee_paid_before_its_notice_is_refused() -> None:
    cal = load_calendar(Path("/nonexistent-xxgk-data"))
    for pauses in (False, True):
        with pytest.raises(PeriodError, match="早于收费通知日"):
            answer_deadline(
                date(2025, 3, 3),
                cal,
                fee_periods=[(date(2025, 3, 10), date(2025, 3, 5))],
                rules=CountingRules(fee_pauses_answer_period=pauses),
            )


def test_explanation_names_holidays_and_shifted_workdays_inside_a_pause() -> None:
    """国庆 2025 inside a consultation pause: 9-28 and 10-11 (调休) and 10-1…8 are named."""
    cal = load_calendar(Path("/nonexistent-xxgk-data"))
    result = answer_deadline(
        date(2025, 9, 15), cal, pauses=[Pause(date(2025, 9, 26), date(2025, 10, 15))]
    )
    text = result.explanation()
    assert "2025年9月28日（星期日）为国庆节调休上班日，但在暂停期间内，不计入" in text
    assert "2025年10月11日（星期六）为国庆节调休上班日，但在暂停期间内，不计入" in text
    assert (
        "2025年10月1日（星期三）至2025年10月8日（星期三）为国庆节、中秋节放假，共8天（在暂停期间内）"
        in text
    )
    excluded = oracle.workdays_between(date(2025, 9, 26), date(2025, 10, 15))
    assert f"的{excluded}个工作日不计入期限" in text


def test_explanation_mentions_a_pause_that_ended_before_the_clock_started() -> None:
    cal = load_calendar(Path("/nonexistent-xxgk-data"))
    early = Pause(date(2025, 3, 1), date(2025, 3, 5))
    straddling = Pause(date(2025, 3, 7), date(2025, 3, 12))
    result = answer_deadline(date(2025, 3, 10), cal, pauses=[early, straddling])
    text = result.explanation()
    assert (
        "2025年3月1日（星期六）至2025年3月5日（星期三）的征求第三方或者其他机关意见在计算起点"
        in text
    )
    assert "之前已经结束，不影响本期限" in text
    assert "其中计算起点之前的部分本来不计入，计算起点之后至结束日的2个工作日不计入期限" in text
    assert result.due == oracle.add_workdays(date(2025, 3, 10), 22)


# Properties of the 15-working-day (条例第三十二条、第三十四条) and 7-working-day (双公示) periods.
SHORT_PERIODS = st.sampled_from(
    [
        (consultation_reply_deadline, 15),  # 条例第三十二条、第三十四条
        (dual_publicity_deadline, 7),  # 国办发〔2015〕51号（十八）
    ]
)


@PROPS
@given(event=receipts, period=SHORT_PERIODS)
def test_short_period_due_is_the_nth_working_day_after_the_event(
    event: date, period: tuple[Callable[..., PeriodResult], int]
) -> None:
    rule, n = period
    result = rule(event, CAL)
    assert result.working_days == n
    assert oracle.is_workday(result.due)
    assert oracle.workdays_between(event, result.due) == n
    assert result.due == oracle.add_workdays(event, n)


@PROPS
@given(a=receipts, b=receipts, period=SHORT_PERIODS)
def test_short_period_due_never_decreases(
    a: date, b: date, period: tuple[Callable[..., PeriodResult], int]
) -> None:
    rule, _ = period
    early, late = min(a, b), max(a, b)
    assert rule(early, CAL).due <= rule(late, CAL).due


@PROPS
@given(event=receipts, period=SHORT_PERIODS)
def test_short_period_counting_the_event_day(
    event: date, period: tuple[Callable[..., PeriodResult], int]
) -> None:
    """With count_start_day the event day is day 1 when it is a working day."""
    rule, n = period
    due = rule(event, CAL, CountingRules(count_start_day=True)).due
    assert due == oracle.add_workdays(event - timedelta(days=1), n)
    plain = rule(event, CAL).due
    if oracle.is_workday(event):
        assert oracle.workdays_between(due, plain) == 1
    else:
        assert due == plain
