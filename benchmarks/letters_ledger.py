"""Benchmark: rendering letters (DOCX, PDF), issuing 文号, and the Excel ledger round trip.

Builds a throw-away database (SQLite in a temporary data dir, or ``DATABASE_URL``'s server)
with two agencies and N closed/open cases of one year, then prints timings of

* ``render_docx`` / ``render_pdf`` of a one-page reply (pure, no database),
* ``draft_letter`` + ``issue_number`` (number allocation + both files) for M replies,
* ``export_ledger`` of the N cases, ``import_ledger`` dry run and commit into the second
  agency (受理编号 prefixed, since they are unique across the platform), and the export of
  the imported cases compared cell by cell with the first (must be identical).

Prints figures only; asserts nothing about time.

    uv run python benchmarks/letters_ledger.py [--cases 2000] [--letters 50]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--letters", type=int, default=50)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="xxgk-bench-letters-")
    os.environ.setdefault("XXGK_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from openpyxl import load_workbook

    call_command("migrate", interactive=False, verbosity=0)
    from xxgk.accounts.models import Membership, User
    from xxgk.accounts.roles import Role
    from xxgk.agencies.models import Agency
    from xxgk.applications import clock
    from xxgk.applications.models import Applicant, Application
    from xxgk.ledger.operations import export_ledger, import_ledger
    from xxgk.letters import api as letters
    from xxgk.letters.render import LetterDoc, render_docx, render_pdf
    from xxgk.statute.taxonomies import ApplicantType

    print(f"database: {connection.vendor}; cases {args.cases}; letters {args.letters}")

    doc = LetterDoc(
        title="政府信息公开申请答复书",
        number="测政依复〔2026〕7号",
        addressee="张三",
        paragraphs=["2026年3月2日，本机关收到你提出的政府信息公开申请。" * 3] * 4,
        remedy="如对本答复不服，可以自收到本答复之日起六十日内向测试区人民政府申请行政复议。",
        closing="特此告知。",
        signer="测试区向阳街道办事处",
        dated=date(2026, 3, 7),
    )
    render_pdf(doc)  # warm-up (WeasyPrint import, font discovery)
    docx_t = [_timed(render_docx, doc)[1] for _ in range(20)]
    pdf_t = [_timed(render_pdf, doc)[1] for _ in range(10)]
    print(f"render_docx: median {statistics.median(docx_t) * 1000:.0f} ms (20 runs)")
    print(f"render_pdf:  median {statistics.median(pdf_t) * 1000:.0f} ms (10 runs)")

    suffix = os.getpid()
    source = Agency.objects.create(
        name="压测街道办事处", kind="street_office", slug=f"bench-a-{suffix}"
    )
    target = Agency.objects.create(name="压测镇人民政府", kind="township", slug=f"bench-b-{suffix}")
    users = {}
    for role in (Role.HANDLER, Role.LEADER, Role.ADMIN, Role.REGISTRAR):
        u = User.objects.create(username=f"bench-{role}-{suffix}")
        Membership.objects.create(user=u, agency=source, role=role)
        Membership.objects.create(user=u, agency=target, role=role)
        users[role] = u

    rng = random.Random(20261129)
    kinds = [t.value for t in ApplicantType]
    tz = timezone.get_current_timezone()
    apps = []
    for i in range(args.cases):
        received = date(2026, 1, 5) + timedelta(days=rng.randrange(0, 300))
        applicant = Applicant.objects.create(
            agency=source, kind=rng.choice(kinds), name=f"申请人{i}", id_type="other",
            id_number="", phone="13800138000", address="测试区一号路2号",
        )  # fmt: skip
        closed = rng.random() < 0.9
        app = Application(
            agency=source, number=f"BENCH{suffix}-{i:06d}", applicant=applicant,
            channel="in_person", status="closed" if closed else "open",
            description=f"第{i}件：某项目的审批文件", received_on=received,
            submitted_at=datetime.combine(received, datetime.min.time(), tzinfo=tz),
            answer_type="withheld_process" if closed else "",
            legal_basis=["第三十六条第（三）项", "第十六条第二款"] if closed else [],
            withheld_reasons="过程稿",
            decided_on=received + timedelta(days=10) if closed else None,
            closed_on=received + timedelta(days=10) if closed else None,
        )  # fmt: skip
        clock.apply_clock(app)
        apps.append(app)
    Application.objects.bulk_create(apps, batch_size=500)

    closed_apps = list(Application.objects.filter(agency=source, status="closed")[: args.letters])
    t = time.perf_counter()
    for app in closed_apps:
        letter = letters.draft_letter(app, "reply", actor=users[Role.HANDLER])
        letters.issue_number(letter, actor=users[Role.LEADER], on=app.decided_on)
    per = (time.perf_counter() - t) / max(1, len(closed_apps))
    print(
        f"draft_letter + issue_number: {per * 1000:.0f} ms per reply ({len(closed_apps)} replies)"
    )

    first, t_export = _timed(export_ledger, users[Role.ADMIN], source, personal_data=True)
    print(f"export_ledger: {t_export:.2f} s for {args.cases} cases ({len(first) // 1024} KB)")
    wb = load_workbook(io.BytesIO(first))
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2, max_col=1):
            row[0].value = f"B-{row[0].value}"
    out = io.BytesIO()
    wb.save(out)
    renumbered = out.getvalue()
    report, t_dry = _timed(import_ledger, users[Role.ADMIN], target, renumbered)
    print(f"import_ledger dry run: {t_dry:.2f} s, {report.valid_rows}/{report.rows} valid")
    report, t_commit = _timed(import_ledger, users[Role.ADMIN], target, renumbered, dry_run=False)
    print(f"import_ledger commit: {t_commit:.2f} s, {report.created} cases written")
    second = export_ledger(users[Role.ADMIN], target, personal_data=True)

    def cells(data: bytes, strip: bool) -> list[list[object]]:
        book = load_workbook(io.BytesIO(data))
        rows = [list(r) for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
        if strip:
            for r in rows[1:]:
                r[0] = str(r[0]).removeprefix("B-")
        return rows

    same = cells(first, False) == cells(second, True)
    print(f"round trip identical (numbers un-prefixed): {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
