"""Round trip: every sample rendered to DOCX, HTML, PDF and XLSX and read back has exactly the
cells it had (same coordinates, same values — blank stays blank, units kept)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.annual_report.samples import CORE_SAMPLES, SAMPLES_DIR
from xxgk.annual_report import Report, read, render
from xxgk.annual_report.model import CellKey

SAMPLES: dict[str, Path] = {
    **CORE_SAMPLES,
    "huaian-city-2024": SAMPLES_DIR / "huaian-city-2024.pdf",
    "huaian-hongze-district-2023": SAMPLES_DIR / "huaian-hongze-district-2023.pdf",
    "blank-template-2021-format": SAMPLES_DIR / "blank-template-2021-format.docx",
}
KINDS = ("docx", "html", "pdf", "xlsx")

_read_cache: dict[str, Report] = {}


def original(name: str) -> Report:
    if name not in _read_cache:
        _read_cache[name] = read(SAMPLES[name])
    return _read_cache[name]


def cells(report: Report) -> dict[CellKey, tuple[int | Decimal | None, str | None]]:
    return {key: (cell.value, cell.unit) for key, cell in report.cells.items()}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_round_trip_keeps_every_cell(name: str, kind: str) -> None:
    report = original(name)
    assert report.cells, "the sample must have cells to compare"
    data = render(report, kind)
    back = read(data, name=f"{name}.{kind}")
    assert cells(back) == cells(report)
    assert (back.version, back.year) == (report.version, report.year)
