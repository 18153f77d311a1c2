"""Sub-commands of the statute package: ``calendar``, ``deadline``, ``fee``.

Pure: no Django. Text for people, ``--json`` for machines; exit 0 clean, 2 unusable input
(any :class:`StatuteError` becomes a plain-words message, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from xxgk.statute.calendar import (
    WEEKDAYS_CN,
    YearSchedule,
    diff_schedules,
    load_calendar,
    save_schedule,
    workday_changes,
)
from xxgk.statute.errors import (
    CalendarDataError,
    CalendarYearMissing,
    DateOutOfRange,
    StatuteError,
)
from xxgk.statute.fees import FeeResult, fee_by_items, fee_by_pages
from xxgk.statute.notice import describe_days, parse_notice
from xxgk.statute.periods import CountingRules, Pause, PeriodResult, case_deadlines

# Dates the CLI accepts (the calendar's index span); others are typing errors, not missing years.
_FIRST_YEAR, _LAST_YEAR = 1990, 2100


def _usage_error(message: str) -> Exception:
    from xxgk.cli import UsageError

    return UsageError(message)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _guarded(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except CalendarYearMissing as exc:
            raise _usage_error(
                f"{exc} (no holiday data for {exc.year}: load the State Council notice with "
                f"`xxgk calendar load <通知>`, e.g. 国务院办公厅关于{exc.year}年部分节假日安排的通知; "
                "or pass --weekday-fallback to count Monday–Friday, flagged)"
            ) from None
        except DateOutOfRange as exc:
            raise _usage_error(
                f"date out of supported range ({exc.first.year}–{exc.last.year}): {exc}"
            ) from None
        except StatuteError as exc:
            raise _usage_error(str(exc)) from None

    return run


def register(subparsers: Any) -> None:
    """Add ``calendar``, ``deadline`` and ``fee`` to the ``xxgk`` parser."""
    cal = subparsers.add_parser(
        "calendar", help="working-day calendar: load a year's 放假安排, show a year"
    )
    cal_sub = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    load = cal_sub.add_parser(
        "load",
        help="load a year from the State Council notice text or a JSON file",
        description=(
            "Read FILE (the 国务院办公厅 notice exactly as published, or a JSON file with year, "
            "holidays, workdays), show day by day what was understood, then save it into the "
            "data folder. Without --yes or --dry-run it asks on a terminal and refuses "
            "otherwise. A notice that cannot be fully accounted for is refused (exit 2)."
        ),
    )
    load.add_argument("file", metavar="FILE", help="notice text or JSON file ('-' for stdin)")
    load.add_argument("--year", type=int, help="the year, if the notice has no title")
    group = load.add_mutually_exclusive_group()
    group.add_argument("--yes", action="store_true", help="save without asking")
    group.add_argument("--dry-run", action="store_true", help="only show; save nothing")
    load.add_argument("--json", action="store_true", help="print the understood days as JSON")
    load.set_defaults(func=_guarded(_calendar_load))

    show = cal_sub.add_parser("show", help="show one year's holidays and 调休 working days")
    show.add_argument("year", type=int, metavar="YEAR")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=_guarded(_calendar_show))

    dl = subparsers.add_parser(
        "deadline",
        help="statutory due dates of one application (条例第三十条、第三十三条)",
        description=(
            "Due dates in 工作日. The receipt day is not counted (the next working day is day 1) "
            "unless --count-receipt-day. A pause START END excludes the working days after "
            "START up to and including END."
        ),
    )
    dl.add_argument("--received", type=_iso_date, required=True, metavar="DATE")
    dl.add_argument("--correction-received", type=_iso_date, metavar="DATE")
    dl.add_argument(
        "--pause",
        nargs=2,
        type=_iso_date,
        action="append",
        default=[],
        metavar=("START", "END"),
        help="consultation (条例第三十二、三十四条), excluded from the answer period; repeatable",
    )
    dl.add_argument("--extension", type=int, metavar="N", help="extension in working days (≤20)")
    dl.add_argument(
        "--fee-period",
        nargs=2,
        type=_iso_date,
        action="append",
        default=[],
        metavar=("NOTICE", "PAID"),
        help="fee notice served and paid; pauses the answer period only with --fee-pauses",
    )
    dl.add_argument("--fee-pauses", action="store_true", help="fee periods pause the clock")
    dl.add_argument("--count-receipt-day", action="store_true", help="count the receipt day")
    dl.add_argument(
        "--pause-excludes-start",
        action="store_true",
        help="a pause also excludes its START day (default: only the days after START)",
    )
    dl.add_argument(
        "--weekday-fallback",
        action="store_true",
        help="treat years without data as Monday–Friday (results are flagged)",
    )
    dl.add_argument("--explain", action="store_true", help="print the steps of each date")
    dl.add_argument("--json", action="store_true")
    dl.set_defaults(func=_guarded(_deadline))

    fee = subparsers.add_parser(
        "fee", help="信息处理费 (国办函〔2020〕109号): --items N per month, or --pages P"
    )
    which = fee.add_mutually_exclusive_group(required=True)
    which.add_argument("--items", type=int, metavar="N", help="applications in one month")
    which.add_argument("--pages", type=int, metavar="P", help="pages of one application")
    fee.add_argument("--explain", action="store_true")
    fee.add_argument("--json", action="store_true")
    fee.set_defaults(func=_guarded(_fee))


# ----- calendar --------------------------------------------------------------------------


def _read_input(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _usage_error(f"{name}: no such file") from None
    except UnicodeDecodeError:
        raise _usage_error(f"{name}: not UTF-8 text") from None
    except OSError as exc:
        raise _usage_error(f"{name}: cannot read ({exc.strerror})") from None


def _calendar_load(args: argparse.Namespace) -> int:
    text = _read_input(args.file)
    lines: list[str] = []
    preview: dict[str, Any] = {}
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _usage_error(
                f"{args.file}: not valid JSON ({exc.msg}, line {exc.lineno})"
            ) from None
        schedule = YearSchedule.from_json(data, where=args.file)
        if args.year is not None and args.year != schedule.year:
            raise _usage_error(f"{args.file} is for {schedule.year}, not {args.year}")
        lines.append(f"结构化文件：{schedule.year}年")
        preview["input"] = "structured"
    else:
        parsed = parse_notice(text, year=args.year)
        schedule = parsed.schedule
        lines.append(f"通知：{parsed.title or '（无标题）'} → {parsed.year}年")
        for item in parsed.items:
            off = "、".join(d.isoformat() for d in item.holidays)
            on = "、".join(d.isoformat() for d in item.workdays) or "无"
            lines.append(
                f"  第{item.number}项（第{item.line}行）{item.names}：放假 {off}；上班 {on}"
            )
            lines.extend(f"    倡导性内容（不改变放假安排）：{a}" for a in item.advisories)
        if parsed.ignored_lines:
            lines.append("未作为安排读取的行（标题、抬头、说明、落款），全文：")
            lines.extend(f"  第{n}行：{t}" for n, t in parsed.ignored_lines)
        preview["input"] = "notice"
        preview["title"] = parsed.title
        preview["items"] = [
            {
                "number": item.number,
                "line": item.line,
                "names": item.names,
                "holidays": [d.isoformat() for d in item.holidays],
                "workdays": [d.isoformat() for d in item.workdays],
                "advisories": list(item.advisories),
            }
            for item in parsed.items
        ]
        preview["ignored_lines"] = [{"line": n, "text": t} for n, t in parsed.ignored_lines]
    comparison, compare_lines = _compare_with_current(schedule)
    if args.json:
        print(
            json.dumps(
                {**schedule.to_json(), **preview, "comparison": comparison},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print("\n".join(lines))
        print(f"逐日（放假{len(schedule.holidays)}天，调休上班{len(schedule.workdays)}天）：")
        for row in describe_days(schedule):
            print(f"  {row}")
        print("\n".join(compare_lines))
    if args.dry_run:
        print("（--dry-run：未保存）", file=sys.stderr)
        return 0
    if not args.yes:
        if not sys.stdin.isatty() or args.file == "-":
            raise _usage_error("not saved: pass --yes to save, or --dry-run to only show")
        try:
            answer = input(f"保存{schedule.year}年安排？[y/N] ").strip().lower()
        except (EOFError, KeyboardInterrupt):  # Ctrl-D / Ctrl-C at the prompt: "no"
            print(file=sys.stderr)
            answer = ""
        if answer not in {"y", "yes", "是"}:
            print("未保存。", file=sys.stderr)
            return 1
    path = save_schedule(schedule)
    print(f"已保存：{path}", file=sys.stderr)
    return 0


def _compare_with_current(schedule: YearSchedule) -> tuple[dict[str, Any], list[str]]:
    """The schedule against the data in force: the listed days, then the effect on 工作日."""
    try:
        cal = load_calendar()
    except CalendarDataError as exc:  # a corrupt stored year must not block its repair
        return {"status": "unreadable", "error": str(exc)}, [f"现有数据无法读取：{exc}"]
    current = cal.schedule(schedule.year)
    data: dict[str, Any] = {"current_source": current.source if current else None}
    out: list[str] = []
    if current is None:
        data["status"] = "no_data"
        out.append(f"现有数据：{schedule.year}年尚无数据。")
    else:
        diff = diff_schedules(current, schedule)
        data["status"] = "same" if diff.same else "different"
        data["only_new"] = [{"date": d.isoformat(), "what": w} for d, w in diff.only_new]
        data["only_old"] = [{"date": d.isoformat(), "what": w} for d, w in diff.only_old]
        if diff.same:
            out.append(f"与现有数据（{current.source}）逐日一致。")
        else:
            out.append(f"与现有数据（{current.source}）不同：")
            out.extend(
                f"  + {d.isoformat()} {WEEKDAYS_CN[d.weekday()]} {w}" for d, w in diff.only_new
            )
            out.extend(
                f"  - {d.isoformat()} {WEEKDAYS_CN[d.weekday()]} {w}" for d, w in diff.only_old
            )
    changes = workday_changes(cal, cal.with_schedule(schedule), schedule.year)
    data["workday_changes"] = [c.to_json() for c in changes]
    if current is not None and not changes:
        out.append("保存后工作日无任何变化。")
    elif changes:
        out.append(f"保存后工作日变化（{len(changes)}天）：")
        out.extend(
            f"  {c.day.isoformat()} {WEEKDAYS_CN[c.day.weekday()]} "
            f"{c.label(c.before)} → {c.label(c.after)}"
            for c in changes
        )
    return data, out


def _calendar_show(args: argparse.Namespace) -> int:
    cal = load_calendar()
    schedule = cal.schedule(args.year)
    if schedule is None:
        raise _usage_error(
            f"{args.year}年节假日安排尚未导入 (no data for {args.year}; load the State Council "
            "notice with: xxgk calendar load FILE)"
        )
    if args.json:
        print(json.dumps(schedule.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"{args.year}年  来源：{schedule.source or '未注明'}")
    print(f"放假{len(schedule.holidays)}天，调休上班{len(schedule.workdays)}天：")
    for row in describe_days(schedule):
        print(f"  {row}")
    following = cal.schedule(args.year + 1)
    if following is not None:
        carried = YearSchedule(
            args.year + 1,
            {d: n for d, n in following.holidays.items() if d.year == args.year},
            {d: n for d, n in following.workdays.items() if d.year == args.year},
        )
        if carried.holidays or carried.workdays:
            print(f"另：{args.year}年年底以下日期由{args.year + 1}年的安排规定：")
            for row in describe_days(carried):
                print(f"  {row}")
    return 0


# ----- deadline --------------------------------------------------------------------------


def _deadline(args: argparse.Namespace) -> int:
    rules = CountingRules(
        count_start_day=args.count_receipt_day,
        fee_pauses_answer_period=args.fee_pauses,
        pause_excludes_start_day=args.pause_excludes_start,
    )
    if args.extension is not None and not 1 <= args.extension <= 20:
        raise _usage_error(
            f"--extension {args.extension}: an extension is 1 to 20 working days "
            "(条例第三十三条：延长的期限最长不得超过20个工作日)"
        )
    given = [args.received, args.correction_received]
    given += [d for pair in [*args.pause, *args.fee_period] for d in pair]
    for d in given:
        if d is not None and not _FIRST_YEAR <= d.year <= _LAST_YEAR:
            raise _usage_error(
                f"date out of supported range ({_FIRST_YEAR}–{_LAST_YEAR}): {d.isoformat()}"
            )
    cal = load_calendar(weekday_fallback=args.weekday_fallback)
    pauses = [Pause(s, e) for s, e in args.pause]
    result = case_deadlines(
        args.received,
        cal,
        correction_received_on=args.correction_received,
        pauses=pauses,
        extension_days=args.extension,
        fee_periods=[(a, b) for a, b in args.fee_period],
        rules=rules,
    )
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    rows: list[tuple[str, PeriodResult]] = [
        ("补正告知期限", result.correction_notice_due),
        ("答复期限", result.answer_due),
    ]
    if result.extended_due is not None:
        rows.append(("延长后答复期限", result.extended_due))
    print(f"收到申请之日：{result.received_on.isoformat()}")
    if result.correction_received_on is not None:
        print(f"收到补正申请之日：{result.correction_received_on.isoformat()}")
    for label, r in rows:
        mark = (
            " [含按周一至周五推定的日期，导入节假日安排后须重新计算]" if r.weekday_fallback else ""
        )
        print(f"{label}：{r.due.isoformat()}（{r.rule}，{r.working_days}个工作日）{mark}")
    if args.explain:
        for label, r in rows:
            print(f"\n{label}：")
            print(r.explanation())
    return 0


# ----- fee -------------------------------------------------------------------------------


def _fee(args: argparse.Namespace) -> int:
    result: FeeResult
    if args.items is not None:
        if args.items < 1:
            raise _usage_error("--items must be 1 or more")
        result = fee_by_items(args.items)
    else:
        if args.pages < 1:
            raise _usage_error("--pages must be 1 or more")
        result = fee_by_pages(args.pages)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"{result.fee_yuan} 元（{result.basis}，{result.units}{result.unit_name}）")
    if args.explain:
        for step in result.steps:
            print(f"  {step}")
    return 0
