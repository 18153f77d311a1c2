"""A bounded fuzz of the OCR front end's own code (no model): rule detection in a picture,
the grid builder, glyph placement, page layout and the page joiner.

Pictures are small random pages: some ruled lines drawn at random (so grids of every shape,
broken and overlapping, appear), random ink specks, and random recognised boxes standing in
for the model's output. Whatever comes in, the pipeline returns blocks; nothing raises.
Plain numpy and the readers' modules only: fast, and runs without the ``ocr`` extra.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.annual_report.raw import RawParagraph, RawTable
from xxgk.annual_report.readers._pdfgrid import Glyph, find_grids, place_glyphs
from xxgk.annual_report.readers._pdflayout import assemble, layout_page
from xxgk.annual_report.readers.ocr import DPI, page_rules

FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_lines = st.lists(
    st.tuples(st.booleans(), st.integers(0, 299), st.integers(0, 299), st.integers(0, 299)),
    max_size=24,
)
_specks = st.lists(st.tuples(st.integers(0, 299), st.integers(0, 199)), max_size=60)
_boxes = st.lists(
    st.tuples(
        st.sampled_from(
            ["0", "1", "7", "规章", "（一）予以公开", "第二十条第（一）项", "-3-", " "]
        ),
        st.integers(-20, 320),
        st.integers(-20, 320),
        st.integers(0, 80),
        st.integers(0, 30),
    ),
    max_size=30,
)


def _page(lines: list[tuple[bool, int, int, int]], specks: list[tuple[int, int]]) -> np.ndarray:
    gray = np.full((300, 200), 255, dtype=np.uint8)
    for horizontal, at, start, end in lines:
        a, b = sorted((start, end))
        if horizontal:
            gray[at, min(a, 199) : min(b, 199) + 1] = 0
        else:
            gray[a : b + 1, min(at, 199)] = 0
    for y, x in specks:
        gray[y, x] = 40
    return gray


@FUZZ
@given(st.lists(st.tuples(_lines, _specks, _boxes), min_size=1, max_size=3))
def test_ocr_layout_pipeline_never_raises(
    pages: list[
        tuple[
            list[tuple[bool, int, int, int]],
            list[tuple[int, int]],
            list[tuple[str, int, int, int, int]],
        ]
    ],
) -> None:
    layouts = []
    for number, (lines, specks, boxes) in enumerate(pages, start=1):
        gray = _page(lines, specks)
        hsegs, vsegs = page_rules(gray)
        for seg in hsegs:
            assert 0 <= seg.y < gray.shape[0] and seg.x0 < seg.x1 <= gray.shape[1]
        for vseg in vsegs:
            assert 0 <= vseg.x < gray.shape[1] and vseg.y0 < vseg.y1 <= gray.shape[0]
        grids = find_grids(hsegs, vsegs, DPI / 72 * 2.5)
        glyphs = [Glyph(text, x, y, x + w, y + h) for text, x, y, w, h in boxes]
        outside = place_glyphs(grids, glyphs) if grids else glyphs
        layouts.append(layout_page(number, grids, outside, glyphs, "fuzz.png", spaced=True))
    blocks = assemble(layouts, "fuzz.png", DPI / 72 * 5)
    assert all(isinstance(b, RawParagraph | RawTable) for b in blocks)
    for block in blocks:
        if isinstance(block, RawTable):
            assert all(c.rowspan >= 1 and c.colspan >= 1 for row in block.rows for c in row)


def test_a_drawn_grid_is_found_by_the_fuzzed_pipeline() -> None:
    """The generator can make a real table (so the fuzz reaches the grid code)."""
    lines = [(True, y, 10, 190) for y in (20, 80, 140)] + [
        (False, x, 20, 140) for x in (10, 100, 190)
    ]
    gray = _page(lines, [])
    grids = find_grids(*page_rules(gray), DPI / 72 * 2.5)
    assert len(grids) == 1 and len(grids[0].cells) == 4
