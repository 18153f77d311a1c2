"""Fuzzing the core readers (text, glued, HTML, Markdown), the assembler and the checks.

Whatever the input, reading ends in a Report or a ReportReadError — never another exception
— and checking a Report never raises. Bounded and derandomized, so CI time is fixed.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.annual_report.samples import CORE_SAMPLES, SEED
from xxgk.annual_report import ReportReadError, check, read
from xxgk.annual_report.assemble import assemble
from xxgk.annual_report.formats import FORMATS
from xxgk.annual_report.readers import glued, html, markdown, text

FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

LABELS = sorted(
    {r.label for f in FORMATS.values() for t in f.tables for r in t.rows if r.path}
    | {c.label for f in FORMATS.values() for t in f.tables for c in t.columns}
    | {t.caption for f in FORMATS.values() for t in f.tables if t.caption}
    | {"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"}
    | {"四、政府信息公开行政复议、行政诉讼情况", "信息内容", "2021年度政府信息公开工作年度报告"}
)
TOKENS = st.one_of(
    st.sampled_from(LABELS),
    st.sampled_from(
        [
            "\t",
            "\n",
            " ",
            "\n\n",
            "|",
            "|---|---|",
            "<td>",
            "</td>",
            "<tr>",
            "<table>",
            "</table>",
            "<br>",
            "元",
            "-",
            "+",
            ".",
        ]
    ),
    st.integers(min_value=0, max_value=10**12).map(str),
    st.text(max_size=8),
)
DOCS = st.lists(TOKENS, max_size=120).map("".join)


def _survives(data: bytes, front_end: object) -> None:
    try:
        raw = front_end.read_raw(data, source="fuzz")  # type: ignore[attr-defined]
        report = assemble(raw)
    except ReportReadError:
        return
    check(report)


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_through_the_dispatcher(data: bytes) -> None:
    try:
        report = read(data, name="fuzz")
    except ReportReadError:
        return
    check(report)


@FUZZ
@given(DOCS)
def test_label_soup_through_every_core_reader(doc: str) -> None:
    data = doc.encode("utf-8")
    for front_end in (text, glued, html, markdown):
        _survives(data, front_end)


_SEED = SEED.read_text(encoding="utf-8")
_GLUED = CORE_SAMPLES["pingtan-zone-2021"].read_text(encoding="utf-8")
_HTML = CORE_SAMPLES["shanghai-gov-office-2019"].read_text(encoding="utf-8")


def _mutate(base: str) -> st.SearchStrategy[str]:
    edit = st.tuples(
        st.integers(min_value=0, max_value=len(base)),
        st.integers(min_value=0, max_value=200),
        st.one_of(TOKENS, st.just("")),
    )

    def apply(edits: list[tuple[int, int, str]]) -> str:
        out = base
        for pos, length, insert in edits:
            pos = min(pos, len(out))
            out = out[:pos] + insert + out[pos + length :]
        return out

    return st.lists(edit, min_size=1, max_size=6).map(apply)


@FUZZ
@given(_mutate(_SEED))
def test_mutated_seed(doc: str) -> None:
    _survives(doc.encode("utf-8"), text)


@FUZZ
@given(_mutate(_GLUED))
def test_mutated_glued_page(doc: str) -> None:
    _survives(doc.encode("utf-8"), glued)


@FUZZ
@given(_mutate(_HTML))
def test_mutated_html_in_script(doc: str) -> None:
    _survives(doc.encode("utf-8"), html)
