"""Benchmark: parse-and-check throughput of the annual-report engine, per input kind, and —
on the same PDFs, in the same run — pdfplumber's raw ``extract_tables`` and poppler's
``pdftotext -layout``, with the ratios.

Inputs (all from ``shared/``): flattened text (the seed), glued crawled text (平潭 2021),
HTML in a script (上海 2019), DOCX (the blank template, and 淮安 2024 rendered to DOCX by our
writer), PDF with a text layer (淮安 2024, 洪泽 2023).

"Parse and check" is ``check(read(bytes))``: sniffing, the front end (for a PDF: PDFium
text, ruling lines, grid, page joins), the assembler (labels → typed cells) and every check.
pdfplumber only extracts raw tables (lists of strings) from every page; pdftotext only
prints text, and its time includes starting the process (as a user would run it).

Each measurement is the median of ``--repeat`` timed runs after one warm-up run, in this
one process (so imports and PDFium's start-up are not counted, for any of the three).

    uv run python benchmarks/annual_report.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from xxgk.annual_report import check, read, render  # noqa: E402

SHARED = REPO.parent / "shared"
SAMPLES = SHARED / "annual_report_samples"
PDFS = [SAMPLES / "huaian-city-2024.pdf", SAMPLES / "huaian-hongze-district-2023.pdf"]


def timed(func: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` runs after a warm-up."""
    func()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def parse_and_check(data: bytes, name: str) -> Callable[[], object]:
    def run() -> object:
        report = read(data, name=name)
        return check(report)

    return run


def pdfplumber_tables(path: Path) -> Callable[[], object]:
    import pdfplumber

    def run() -> object:
        with pdfplumber.open(path) as document:
            return [page.extract_tables() for page in document.pages]

    return run


def pdftotext_layout(path: Path) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
        ).stdout

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    repeat = args.repeat

    city_docx = render(read(PDFS[0]), "docx")
    inputs: list[tuple[str, str, bytes]] = [
        (
            "text",
            "seed (东湖街道 2020)",
            (SHARED / "seed" / "000_37d7ff8d3b3e8faf.txt").read_bytes(),
        ),
        ("glued", "平潭 2021", (SAMPLES / "pingtan-zone-2021.page.txt").read_bytes()),
        (
            "html",
            "上海 2019 (HTML in JS)",
            (SAMPLES / "shanghai-gov-office-2019.data.js").read_bytes(),
        ),
        ("docx", "blank template", (SAMPLES / "blank-template-2021-format.docx").read_bytes()),
        ("docx", "淮安 2024 → DOCX", city_docx),
    ]
    for path in PDFS:
        inputs.append(("pdf", path.stem, path.read_bytes()))

    print(f"annual-report parse+check, median of {repeat} runs (ms per document)\n")
    print(f"{'kind':6} {'input':28} {'size':>9} {'ms':>9} {'docs/s':>8}")
    ours: dict[str, float] = {}
    for kind, label, data in inputs:
        suffix = {"text": ".txt", "glued": ".txt", "html": ".js"}.get(kind, f".{kind}")
        seconds = timed(parse_and_check(data, f"input{suffix}"), repeat)
        print(f"{kind:6} {label:28} {len(data):>9,} {seconds * 1000:>9.1f} {1 / seconds:>8.1f}")
        if kind == "pdf":
            ours[label] = seconds

    print("\nSame PDFs, same run (ms per document):\n")
    has_pdftotext = shutil.which("pdftotext") is not None
    print(
        f"{'pdf':28} {'ours':>8} {'plumber':>9} {'pdftotext':>10}"
        f" {'ours/plumber':>13} {'ours/pdftotext':>15}"
    )
    for path in PDFS:
        mine = ours[path.stem]
        plumber = timed(pdfplumber_tables(path), max(3, repeat // 3))
        text = timed(pdftotext_layout(path), repeat) if has_pdftotext else float("nan")
        print(
            f"{path.stem:28} {mine * 1000:>8.1f} {plumber * 1000:>9.1f} {text * 1000:>10.1f}"
            f" {mine / plumber:>13.3f} {mine / text:>15.2f}"
        )
    print(
        "\nTargets: ours/plumber < 1 (faster than pdfplumber's raw table extraction),"
        " ours/pdftotext ≤ 3."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
