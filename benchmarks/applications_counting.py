"""Benchmark: counting a year of cases into tables 三 and 四 (``xxgk.applications.counting``),
and recomputing the clocks of open cases with consultations (``clock.recompute_open_cases``).

Builds a throw-away database (SQLite in a temporary data dir, or ``DATABASE_URL``'s server)
with one agency, N cases over two years (random applicant types, answer types, ~8 % still
open, a consultation on every tenth open case) and N/10 appeals, then prints timings. Prints
figures only; asserts nothing about time.

    uv run python benchmarks/applications_counting.py [--cases 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="xxgk-bench-count-")
    os.environ.setdefault("XXGK_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from xxgk.agencies.models import Agency
    from xxgk.appeals.models import Appeal
    from xxgk.applications import clock
    from xxgk.applications.counting import count_year
    from xxgk.applications.models import Applicant, Application, Consultation, Status
    from xxgk.statute.outcomes import FormatVersion
    from xxgk.statute.taxonomies import AnswerType, ApplicantType

    rng = random.Random(20261129)
    agency = Agency.objects.create(
        name="压测街道办事处", kind="street_office", slug=f"bench-{os.getpid()}"
    )
    kinds = [t.value for t in ApplicantType]
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(
                agency=agency,
                kind=rng.choice(kinds),
                name=f"申请人{i}",
                id_type="resident_id",
                id_number=f"{i:018d}",
                id_key=f"k{i}",
            )
            for i in range(500)
        ]
    )
    answers = [a.value for a in AnswerType]
    tz = timezone.get_current_timezone()
    rows = []
    t0 = time.perf_counter()
    for i in range(args.cases):
        received = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
        open_case = rng.random() < 0.08
        closed = None if open_case else received + timedelta(days=rng.randrange(1, 45))
        rows.append(
            Application(
                agency=agency,
                number=f"B{i:09d}",
                applicant=rng.choice(applicants),
                channel="in_person",
                status=Status.OPEN if open_case else Status.CLOSED,
                description="压测",
                submitted_at=datetime.combine(received, datetime.min.time(), tz),
                received_on=received,
                answer_type="" if open_case else rng.choice(answers),
                closed_on=closed,
            )
        )
    Application.objects.bulk_create(rows, batch_size=2000)
    ids = list(Application.objects.filter(agency=agency).values_list("pk", "status", "received_on"))
    Consultation.objects.bulk_create(
        [
            Consultation(
                agency=agency,
                application_id=pk,
                kind="third_party",
                party_name="第三方",
                sent_on=rec,
                party_received_on=rec,
                deadline=rec + timedelta(days=21),
            )
            for n, (pk, status, rec) in enumerate(ids)
            if status == Status.OPEN and n % 10 == 0
        ]
    )
    closed_ids = [pk for pk, status, _ in ids if status == Status.CLOSED]
    Appeal.objects.bulk_create(
        [
            Appeal(
                agency=agency,
                application_id=rng.choice(closed_ids),
                kind=rng.choice(["review", "suit_direct", "suit_after_review"]),
                filed_on=date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
                body="某机关",
                result=rng.choice(["upheld", "corrected", "other", "pending"]),
                decided_on=date(2025, 6, 1) + timedelta(days=rng.randrange(400)),
            )
            for _ in range(args.cases // 10)
        ]
    )
    built = time.perf_counter() - t0
    print(
        f"database: {connection.vendor}; cases {args.cases}, appeals {args.cases // 10}, built in {built:.1f} s"
    )
    for version in FormatVersion:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            report = count_year(agency, 2025, version)
            times.append(time.perf_counter() - t)
        total = sum(
            int(c.value or 0)
            for k, c in report.cells.items()
            if k.section == "三" and k.row[-1] == "（七）总计" and k.column[-1] == "总计"
        )
        print(f"count_year(2025, {version.value}): median {statistics.median(times) * 1000:.0f} ms, "
              f"min {min(times) * 1000:.0f} ms over {args.runs} runs; 办理结果总计 {total}")  # fmt: skip
    open_n = Application.objects.open().count()
    t = time.perf_counter()
    done = clock.recompute_open_cases()
    print(
        f"recompute_open_cases: {done} open cases (of {open_n}) in {time.perf_counter() - t:.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
