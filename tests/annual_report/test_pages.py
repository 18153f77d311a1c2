"""``--pages``: a scan saved as one picture per page is read as ONE report (the 淮安 2024 PDF
rendered with ``pdftoppm -r 150``, as in test_reader_ocr.py)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.annual_report.golden import load_golden
from tests.annual_report.samples import SAMPLES_DIR, SEED
from tests.conftest import in_ci
from xxgk.annual_report.readers import ocr
from xxgk.annual_report.reading import page_files
from xxgk.cli import main

CITY = SAMPLES_DIR / "huaian-city-2024.pdf"
#: As in test_reader_ocr.py: 200/200 cells measured; room for float rounding only.
FLOOR = 0.97


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ocr.available() or shutil.which("pdftoppm") is None:
        if in_ci():
            pytest.fail("CI must have the ocr extra and poppler-utils")
        pytest.skip("needs the ocr extra (rapidocr-onnxruntime) and pdftoppm")
    out = tmp_path_factory.mktemp("scan")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(CITY), str(out / "p")], check=True, timeout=120
    )
    assert len(list(out.glob("p-*.png"))) == 6
    return out


def _accuracy(out: str) -> float:
    rows = list(csv.DictReader(io.StringIO(out)))
    got = {(r["section"], r["table"], r["row"], r["column"]): r["value"] for r in rows}
    golden = load_golden("huaian-city-2024")
    return sum(1 for key, value in golden.items() if got.get(key) == value) / len(golden)


@pytest.mark.slow
def test_page_images_given_as_files_are_one_report(
    page_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(p) for p in page_files([page_dir])]
    status = main(["report", "parse", "--pages", *files, "--format", "csv"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.splitlines()[0] == "section,table,row,column,value"  # one report: no file column
    assert _accuracy(out) >= FLOOR


def test_a_folder_stands_for_its_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p-1.txt").write_bytes(SEED.read_bytes())  # the folder's files are read
    status = main(["report", "check", "--pages", str(tmp_path)])
    _, err = capsys.readouterr()
    assert status == 2 and "p-1.txt" in err and "必须是图片" in err


def test_folder_pages_are_in_natural_order(tmp_path: Path) -> None:
    for name in ("p-10.png", "p-2.png", "p-1.png", ".hidden"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in page_files([tmp_path])] == ["p-1.png", "p-2.png", "p-10.png"]


def test_a_page_that_is_not_a_picture_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["report", "parse", "--pages", str(SEED)])
    _, err = capsys.readouterr()
    assert status == 2 and "必须是图片" in err and "Traceback" not in err
