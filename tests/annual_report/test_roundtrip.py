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


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_keeps_the_printed_scale_and_sign(kind: str) -> None:
    """The seed's 采购总金额 ``166.3700`` keeps its four decimals and its 本年增/减 ``+35`` its
    sign: the rendered document prints what the report's raw text says."""
    from tests.annual_report.samples import SEED

    assert SEED.exists()
    report = original("seed-000_37d7ff8d3b3e8faf")
    money = {k: c for k, c in report.cells.items() if isinstance(c.value, Decimal)}
    plus = {k: c for k, c in report.cells.items() if c.raw.strip().startswith("+")}
    assert [format(c.value, "f") for c in money.values()] == ["166.3700"]
    assert [c.raw.strip() for c in plus.values()] == ["+35"]
    back = read(render(report, kind), name=f"seed.{kind}")
    for key, cell in money.items():
        assert format(back.cells[key].value, "f") == format(cell.value, "f")
    for key in plus:
        assert back.cells[key].raw.strip() == "+35"
        assert back.cells[key].value == 35
