"""End to end in a real browser (Debian's chromium via Playwright), the walk of issue 6:

online application → 补正 → corrected application → third-party consultation → extension →
部分公开 reply letter → sign-off (承办 → 审核 → 负责人) → delivery. At each step the due date the
case page shows is compared with :mod:`xxgk.statute.periods` computed here. The reply letter
DOCX (engineer B's ``xxgk.letters``) opens, cites the articles a 部分公开 requires and carries
the remedy clause of a refusal since 2024 (行政复议 first).

Each step is dated on its own working day in the past (the staff forms refuse future dates),
computed with the statute package's ``WorkCalendar``: receipt ≈40 working days ago, the 补正
notice 3 working days later, the corrected application 6 after that, the consultation sent 2
later and answered 5 after it, the extension 3 later, sign-off 4 later and posting the next
working day. So the 补正 restart and the consultation pause have real length, and every due
date the page shows is checked both against the statute package AND against what it would be
without the restart / without the pause (the test fails if either were ignored). All dates
stay in 2026 (2027 has no holiday data). Skips only when chromium is absent and we are not in
CI; in CI it must run.
"""

from __future__ import annotations

import io
import os
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.applications.conftest import VALID_ID
from tests.browser_support import chromium_path, launch
from xxgk.accounts.roles import Role
from xxgk.statute.calendar import load_calendar
from xxgk.statute.errors import CalendarYearMissing
from xxgk.statute.periods import (
    Pause,
    answer_deadline,
    consultation_reply_deadline,
    extended_deadline,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def statute(fn: Any, *args: Any, **kw: Any) -> str:
    """The statute package's due date (the flagged weekday fallback across a year without
    holiday data, as the platform does)."""
    try:
        return fn(*args, load_calendar(), **kw).due.isoformat()
    except CalendarYearMissing:
        return fn(*args, load_calendar(weekday_fallback=True), **kw).due.isoformat()


def workdays_before(today: date, n: int) -> date:
    """The working day ``n`` working days before ``today`` (by the statute calendar), so that
    ``add_workdays(result, n)`` is ``today`` or the last working day before it."""
    cal = load_calendar()
    day = today
    while not cal.is_workday(day):
        day -= timedelta(days=1)
    for _ in range(n):
        day -= timedelta(days=1)
        while not cal.is_workday(day):
            day -= timedelta(days=1)
    return day


def step_dates(today: date) -> dict[str, date]:
    """The date of each step, a distinct working day, in order, all before ``today``."""
    cal = load_calendar()
    received = workdays_before(today, 40)
    dates = {"received": received}
    for name, gap in (
        ("notice", 3),
        ("corrected", 6),
        ("sent", 2),
        ("party_received", 1),
        ("replied", 4),
        ("extended", 3),
        ("signed", 4),
        ("posted", 1),
    ):
        dates[name] = cal.add_workdays(list(dates.values())[-1], gap)
    return dates


def test_online_application_to_partial_disclosure_delivered(live_server, cast, tmp_path):
    chromium_path()
    import docx
    from playwright.sync_api import sync_playwright

    from xxgk.letters.api import remedy_clause

    slug, agency_id = cast.subordinate.slug, cast.subordinate.pk
    today = timezone.localdate()
    d = step_dates(today)
    assert d["received"].year == d["posted"].year == 2026 and d["posted"] < today
    assert sorted(set(d.values())) == list(d.values())  # distinct, in order
    iso = {name: day.isoformat() for name, day in d.items()}
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = launch(p)
        try:

            def page_for(role: str | None) -> Any:
                context = browser.new_context(locale="zh-CN", accept_downloads=True)
                page = context.new_page()
                page.set_default_timeout(20_000)
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                if role is not None:
                    page.goto(f"{live_server.url}/accounts/login/")
                    page.get_by_label("用户名").fill(cast.user("subordinate", role).username)
                    page.get_by_label("密码").fill(cast.PASSWORD)
                    page.get_by_role("button", name="登录").click()
                    page.wait_for_url("**/workspace/")
                return page

            # 1. online application
            citizen = page_for(None)
            citizen.goto(f"{live_server.url}/org/{slug}/apply/")
            citizen.select_option("#id_kind", "natural_person")
            citizen.locator("#id_name").fill("张三")
            citizen.select_option("#id_id_type", "resident_id")
            citizen.locator("#id_id_number").fill(VALID_ID)
            citizen.locator("#id_phone").fill("13800138000")
            citizen.locator("#id_address").fill("测试区一号路2号")
            citizen.locator("#id_description").fill("老旧小区改造")
            citizen.check("input[name=medium][value=paper]")
            citizen.check("input[name=delivery][value=post]")
            citizen.get_by_role("button", name="提交申请").click()
            citizen.wait_for_selector("#tracking-number")
            number = citizen.locator("#tracking-number").inner_text().strip()

            # the application was submitted online on the day it is confirmed, 40 working days
            # ago (the public form has no date: its submission and arrival dates are set back here)
            from xxgk.applications.models import Application

            submitted_at = timezone.make_aware(datetime.combine(d["received"], time(9, 30)))
            assert Application.objects.filter(agency_id=agency_id).count() == 1
            Application.objects.filter(agency_id=agency_id).update(
                submitted_at=submitted_at, arrived_on=d["received"]
            )

            registrar, handler = page_for(Role.REGISTRAR), page_for(Role.HANDLER)
            reviewer, leader = page_for(Role.REVIEWER), page_for(Role.LEADER)
            base = f"{live_server.url}/workspace/agencies/{agency_id}/applications/"
            registrar.goto(base + "?show=pending")
            registrar.get_by_role("link", name=number).click()
            case_url = registrar.url

            def step(
                page: Any,
                action: str,
                fields: dict[str, str],
                selects: dict[str, str] | None = None,
            ) -> None:
                page.goto(case_url)
                form = page.locator(f"#step-{action}")
                for name, value in (selects or {}).items():
                    form.locator(f"#id_{action}-{name}").select_option(value)
                for name, value in fields.items():
                    form.locator(f"#id_{action}-{name}").fill(value)
                form.locator("button[type=submit]").click()
                page.wait_for_load_state()
                errors = page.locator(".msg-error").all_inner_texts()
                assert errors == [], (action, errors)

            def shown(page: Any, selector: str = "#effective-due") -> str:
                return page.locator(selector).inner_text().strip().split()[0]

            # 2. the registrar confirms receipt → 20 working days from the day after
            received = d["received"]
            registrar.locator("#confirm-form #id_confirmed_on").fill(iso["received"])
            registrar.locator("#confirm-form #id_method").fill("电话")
            registrar.locator("#confirm-form").get_by_role("button", name="确认").click()
            registrar.wait_for_selector("#answer-due")
            no_restart = statute(answer_deadline, received)
            assert shown(registrar) == no_restart

            # 3. 补正: one notice listing every item, 10 working days; no answer period runs
            step(handler, "correction", {"items": "请写明所需文件的名称或文号\n请写明年份",
                                         "period_days": "10", "on": iso["notice"]})  # fmt: skip
            assert "待补正" in handler.locator("#effective-due").inner_text()
            try:
                period_end = load_calendar().add_workdays(d["notice"], 10)
            except CalendarYearMissing:
                period_end = load_calendar(weekday_fallback=True).add_workdays(d["notice"], 10)
            assert d["corrected"] <= period_end
            assert shown(handler, "#correction-deadline") == period_end.isoformat()

            # 4. the corrected application arrives → the answer period restarts from zero at it
            corrected = d["corrected"]
            step(registrar, "correction-received", {"on": iso["corrected"]})
            restarted = statute(answer_deadline, received, correction_received_on=corrected)
            assert shown(registrar) == restarted
            assert restarted == statute(answer_deadline, corrected)
            assert restarted != no_restart  # the restart is visible

            # 5. third-party consultation: 15 working days for the party from its receipt;
            # the time from sending to the reply (provisionally: the deadline) is excluded
            step(handler, "consult", {"party_name": "某物业公司", "matter": "合同含该公司的商业信息",
                                      "sent_on": iso["sent"],
                                      "party_received_on": iso["party_received"]},
                 {"kind": "third_party"})  # fmt: skip
            deadline = statute(consultation_reply_deadline, d["party_received"])
            assert deadline != statute(consultation_reply_deadline, d["sent"])
            assert handler.locator(".consultation-deadline").inner_text() == deadline
            pause = [Pause(d["sent"], date.fromisoformat(deadline))]
            waiting = statute(
                answer_deadline, received, correction_received_on=corrected, pauses=pause
            )
            assert shown(handler) == waiting
            assert waiting not in (restarted, no_restart)  # the pause is visible
            assert waiting != statute(answer_deadline, received, pauses=pause)  # and the restart
            step(handler, "consult-reply", {"replied_on": iso["replied"], "reply_text": "不同意公开合同单价"},
                 {"opinion": "disagree"})  # fmt: skip
            pause = [Pause(d["sent"], d["replied"])]
            answered = statute(
                answer_deadline, received, correction_received_on=corrected, pauses=pause
            )
            assert shown(handler) == answered
            # the pause ends at the reply: later than without it, earlier than to the deadline
            assert restarted < answered < waiting
            assert answered != statute(answer_deadline, received, pauses=pause)

            # 6. extension approved by the 负责人, before the due date in force
            assert d["extended"] <= date.fromisoformat(answered)
            step(leader, "extend", {"days": "15", "reason": "需调阅档案并区分处理",
                                    "on": iso["extended"]})  # fmt: skip
            extended = statute(
                extended_deadline,
                received,
                extension_days=15,
                correction_received_on=corrected,
                pauses=pause,
            )
            assert shown(leader) == extended
            assert extended != statute(  # without the pause
                extended_deadline, received, extension_days=15, correction_received_on=corrected
            )
            assert extended != statute(  # without the restart
                extended_deadline, received, extension_days=15, pauses=pause
            )
            assert extended > answered

            # 7. the 承办人's draft: 部分公开, then the reply letter draft, then review
            step(handler, "decide", {
                "legal_basis": "条例第三十七条\n条例第三十六条第（三）项\n条例第十五条\n条例第三十二条",
                "provided_information": "改造项目批复文件（合同单价已删除）。",
                "withheld_reasons": "合同单价属于第三方商业秘密，第三方不同意公开（条例第十五条、第三十二条）。",
            }, {"answer_type": "partial"})  # fmt: skip
            handler.locator("#letter-kind").select_option("reply")
            handler.locator("#draft-letter button").click()
            handler.wait_for_load_state()
            assert "（草稿）" in handler.locator("#letters").inner_text()
            step(handler, "submit", {"comment": "请审核"})
            assert shown(handler) == extended
            step(reviewer, "review", {"comment": "保密审查通过"}, {"approve": "1"})
            assert "待负责人签发" in reviewer.locator("#reply-stage").inner_text()

            # 8. the 负责人 signs: the 文号 is allocated
            step(leader, "sign", {"on": iso["signed"]}, {"approve": "1"})
            assert leader.locator("#reply-stage").inner_text().startswith("已签发")
            letters_text = leader.locator("#letters").inner_text()
            assert f"〔{d['signed'].year}〕" in letters_text and "已编号签发" in letters_text

            # 9. delivery by post
            step(registrar, "deliver", {"posted_on": iso["posted"], "tracking_number": "XA123456789CN"},
                 {"method": "post"})  # fmt: skip
            assert registrar.locator("#case-status").inner_text() == "已办结"
            assert shown(registrar, "#closed-on") == iso["posted"]
            assert iso["posted"] <= extended

            # 10. the reply letter DOCX
            with registrar.expect_download() as info:
                registrar.locator("a.letter-docx[data-kind=reply]").click()
            data = info.value.path().read_bytes()
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
            for article in ("第三十七条", "第三十六条第（三）项", "第十五条"):
                assert article in text
            assert remedy_clause(cast.subordinate, "partial", d["signed"]) in text
            assert "应当先申请行政复议" in text and "上级主管部门" not in text

            # 11. the timeline lists every step with its legal effect
            registrar.locator("#timeline-link").click()
            timeline = registrar.locator("#timeline").inner_text()
            for label in (
                "收到申请",
                "告知补正",
                "收到补正的申请",
                "征求意见",
                "延期",
                "拟办",
                "审核",
                "负责人签发",
                "送达",
            ):
                assert label in timeline, label
            assert VALID_ID not in registrar.content()
        finally:
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    assert dialogs == []
