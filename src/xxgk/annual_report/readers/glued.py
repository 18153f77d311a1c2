"""Crawled page text whose table cells are glued together (the 平潭 pages).

A crawler that drops the table markup leaves ``一、本年新收政府信息公开申请数量640020470``:
the seven cells 64, 0, 0, 2, 0, 4, 70 with nothing between them. This front end finds the
format's labels in the text, takes the digit run after each row label and splits it:

- table 三: every split of a row into seven cells whose last (总计) equals the sum of the six
  others (R3); when a row allows several, the combinations are filtered by the column
  relations R1 and R2 across rows;
- table 四: fifteen cells in three groups, each group's 总计 the sum of its four (R5);
- section 二: no relation binds the cells, so the split is chosen by plausibility (本年增/减
  is usually 0; 现行有效件数 ≥ 本年制发件数; balanced lengths) and flagged.

A space in the run is a cell boundary. Whenever more than one split remains, the note
``READ.ambiguous_split`` lists the alternatives (the cells are then uncertain). Enumeration is
bounded (a budget of candidate splits per row), so hostile input cannot blow up.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from xxgk.annual_report.formats import FORMATS, SECTION_HEADINGS, CellKind, Table, label_key
from xxgk.annual_report.raw import Location, RawCell, RawDocument, RawParagraph, RawTable
from xxgk.annual_report.readers.text import decode_text
from xxgk.statute.outcomes import (
    RESULTS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_RESULTS_TOTAL,
    FormatVersion,
)

__all__ = ["read_raw", "read_text", "split_free", "split_sum", "split_table4"]

MAX_PART = 12  # digits in one cell
BUDGET = 20_000  # candidate splits examined per run
MAX_KEEP = 64  # candidates kept per run

_HEADINGS = {
    "一": ("一、总体情况",),
    "二": ("二、主动公开政府信息情况",),
    "三": ("三、收到和处理政府信息公开申请情况",),
    "四": ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开"),
    "五": (
        "五、存在的主要问题及改进情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "五、存在问题及改进情况",
    ),
    "六": ("六、其他需要报告的事项",),
}
_RUN = re.compile(r"^[\s\d.,+\-−元万]*$")
_SUB_ROW = re.compile(
    r"([^\s\d+\-−.,，。；：、]{2,20})\s*([\s\d.,+\-−]*\d[\s\d.,+\-−]*(?:万元|元)?)"
)
_LEAD = re.compile(r"^[\s\d.,+\-−]*(?:万元|元)?")
_SUBHEAD = re.compile(r"(?=（[一二三四五六七八九十]）)")


# -- splitting --------------------------------------------------------------------------------
@dataclass(slots=True)
class _Budget:
    left: int = BUDGET

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _ok(part: str, allow_dot: bool = False, signed: bool = False) -> bool:
    if signed and part[:1] in ("+", "-", "−") and len(part) > 1:
        return part[1:] != "0" and _ok(part[1:])
    if not part or len(part) > MAX_PART + (3 if allow_dot else 0):
        return False
    if allow_dot and "." in part:
        whole, _, frac = part.partition(".")
        return bool(whole) and bool(frac) and (whole == "0" or whole[0] != "0")
    return part.isdigit() and (part == "0" or part[0] != "0")


def _cuts_ok(start: int, end: int, cuts: frozenset[int]) -> bool:
    return not any(start < c < end for c in cuts)


def split_sum(
    run: str, n: int, cuts: frozenset[int] = frozenset(), budget: _Budget | None = None
) -> list[list[str]]:
    """Splits of ``run`` into ``n`` cells whose last equals the sum of the others.

    ``cuts`` are forced boundaries (positions in ``run``). No cell has a leading zero.
    """
    budget = budget or _Budget()
    out: list[list[str]] = []
    length = len(run)
    for k in range(1, min(MAX_PART, length - (n - 1)) + 1):
        start = length - k
        total = run[start:]
        if not _ok(total) or not _cuts_ok(start, length, cuts):
            continue
        target = int(total)
        for parts in _sum_prefix(run, 0, start, n - 1, target, cuts, budget):
            out.append([*parts, total])
            if len(out) >= MAX_KEEP:
                return out
        if budget.left < 0:
            break
    return out


def _sum_prefix(
    run: str, pos: int, end: int, n: int, target: int, cuts: frozenset[int], budget: _Budget
) -> Iterator[list[str]]:
    if not budget.spend():
        return
    if n == 1:
        part = run[pos:end]
        if _ok(part) and _cuts_ok(pos, end, cuts) and int(part) == target:
            yield [part]
        return
    for k in range(1, min(MAX_PART, end - pos - (n - 1)) + 1):
        part = run[pos : pos + k]
        if not _ok(part) or not _cuts_ok(pos, pos + k, cuts):
            continue
        value = int(part)
        if value > target:
            break
        for rest in _sum_prefix(run, pos + k, end, n - 1, target - value, cuts, budget):
            yield [part, *rest]


def split_table4(run: str, cuts: frozenset[int] = frozenset()) -> list[list[str]]:
    """Splits of section 四's run into 15 cells: three groups of four plus their 总计 (R5)."""
    budget = _Budget()
    out: list[list[str]] = []

    def rec(pos: int, groups: int, acc: list[str]) -> None:
        if len(out) >= MAX_KEEP or budget.left < 0:
            return
        if groups == 0:
            if pos == len(run):
                out.append(acc)
            return
        remaining = len(run) - pos
        for g in range(5, remaining - 5 * (groups - 1) + 1):
            shifted = frozenset(c - pos for c in cuts if pos < c < pos + g)
            for parts in split_sum(run[pos : pos + g], 5, shifted, budget):
                rec(pos + g, groups - 1, [*acc, *parts])

    rec(0, 3, [])
    return out


def split_free(
    run: str, kinds: list[CellKind], cuts: frozenset[int] = frozenset()
) -> list[list[str]]:
    """Every split of ``run`` into ``len(kinds)`` cells (money cells may hold a decimal)."""
    budget = _Budget()
    out: list[list[str]] = []

    def rec(pos: int, i: int, acc: list[str]) -> None:
        if len(out) >= MAX_KEEP or not budget.spend():
            return
        money, signed = kinds[i] is CellKind.MONEY, kinds[i] is CellKind.SIGNED
        if i == len(kinds) - 1:
            part = run[pos:]
            if _ok(part, money, signed) and _cuts_ok(pos, len(run), cuts):
                out.append([*acc, part])
            return
        for k in range(1, len(run) - pos - (len(kinds) - i - 1) + 1):
            part = run[pos : pos + k]
            if not _ok(part, money, signed) or not _cuts_ok(pos, pos + k, cuts):
                continue
            rec(pos + k, i + 1, [*acc, part])

    rec(0, 0, [])
    return out


def _plausibility(
    parts: list[str], labels: list[str], unit: str = ""
) -> tuple[int, int, float, int, tuple[int, ...]]:
    """Lower is more plausible (used only to order the candidates of an ambiguous run).

    In order: 本年增/减 is 0 (most agencies' lists do not change); 现行有效件数 is not
    below 本年制发件数; a procurement's amount per item is near a typical 30万元 (3e5 元 when
    the cell says 元); no cell much longer than the others; longer cells first.
    """
    signed_nonzero = sum(
        1 for p, label in zip(parts, labels, strict=True) if label == "本年增/减" and p != "0"
    )
    stock = 0
    if labels[:1] == ["本年制发件数"] and len(parts) == 3 and int(parts[2]) < int(parts[0]):
        stock = 1
    per_item = 0.0
    if labels == ["采购项目数量", "采购总金额"] and int(parts[0]) > 0:
        typical = 3e5 if unit == "元" else 30.0
        ratio = float(parts[1]) / int(parts[0])
        per_item = round(abs(math.log10(max(ratio, 1e-9)) - math.log10(typical)), 1)
    longest = max(len(p.split(".")[0]) for p in parts)
    return (signed_nonzero, stock, per_item, longest, tuple(-len(p) for p in parts))


# -- the reader ----------------------------------------------------------------------------------
def read_raw(data: bytes, *, source: str) -> RawDocument:
    """Front-end entry point: glued page text (UTF-8 or GB18030)."""
    return read_text(decode_text(data, source), source=source)


def read_text(text: str, *, source: str) -> RawDocument:
    """Blocks of a glued-text report."""
    return _Glued(text, source).run()


class _Glued:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.doc = RawDocument(source=source, media_type="text/plain; glued")
        lines = text.split("\n")
        self.title: str | None = None
        start = 0
        for i, line in enumerate(lines):
            if line.startswith("标题:") or line.startswith("标题："):
                self.title = line[3:].strip()
            if "正文" in line and line.startswith("===="):
                start = i + 1
        self.offset_line = start
        self.body = "\n".join(lines[start:])
        self.line_starts = [0]
        for m in re.finditer("\n", self.body):
            self.line_starts.append(m.end())

    def where(self, pos: int) -> Location:
        line = 0
        lo, hi = 0, len(self.line_starts) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.line_starts[mid] <= pos:
                line = mid
                lo = mid + 1
            else:
                hi = mid - 1
        col = pos - self.line_starts[line] + 1
        return Location(file=self.source, line=self.offset_line + line + 1, cell=f"第{col}字")

    def run(self) -> RawDocument:
        if self.title:
            self.doc.blocks.append(RawParagraph(self.title, Location(file=self.source, line=1)))
        body = self.body
        marks: list[tuple[int, int, str]] = []
        pos = 0
        for number in "一二三四五六":
            found = None
            for variant in _HEADINGS[number]:
                i = body.find(variant, pos)
                if i >= 0 and (found is None or i < found[0]):
                    found = (i, i + len(variant))
            if found is not None:
                if number == "四":  # the full printed heading
                    end = body.find("情况", found[0])
                    found = (found[0], end + 2 if 0 <= end < found[0] + 40 else found[1])
                marks.append((found[0], found[1], number))
                pos = found[1]
        if not marks:
            # no section headings: read the tables wherever their labels are
            self._paragraphs(body, 0)
            version = self._version(body)
            self._section2(body, 0, version)
            self._section3(body, 0, version)
            carried = body.rfind("四、结转下年度继续办理")
            review = body.find("行政复议", carried if carried >= 0 else 0)
            if review >= 0:
                self._section4(body[review:], review)
            return self.doc
        self._paragraphs(body[: marks[0][0]], 0)
        version = self._version(body)
        for index, (begin, end, number) in enumerate(marks):
            stop = marks[index + 1][0] if index + 1 < len(marks) else len(body)
            self.doc.blocks.append(RawParagraph(body[begin:end], self.where(begin)))
            content = body[end:stop]
            if number == "二":
                self._section2(content, end, version)
            elif number == "三":
                self._section3(content, end, version)
            elif number == "四":
                self._section4(content, end)
            else:
                parts = _SUBHEAD.split(content) if number == "一" else [content]
                offset = end
                for part in parts:
                    self._paragraphs(part, offset)
                    offset += len(part)
        return self.doc

    def _paragraphs(self, text: str, offset: int) -> None:
        for m in re.finditer(r"[^\n]+", text):
            chunk = m.group(0).strip()
            if chunk:
                self.doc.blocks.append(RawParagraph(chunk, self.where(offset + m.start())))

    def _version(self, body: str) -> FormatVersion:
        key = label_key(body)
        new = sum(key.count(label_key(t)) for t in ("本年制发件数", "本年处理决定数量", "3.其他"))
        old = sum(key.count(label_key(t)) for t in ("本年新制作数量", "上一年项目数量"))
        return FormatVersion.V2021 if new >= old else FormatVersion.V2019

    def _note(self, message: str, pos: int, note_id: str = "READ.ambiguous_split") -> None:
        self.doc.notes.append((note_id, message, self.where(pos)))

    # -- section 二 ------------------------------------------------------------------------------
    def _section2(self, text: str, offset: int, version: FormatVersion) -> None:
        tables = [t for f in (FORMATS[version], *FORMATS.values()) for t in f.section2_tables]
        labels: dict[str, str] = {}
        for t in tables:
            labels.setdefault(t.caption, "caption")
            for r in t.rows:
                labels.setdefault(r.label, "row")
            for c in t.columns:
                labels.setdefault(c.label, "column")
        labels["信息内容"] = "header"
        pattern = _alternation(labels)
        rows: list[tuple[RawCell, ...]] = []
        current: Table | None = None
        matches = list(pattern.finditer(text))
        for i, m in enumerate(matches):
            label = m.group(0)
            kind = labels[label]
            where = self.where(offset + m.start())
            if kind == "caption":
                current = next(
                    (t for t in FORMATS[version].section2_tables if t.caption == label),
                    next((t for t in tables if t.caption == label), None),
                )
                rows.append((RawCell(label, where),))
                continue
            if kind == "header" and current is not None:
                rows.append(
                    (RawCell(label, where), *(RawCell(c.label, where) for c in current.columns))
                )
                continue
            if kind != "row" or current is None:
                continue
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            gap = text[m.end() : end]
            subs = list(_SUB_ROW.finditer(gap)) if _run(gap)[0] is None else []
            if subs:
                # local sub-rows under an official row (行政检查 / 行政确认 under
                # 其他对外管理服务事项): "label, sub-label, values", then "'', sub-label, values"
                for n, sub in enumerate(subs):
                    pos = offset + m.end() + sub.start(2)
                    parts = self._split2(sub.group(2), current, sub.group(1), pos)
                    if parts is None:
                        continue
                    head = RawCell(label if n == 0 else "", where)
                    sub_cell = RawCell(sub.group(1), self.where(offset + m.end() + sub.start(1)))
                    cells = (RawCell(p, self.where(pos)) for p in parts)
                    rows.append((head, sub_cell, *cells))
                continue
            parts = self._split2(gap, current, label, offset + m.end())
            if parts is None:
                continue
            cell_where = self.where(offset + m.end())
            rows.append((RawCell(label, where), *(RawCell(p, cell_where) for p in parts)))
        if rows:
            self.doc.blocks.append(RawTable(tuple(rows), self.where(offset)))

    def _split2(self, gap: str, table: Table, label: str, pos: int) -> list[str] | None:
        run, cuts, unit = _run(gap)
        if run is None:
            return None
        kinds = [c.kind for c in table.columns]
        names = [c.label for c in table.columns]
        candidates = split_free(run, kinds, cuts)
        if not candidates:
            self._note(
                f"“{label}”后的数字“{gap.strip()}”无法拆分为{len(kinds)}个单元格",
                pos,
                "READ.unsplittable",
            )
            return None
        candidates.sort(key=lambda p: _plausibility(p, names, unit))
        best = candidates[0]
        if len(candidates) > 1:
            shown = "；".join("|".join(c) for c in candidates[:8])
            more = f"等{len(candidates)}种" if len(candidates) > 8 else ""
            self._note(
                f"{table.caption}“{label}”的数字“{gap.strip()}”拆分不唯一，暂取"
                f"{'|'.join(best)}；可能的拆分：{shown}{more}",
                pos,
            )
        if unit:
            best = [*best[:-1], best[-1] + unit]
        return best

    # -- section 三 -------------------------------------------------------------------------------
    def _section3(self, text: str, offset: int, version: FormatVersion) -> None:
        table = FORMATS[version].table("3")
        other = FORMATS[
            FormatVersion.V2019 if version is FormatVersion.V2021 else FormatVersion.V2021
        ].table("3")
        paths: dict[str, tuple[str, ...]] = {}
        for t in (other, table):
            for r in t.rows:
                paths[r.label] = r.path
        groups = {RESULTS, "（三）不予公开", "（四）无法提供", "（五）不予处理"}
        labels = {k: "row" for k in paths} | {g: "group" for g in groups}
        pattern = _alternation(labels)
        matches = list(pattern.finditer(text))
        found: list[tuple[str, tuple[str, ...], list[list[str]], int, str, str]] = []
        for i, m in enumerate(matches):
            label = m.group(0)
            if labels[label] != "row":
                continue
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            gap = text[m.end() : end]
            run, cuts, _ = _run(gap)
            if run is None:
                continue
            candidates = split_sum(run, 7, cuts)
            candidates.sort(key=lambda p: (max(len(x) for x in p), tuple(-len(x) for x in p)))
            found.append((label, paths[label], candidates, offset + m.start(), gap.strip(), run))
        chosen = self._resolve3(found)
        rows: list[tuple[RawCell, ...]] = []
        for (label, _path, _cands, pos, gap, _digits), parts in zip(found, chosen, strict=True):
            where = self.where(pos)
            if parts is None:
                self._note(
                    f"“{label}”后的数字“{gap}”无法拆分为满足总计关系的7个单元格",
                    pos,
                    "READ.unsplittable",
                )
                continue
            rows.append((RawCell(label, where), *(RawCell(p, where) for p in parts)))
        if rows:
            self.doc.blocks.append(RawTable(tuple(rows), self.where(offset)))

    def _resolve3(
        self, found: list[tuple[str, tuple[str, ...], list[list[str]], int, str, str]]
    ) -> list[list[str] | None]:
        chosen: list[list[str] | None] = [c[2][0] if c[2] else None for c in found]
        ambiguous = [i for i, c in enumerate(found) if len(c[2]) > 1]
        if not ambiguous:
            return chosen
        product = 1
        for i in ambiguous:
            product *= len(found[i][2])
        solutions: list[tuple[list[str], ...]] = []
        if product <= 50_000:
            for combo in itertools.product(*(found[i][2] for i in ambiguous)):
                trial = list(chosen)
                for i, parts in zip(ambiguous, combo, strict=True):
                    trial[i] = parts
                if _columns_hold(found, trial):
                    solutions.append(combo)
                    if len(solutions) > 1:
                        break
        if len(solutions) == 1:
            for i, parts in zip(ambiguous, solutions[0], strict=True):
                chosen[i] = parts
            return chosen
        for i in ambiguous:
            label, _, candidates, pos, gap, _ = found[i]
            shown = "；".join("|".join(c) for c in candidates[:8])
            self._note(
                f"“{label}”的数字“{gap}”拆分不唯一（表内勾稽关系也无法确定），暂取"
                f"{'|'.join(candidates[0])}；可能的拆分：{shown}",
                pos,
            )
        return chosen

    # -- section 四 -------------------------------------------------------------------------------
    def _section4(self, text: str, offset: int) -> None:
        last = text.rfind("总计")
        if last < 0:
            return
        tail = text[last + 2 :]
        m = re.match(r"[\s\d]*", tail)
        gap = m.group(0) if m else ""
        run, cuts, _ = _run(gap)
        pos = offset + last + 2
        header = [RawCell("行政复议", self.where(offset)), RawCell("行政诉讼", self.where(offset))]
        rest = tail[len(gap) :]
        if run is None:
            return
        candidates = split_table4(run, cuts)
        if not candidates:
            self._note(
                f"第四部分的数字“{gap.strip()}”无法拆分为满足总计关系的15个单元格",
                pos,
                "READ.unsplittable",
            )
            return
        candidates.sort(key=lambda p: (max(len(x) for x in p), tuple(-len(x) for x in p)))
        if len(candidates) > 1:
            shown = "；".join("|".join(c) for c in candidates[:8])
            self._note(
                f"第四部分的数字“{gap.strip()}”拆分不唯一，暂取{'|'.join(candidates[0])}；"
                f"可能的拆分：{shown}",
                pos,
            )
        where = self.where(pos)
        self.doc.blocks.append(
            RawTable(
                (tuple(header), tuple(RawCell(p, where) for p in candidates[0])),
                self.where(offset),
            )
        )
        self._paragraphs(rest, pos + len(gap))


def _columns_hold(
    found: list[tuple[str, tuple[str, ...], list[list[str]], int, str, str]],
    chosen: list[list[str] | None],
) -> bool:
    by_path: dict[tuple[str, ...], list[int]] = {}
    for (_, path, _, _, _, _), parts in zip(found, chosen, strict=True):
        if parts is not None:
            by_path[path] = [int(p) for p in parts]
    leaves = [v for p, v in by_path.items() if p[:1] == (RESULTS,) and p != ROW_RESULTS_TOTAL.path]
    total = by_path.get(ROW_RESULTS_TOTAL.path)
    new, carried_in = by_path.get(ROW_NEW.path), by_path.get(ROW_CARRIED_IN.path)
    carried_out = by_path.get(ROW_CARRIED_OUT.path)
    for col in range(7):
        if total is not None and leaves and total[col] != sum(v[col] for v in leaves):
            return False
        if (
            total is not None
            and new is not None
            and carried_in is not None
            and carried_out is not None
            and new[col] + carried_in[col] != total[col] + carried_out[col]
        ):
            return False
    return True


def _run(gap: str) -> tuple[str | None, frozenset[int], str]:
    """The digit run of a gap: (digits, forced cut positions, trailing unit)."""
    gap = gap.replace("\u3000", " ").replace("\xa0", " ").strip()
    # the run is what starts the gap; text after it (a heading, the next table's header)
    # is not part of this row
    lead = _LEAD.match(gap)
    gap = lead.group(0).strip() if lead else ""
    unit = ""
    for u in ("万元", "元"):
        if gap.endswith(u):
            unit, gap = u, gap[: -len(u)].strip()
            break
    if not gap or not _RUN.match(gap) or not any(ch.isdigit() for ch in gap):
        return None, frozenset(), unit
    digits: list[str] = []
    cuts: set[int] = set()
    for chunk in gap.split():
        if digits:
            cuts.add(len("".join(digits)))
        digits.append(chunk.replace(",", ""))
    return "".join(digits), frozenset(cuts), unit


def _alternation(labels: dict[str, str]) -> re.Pattern[str]:
    ordered = sorted(labels, key=len, reverse=True)
    return re.compile("|".join(re.escape(label) for label in ordered))


# section headings are data (formats.SECTION_HEADINGS); keep the variants above in step
assert all(SECTION_HEADINGS[n] in _HEADINGS[n] for n in SECTION_HEADINGS)
