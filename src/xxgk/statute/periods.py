"""Statutory periods as pure functions of dates and a :class:`WorkCalendar`.

Conventions (each configurable through :class:`CountingRules`, documented in docs/statute.md):

* The day of receipt (or of the event) is not counted: the next working day is day 1, and the
  due date is the N-th working day (诉讼法 rule that 国办公开办函〔2015〕207号 refers to;
  regulation.md §3.11, open question Q5). ``count_start_day=True`` counts the event day as
  day 1 when it is a working day.
* A pause from START to END (征求意见, 条例第三十二条、第三十四条) excludes the working days after
  START up to and including END (``pause_excludes_start_day=True`` excludes START too). A
  pause that starts after the period has run out changes nothing.
* The fee-payment period does not pause the answer period unless
  ``fee_pauses_answer_period=True`` (the Regulation excludes only consultation time; the
  earlier date is the safe one — docs/statute.md).

Every result carries its explanation (``steps``), in plain Chinese, naming each holiday and each
调休 working day crossed, and the flag ``weekday_fallback`` when a year without data was guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xxgk.statute.calendar import FLAG_WEEKDAY_FALLBACK, DayKind, WorkCalendar, format_date
from xxgk.statute.errors import PeriodError
from xxgk.statute.taxonomies import AgencyKind, Channel, ReceiptRule

__all__ = [
    "ANSWER_DAYS",
    "CONSULTATION_DAYS",
    "CORRECTION_NOTICE_DAYS",
    "DUAL_PUBLICITY_DAYS",
    "FEE_PAYMENT_DAYS",
    "MAX_EXTENSION_DAYS",
    "PROACTIVE_DAYS",
    "CaseDeadlines",
    "CountingRules",
    "DateResult",
    "Pause",
    "PeriodResult",
    "annual_report_deadline",
    "answer_deadline",
    "case_deadlines",
    "consultation_reply_deadline",
    "correction_notice_deadline",
    "dual_publicity_deadline",
    "extended_deadline",
    "fee_payment_deadline",
    "proactive_disclosure_deadline",
    "receipt_date",
]

CORRECTION_NOTICE_DAYS = 7  # 条例第三十条
ANSWER_DAYS = 20  # 条例第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 条例第三十三条第二款
CONSULTATION_DAYS = 15  # 条例第三十二条、第三十四条
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 as implemented (四川省, regulation.md §3.6.1)
PROACTIVE_DAYS = 20  # 条例第二十六条
DUAL_PUBLICITY_DAYS = 7  # 国办发〔2015〕51号（十八）; regulation.md §4


@dataclass(frozen=True, slots=True)
class CountingRules:
    """The configurable conventions (see the module docstring)."""

    count_start_day: bool = False
    fee_pauses_answer_period: bool = False
    pause_excludes_start_day: bool = False


DEFAULT_RULES = CountingRules()


@dataclass(frozen=True, slots=True)
class Pause:
    """A period excluded from the answer period (条例第三十三条第三款).

    Working days after ``start`` up to and including ``end`` are not counted.
    """

    start: date
    end: date
    reason: str = "征求第三方或者其他机关意见"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"暂停期间的结束日{self.end.isoformat()}早于开始日{self.start.isoformat()}"
            )


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """A computed due date with its legal basis, flags and explanation steps."""

    rule: str
    event: str
    start: date
    working_days: int
    due: date
    flags: frozenset[str]
    steps: tuple[str, ...]
    pauses: tuple[Pause, ...] = ()

    @property
    def weekday_fallback(self) -> bool:
        """True when a year without data was counted as Monday to Friday."""
        return FLAG_WEEKDAY_FALLBACK in self.flags

    def explanation(self) -> str:
        """The steps as numbered lines."""
        return "\n".join(f"{i}. {s}" for i, s in enumerate(self.steps, start=1))

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data (ISO dates)."""
        return {
            "rule": self.rule,
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "flags": sorted(self.flags),
            "steps": list(self.steps),
        }


@dataclass(frozen=True, slots=True)
class DateResult:
    """A date fixed by a rule without counting (receipt date, annual-report deadline)."""

    rule: str
    value: date
    steps: tuple[str, ...]
    flags: frozenset[str] = field(default_factory=frozenset)

    def to_json(self) -> dict[str, Any]:
        """The result as JSON-ready data (ISO date)."""
        return {"rule": self.rule, "date": self.value.isoformat(), "steps": list(self.steps)}


# ----- the counting engine ----------------------------------------------------------------


def _merge(
    pauses: Iterable[Pause], excludes_start: bool = False
) -> list[tuple[int, int, list[Pause]]]:
    """Pauses as disjoint (after, through] ordinal intervals, in order, with their sources.

    By default the excluded working days are those after START up to and including END; with
    ``excludes_start`` the START day itself is excluded too.
    """
    merged: list[tuple[int, int, list[Pause]]] = []
    for p in sorted(pauses, key=lambda p: (p.start, p.end)):
        s, e = p.start.toordinal() - (1 if excludes_start else 0), p.end.toordinal()
        if merged and s <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], e), [*last[2], p])
        else:
            merged.append((s, e, [p]))
    return merged


def _due_ordinal(
    cal: WorkCalendar, after: int, n: int, merged: Sequence[tuple[int, int, list[Pause]]]
) -> int:
    """Ordinal of the n-th counted working day after ``after``, skipping paused spans."""
    pos, remaining = after, n
    for s, e, _ in merged:
        s = max(s, pos)
        if e <= s:
            continue
        available = cal.workdays_between(date.fromordinal(pos), date.fromordinal(s))
        if available >= remaining:
            break
        remaining -= available
        pos = e
    return cal.add_workdays(date.fromordinal(pos), remaining).toordinal()


def _count(
    cal: WorkCalendar,
    *,
    rule: str,
    event: str,
    start: date,
    n: int,
    rules: CountingRules = DEFAULT_RULES,
    pauses: Sequence[Pause] = (),
    intro: Sequence[str] = (),
) -> PeriodResult:
    if n < 1:
        raise PeriodError("期限的工作日数应为正整数")
    after = start.toordinal() - (1 if rules.count_start_day else 0)
    merged = _merge(pauses, rules.pause_excludes_start_day)
    due = _due_ordinal(cal, after, n, merged)
    fallback = cal.check_span(date.fromordinal(after), date.fromordinal(due))
    flags = frozenset({FLAG_WEEKDAY_FALLBACK}) if fallback else frozenset()
    steps = _explain(cal, rule, event, start, n, after, due, merged, rules, intro)
    return PeriodResult(
        rule, event, start, n, date.fromordinal(due), flags, tuple(steps), tuple(pauses)
    )


def _explain(
    cal: WorkCalendar,
    rule: str,
    event: str,
    start: date,
    n: int,
    after: int,
    due: int,
    merged: Sequence[tuple[int, int, list[Pause]]],
    rules: CountingRules,
    intro: Sequence[str],
) -> list[str]:
    steps = list(intro)
    steps.append(f"依据：{rule}，期限为{n}个工作日。")
    if rules.count_start_day:
        steps.append(f"{event}为{format_date(start)}；按本机关设置，该日如为工作日即计为第1日。")
    else:
        steps.append(f"{event}为{format_date(start)}；该日不计入，自次一工作日起计为第1日。")
    paused: set[int] = set()
    for s, e, sources in merged:
        reasons = "、".join(p.reason for p in sources)
        first_day = min(p.start for p in sources)
        span = f"{format_date(first_day)}至{format_date(date.fromordinal(e))}"
        if e <= after:
            steps.append(
                f"{span}的{reasons}在计算起点（{event}{format_date(start)}）之前已经结束，"
                "不影响本期限。"
            )
            continue
        if s >= due:
            steps.append(
                f"{date.fromordinal(s).isoformat()}开始的{reasons}在期限届满之后，不影响本期限。"
            )
            continue
        lo = max(s, after)
        excluded = cal.workdays_between(date.fromordinal(lo), date.fromordinal(e))
        which = "含开始日在内至结束日" if rules.pause_excludes_start_day else "开始日之后至结束日"
        if s < after:
            which = "其中计算起点之前的部分本来不计入，计算起点之后至结束日"
        paused.update(range(lo + 1, e + 1))
        steps.append(
            f"{span}为{reasons}，{which}的{excluded}个工作日不计入期限（条例第三十三条第三款）。"
        )
    count = 0
    weekend_days = 0
    run: list[tuple[date, str]] = []
    run_paused = False

    def flush_run() -> None:
        if run:
            first, last = run[0][0], run[-1][0]
            names = "、".join(dict.fromkeys(name for _, name in run if name)) or "节假日"
            span = (
                format_date(first)
                if first == last
                else f"{format_date(first)}至{format_date(last)}"
            )
            where = "（在暂停期间内）" if run_paused else ""
            steps.append(f"{span}为{names}放假，共{len(run)}天{where}，不计入。")
            run.clear()

    missing_years: set[int] = set()
    for o in range(after + 1, due + 1):
        d = date.fromordinal(o)
        info = cal.day_info(d)
        if info.assumed:
            missing_years.add(d.year)
        in_pause = o in paused
        if info.kind is DayKind.HOLIDAY:
            if run and run_paused != in_pause:
                flush_run()
            run_paused = in_pause
            run.append((d, info.name or ""))
            continue
        flush_run()
        if in_pause:
            if info.kind is DayKind.SHIFTED_WORKDAY:
                steps.append(
                    f"{format_date(d)}为{info.name or ''}调休上班日，但在暂停期间内，不计入。"
                )
            continue
        if info.kind is DayKind.SHIFTED_WORKDAY:
            count += 1
            steps.append(
                f"{format_date(d)}为{info.name or ''}调休上班日，计为工作日（第{count}日）。"
            )
        elif info.kind is DayKind.WORKDAY:
            count += 1
        else:
            weekend_days += 1
    flush_run()
    if count != n:  # the index and the day-by-day walk must agree
        raise AssertionError(f"explanation counted {count} working days, expected {n}")
    if weekend_days:
        steps.append(f"其间周六、周日共{weekend_days}天（非调休上班日），不计入。")
    for year in sorted(missing_years):
        steps.append(
            f"注意：{year}年节假日安排尚未导入，该年按周一至周五推定工作日；导入后须重新计算。"
        )
    steps.append(f"第{n}个工作日为{format_date(date.fromordinal(due))}，即期限届满之日。")
    return steps


# ----- the rules -------------------------------------------------------------------------


def receipt_date(
    channel: Channel,
    *,
    submitted_on: date | None = None,
    signed_on: date | None = None,
    arrived_on: date | None = None,
    confirmed_on: date | None = None,
) -> DateResult:
    """条例第三十一条：收到申请之日, by channel.

    当面提交/口头提出 → 提交之日; 邮寄需签收 → 签收之日; 平常信函 → 收到当日与申请人确认, 确认之日
    (``arrived_on`` is checked: confirmation must be on the day of arrival); 互联网渠道、传真
    → 双方确认之日.
    """
    rule = "条例第三十一条"
    kind = channel.receipt_rule
    needed: dict[ReceiptRule, tuple[str, date | None, str]] = {
        ReceiptRule.SUBMITTED: ("submitted_on", submitted_on, "第（一）项：当面提交的，以提交之日为收到申请之日"),
        ReceiptRule.SIGNED: ("signed_on", signed_on, "第（二）项：邮寄提交的，以行政机关签收之日为收到申请之日"),
        ReceiptRule.CONFIRMED_SAME_DAY: (
            "confirmed_on",
            confirmed_on,
            "第（二）项：平常信函等无需签收的，应当于收到申请的当日与申请人确认，确认之日为收到申请之日",
        ),
        ReceiptRule.CONFIRMED: (
            "confirmed_on",
            confirmed_on,
            "第（三）项：通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日",
        ),
    }  # fmt: skip
    name, value, text = needed[kind]
    if value is None:
        raise PeriodError(f"渠道“{channel.value}”需要{kind.value}（{name}）")
    steps = [f"渠道：{channel.value}。{rule}{text}。"]
    if kind is ReceiptRule.CONFIRMED_SAME_DAY and arrived_on is not None and arrived_on != value:
        steps.append(
            f"注意：信函于{format_date(arrived_on)}收到，确认却在{format_date(value)}；"
            "条例要求收到当日确认。"
        )
    steps.append(f"收到申请之日为{format_date(value)}。")
    return DateResult(rule, value, tuple(steps))


def correction_notice_deadline(
    received_on: date, cal: WorkCalendar, rules: CountingRules = DEFAULT_RULES
) -> PeriodResult:
    """条例第三十条：自收到申请之日起7个工作日内一次性告知申请人作出补正。"""
    return _count(
        cal,
        rule="条例第三十条（补正告知）",
        event="收到申请之日",
        start=received_on,
        n=CORRECTION_NOTICE_DAYS,
        rules=rules,
    )


def _fee_pauses(
    fee_periods: Sequence[tuple[date, date]], rules: CountingRules
) -> tuple[list[Pause], list[str]]:
    pauses: list[Pause] = []
    notes: list[str] = []
    for notice_on, paid_on in fee_periods:
        if paid_on < notice_on:
            raise PeriodError(f"缴费日{paid_on.isoformat()}早于收费通知日{notice_on.isoformat()}")
        if rules.fee_pauses_answer_period:
            pauses.append(Pause(notice_on, paid_on, "缴纳信息处理费"))
        else:
            notes.append(
                f"收费通知（{notice_on.isoformat()}至{paid_on.isoformat()}）按本机关设置不中止答复期限。"
            )
    return pauses, notes


def answer_deadline(
    received_on: date,
    cal: WorkCalendar,
    *,
    correction_received_on: date | None = None,
    pauses: Sequence[Pause] = (),
    fee_periods: Sequence[tuple[date, date]] = (),
    rules: CountingRules = DEFAULT_RULES,
) -> PeriodResult:
    """条例第三十三条：自收到申请之日起20个工作日内予以答复。

    After a 补正 the period runs from the receipt of the corrected application (条例第三十条，
    restarting from zero). Consultation pauses are excluded (条例第三十二条、第三十四条、第三十三条
    第三款); fee periods likewise when ``rules.fee_pauses_answer_period``.
    """
    return _answer(
        received_on, cal, ANSWER_DAYS, correction_received_on, pauses, fee_periods, rules, None
    )


def extended_deadline(
    received_on: date,
    cal: WorkCalendar,
    extension_days: int,
    *,
    correction_received_on: date | None = None,
    pauses: Sequence[Pause] = (),
    fee_periods: Sequence[tuple[date, date]] = (),
    rules: CountingRules = DEFAULT_RULES,
) -> PeriodResult:
    """条例第三十三条第二款：延长答复期限，经工作机构负责人同意并告知申请人，最长不超过20个工作日。

    Only one extension is possible; its days are added to the 20-day period (same pauses).
    """
    if not 1 <= extension_days <= MAX_EXTENSION_DAYS:
        raise PeriodError(
            f"延长期限为{extension_days}个工作日；条例第三十三条规定延长的期限最长不得超过20个工作日"
        )
    return _answer(
        received_on,
        cal,
        ANSWER_DAYS + extension_days,
        correction_received_on,
        pauses,
        fee_periods,
        rules,
        extension_days,
    )


def _answer(
    received_on: date,
    cal: WorkCalendar,
    n: int,
    correction_received_on: date | None,
    pauses: Sequence[Pause],
    fee_periods: Sequence[tuple[date, date]],
    rules: CountingRules,
    extension: int | None,
) -> PeriodResult:
    intro: list[str] = []
    start, event = received_on, "收到申请之日"
    if correction_received_on is not None:
        if correction_received_on < received_on:
            raise PeriodError("收到补正申请之日早于收到申请之日")
        start, event = correction_received_on, "收到补正申请之日"
        intro.append(
            f"申请于{format_date(received_on)}收到，经补正；依条例第三十条，"
            "答复期限自收到补正的申请之日起重新计算。"
        )
    fee_p, notes = _fee_pauses(fee_periods, rules)
    intro.extend(notes)
    if extension is None:
        rule = "条例第三十三条第二款（答复期限）"
    else:
        rule = "条例第三十三条第二款（答复期限及延长）"
        intro.append(
            f"经政府信息公开工作机构负责人同意并告知申请人，延长{extension}个工作日"
            f"（20＋{extension}＝{n}个工作日）。"
        )
    return _count(
        cal,
        rule=rule,
        event=event,
        start=start,
        n=n,
        rules=rules,
        pauses=[*pauses, *fee_p],
        intro=intro,
    )


def consultation_reply_deadline(
    received_on: date, cal: WorkCalendar, rules: CountingRules = DEFAULT_RULES
) -> PeriodResult:
    """条例第三十二条、第三十四条：自收到征求意见书之日起15个工作日内提出意见。"""
    return _count(
        cal,
        rule="条例第三十二条、第三十四条（征求意见）",
        event="收到征求意见书之日",
        start=received_on,
        n=CONSULTATION_DAYS,
        rules=rules,
    )


def fee_payment_deadline(
    notice_received_on: date, cal: WorkCalendar, rules: CountingRules = DEFAULT_RULES
) -> PeriodResult:
    """国办函〔2020〕109号（四川省实施通知）：收到收费通知次日起20个工作日内缴纳，逾期视为放弃申请。"""
    return _count(
        cal,
        rule="国办函〔2020〕109号（信息处理费缴纳）",
        event="收到收费通知之日",
        start=notice_received_on,
        n=FEE_PAYMENT_DAYS,
        rules=rules,
    )


def proactive_disclosure_deadline(
    formed_on: date, cal: WorkCalendar, rules: CountingRules = DEFAULT_RULES
) -> PeriodResult:
    """条例第二十六条：自该政府信息形成或者变更之日起20个工作日内及时公开。"""
    return _count(
        cal,
        rule="条例第二十六条（主动公开）",
        event="政府信息形成或者变更之日",
        start=formed_on,
        n=PROACTIVE_DAYS,
        rules=rules,
    )


def dual_publicity_deadline(
    decided_on: date, cal: WorkCalendar, rules: CountingRules = DEFAULT_RULES
) -> PeriodResult:
    """双公示（国办发〔2015〕51号（十八））：行政许可、行政处罚自作出决定之日起7个工作日内上网公开。"""
    return _count(
        cal,
        rule="国办发〔2015〕51号（双公示）",
        event="作出行政决定之日",
        start=decided_on,
        n=DUAL_PUBLICITY_DAYS,
        rules=rules,
    )


def annual_report_deadline(report_year: int, agency_kind: AgencyKind) -> DateResult:
    """条例第四十九条：部门每年1月31日前提交并公布上一年度报告；本级政府报告3月31日前公布。

    A calendar date, not moved for holidays. 乡镇、街道 are not named in Art. 49 (local notices
    set their dates), so :class:`PeriodError` is raised for ``AgencyKind.OTHER``.
    """
    rule = "条例第四十九条"
    year = report_year + 1
    if agency_kind is AgencyKind.DEPARTMENT:
        due = date(year, 1, 31)
        text = "县级以上人民政府部门应当在每年1月31日前向本级政府信息公开工作主管部门提交并向社会公布上一年度年度报告"
    elif agency_kind is AgencyKind.GOVERNMENT:
        due = date(year, 3, 31)
        text = "县级以上地方人民政府的政府信息公开工作主管部门应当在每年3月31日前向社会公布本级政府上一年度年度报告"
    else:
        raise PeriodError("条例第四十九条未规定乡镇、街道等的年度报告期限，请按本地通知设定")
    steps = (
        f"{rule}：{text}。",
        f"{report_year}年度报告的期限为{format_date(due)}（日历日期，不因节假日顺延）。",
    )
    return DateResult(rule, due, steps)


# ----- the case summary used by the CLI and the platform --------------------------------------


@dataclass(frozen=True, slots=True)
class CaseDeadlines:
    """The clock of one application: receipt, 补正 notice, answer and (optional) extension."""

    received_on: date
    correction_received_on: date | None
    correction_notice_due: PeriodResult
    answer_due: PeriodResult
    extended_due: PeriodResult | None

    @property
    def flags(self) -> frozenset[str]:
        """Union of the flags of every date (e.g. ``weekday_fallback``)."""
        out = self.correction_notice_due.flags | self.answer_due.flags
        return out | (self.extended_due.flags if self.extended_due else frozenset())

    def to_json(self) -> dict[str, Any]:
        """What ``xxgk deadline --json`` prints: ISO dates, flags, explanation steps."""
        data: dict[str, Any] = {
            "received_on": self.received_on.isoformat(),
            "correction_received_on": (
                self.correction_received_on.isoformat() if self.correction_received_on else None
            ),
            "correction_notice_due": self.correction_notice_due.due.isoformat(),
            "answer_due": self.answer_due.due.isoformat(),
            "flags": sorted(self.flags),
            "explanation": {
                "correction_notice_due": list(self.correction_notice_due.steps),
                "answer_due": list(self.answer_due.steps),
            },
        }
        if self.extended_due is not None:
            data["extended_due"] = self.extended_due.due.isoformat()
            data["explanation"]["extended_due"] = list(self.extended_due.steps)
        return data


def case_deadlines(
    received_on: date,
    cal: WorkCalendar,
    *,
    correction_received_on: date | None = None,
    pauses: Sequence[Pause] = (),
    extension_days: int | None = None,
    fee_periods: Sequence[tuple[date, date]] = (),
    rules: CountingRules = DEFAULT_RULES,
) -> CaseDeadlines:
    """条例第三十条、第三十三条：all the due dates of one application at once."""
    if extension_days is not None and not 1 <= extension_days <= MAX_EXTENSION_DAYS:
        raise PeriodError(
            f"延长期限为{extension_days}个工作日；条例第三十三条规定延长的期限最长不得超过20个工作日"
        )
    notice = correction_notice_deadline(received_on, cal, rules)
    kwargs: dict[str, Any] = {
        "correction_received_on": correction_received_on,
        "pauses": pauses,
        "fee_periods": fee_periods,
        "rules": rules,
    }
    answer = answer_deadline(received_on, cal, **kwargs)
    extended = (
        extended_deadline(received_on, cal, extension_days, **kwargs)
        if extension_days is not None
        else None
    )
    return CaseDeadlines(received_on, correction_received_on, notice, answer, extended)
