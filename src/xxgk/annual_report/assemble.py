"""The one assembler: a :class:`RawDocument` from any front end becomes a :class:`Report`.

It works on *logical* cells in reading order, not on grid positions: many published tables
have spans that do not line up (Shanghai's 二 table gives the header ``本年新公开数量`` a
colspan of 2 and the data cell below it a colspan of 1), so a row is read as "label cells,
then value cells". Row labels are matched against the format by :func:`label_key`; the row's
full official path comes from the format, never from the (often flattened) print.

One pass over the blocks, constant work per cell: linear in the document.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.formats import (
    FORMATS,
    LABEL_ALIASES,
    SECTION_HEADINGS,
    SECTION_KEYWORDS,
    TABLE4,
    VERSION_MARKERS,
    CellKind,
    Column,
    Table,
    label_key,
)
from xxgk.annual_report.model import Cell, CellKey, Finding, Report, Severity
from xxgk.annual_report.raw import Location, RawCell, RawDocument, RawParagraph, RawTable
from xxgk.statute.outcomes import FormatVersion, format_version_for_year

__all__ = ["assemble", "parse_value"]

_BLANKS = frozenset({"", "-", "--", "—", "——", "－", "/", "／", "无", "空", "\\"})
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−－])?(?P<num>\d{1,3}(?:[,，]\d{3})+|\d+)(?P<frac>\.\d+)?(?P<unit>万元|元)?$"
)
_CAPTION = re.compile(r"第二十条第[(（]([一二三四五六七八九十]+)[)）]项")
_HEADING = re.compile(r"^([一二三四五六])、")
#: Last characters of agency names (人民政府, 办事处, 局, 委员会, 办公室, 厅, 管委会…).
_AGENCY_ENDINGS = frozenset("府处局会室厅委院心区县市镇乡道部署所站队")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年\s*度?")
#: How many places a merged finding lists (the rest are counted).
_SHOWN_REPEATS = 3


def parse_value(raw: str, kind: CellKind) -> tuple[int | Decimal | None, str | None, str | None]:
    """Type one printed cell: ``(value, unit, problem)``.

    Blank, ``-``, ``无`` and the like give ``None`` (blank is not zero). ``problem`` is a short
    Chinese note when the text is not a number of the column's kind (then ``value`` is None).
    """
    text = label_key(raw)
    if text in _BLANKS:
        return None, None, None
    m = _NUMBER.match(text)
    if m is None:
        return None, None, f"“{raw.strip()}”不是数字"
    sign = m.group("sign") or ""
    digits = m.group("num").replace(",", "").replace("，", "")
    frac = m.group("frac") or ""
    unit = m.group("unit")
    negative = sign in {"-", "−", "－"}
    if kind is CellKind.MONEY:
        try:
            value: int | Decimal = Decimal(("-" if negative else "") + digits + frac)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
            return None, unit, f"“{raw.strip()}”不是金额"
        return value, unit, None
    if frac:
        return None, unit, f"“{raw.strip()}”不是整数"
    number = int(digits)
    return (-number if negative else number), unit, None


def _canonical(key: str) -> str:
    return LABEL_ALIASES.get(key, key)


class _Assembler:
    def __init__(self, raw: RawDocument) -> None:
        self.raw = raw
        self.report = Report(source=raw.source, media_type=raw.media_type)
        self.section = "preamble"
        self.narrative: dict[str, list[str]] = {}
        self.caption: str | None = None
        self.columns: list[Column | None] | None = None
        self.last_parent: tuple[str, ...] | None = None
        self.last_was_variant = False
        self.seen_table_labels = False
        self.s4_header = False
        self.s4_done = False
        self.duplicates = 0
        self.first_duplicates: list[tuple[CellKey, Location]] = []

    # -- set-up ---------------------------------------------------------------------------
    def _prescan(self) -> None:
        counts = {v: 0 for v in FormatVersion}
        previous = ""
        for text in _texts(self.raw):
            key = _canonical(label_key(text))
            for version, markers in VERSION_MARKERS.items():
                if key in markers:
                    counts[version] += 1
            if (
                self.report.title is None
                and ("年度报告" in key or "年报" in key)
                and len(key) < 80
                and _TITLE_YEAR.search(key)  # not a menu link such as 政府信息公开年报
            ):
                self.report.title = text.strip()
                if (
                    _TITLE_YEAR.match(key)
                    and previous
                    and len(previous) <= 30
                    and not any(p in previous for p in "，。：；")
                    and previous[-1:] in _AGENCY_ENDINGS
                    and "年报" not in previous
                ):
                    # the agency printed on the line above: 洪泽区人民政府 / 2023年…年度报告
                    self.report.title = previous + self.report.title
            previous = text.strip()
        old, new = counts[FormatVersion.V2019], counts[FormatVersion.V2021]
        self.counts = counts
        if new > old:
            self.version: FormatVersion | None = FormatVersion.V2021
        elif old > new:
            self.version = FormatVersion.V2019
        else:
            self.version = None
        if self.report.title:
            self._title(self.report.title)
        if self.version is None and self.report.year is not None:
            self.version = format_version_for_year(self.report.year)
        self.report.version = self.version
        fmt = FORMATS[self.version or FormatVersion.V2021]
        other = FORMATS[
            FormatVersion.V2019
            if (self.version or FormatVersion.V2021) is FormatVersion.V2021
            else FormatVersion.V2021
        ]
        self.fmt = fmt
        self.other = other
        # Section 二 rows: label key → (table, row) in the detected format, then the other one.
        self.s2_rows: dict[str, tuple[Table, str]] = {}
        for f in (other, fmt):
            for table in f.section2_tables:
                for row in table.rows:
                    self.s2_rows[label_key(row.label)] = (table, row.label)
        # Table 三 row labels → full path; both versions (a 2021 report may print the 2019
        # single （六）其他处理 row — kept, and flagged as mixed).
        self.t3_rows: dict[str, tuple[str, ...]] = {}
        for f in (other, fmt):
            for row in f.table("3").rows:
                self.t3_rows[label_key(row.label)] = row.path
        self.t3_columns = fmt.table("3").columns

    def _title(self, title: str) -> None:
        m = _TITLE_YEAR.search(title)
        if m is None:
            return
        year = int(m.group(1))
        if 2000 <= year <= 2100:
            self.report.year = year
        before = title[: m.start()].strip(" ：:")
        if before.startswith("标题"):
            before = before[2:].strip(" ：:")
        after = title[m.end() :]
        agency = before
        if not agency:
            cut = after.find("政府信息公开")
            agency = after[:cut] if cut > 0 else ""
        self.report.agency = agency.strip() or None

    # -- main loop ------------------------------------------------------------------------
    def run(self) -> Report:
        reason = self.raw.too_big()  # any front end: refuse before the work grows with it
        if reason is not None:
            raise ReportReadError("too_many_tables", reason, Location(file=self.raw.source))
        self._prescan()
        for block in self.raw.blocks:
            if isinstance(block, RawParagraph):
                self._paragraph(block)
            else:
                self._table(block)
        if not self.seen_table_labels or not self.report.cells:
            # captions or labels alone (a Markdown file of headings, spans without a table)
            # are not a report: at least one cell of the statutory tables must be read
            for note_id, message, where in self.raw.notes:
                if note_id.endswith("needs_ocr"):
                    # a scan without the OCR extra: say so rather than "not a report"
                    raise ReportReadError("needs_ocr", message, where)
            raise ReportReadError(
                "not_annual_report",
                "未找到政府信息公开工作年度报告的统计表（第二十条各项、申请情况表），"
                "这可能不是年度报告，或表格无法识别",
                Location(file=self.raw.source),
            )
        self.report.narrative = {k: "\n".join(v).strip() for k, v in self.narrative.items()}
        for note_id, message, where in self.raw.notes:
            severity = (
                Severity.WARNING
                if "ambiguous" in note_id or "unsplittable" in note_id
                else Severity.NOTICE
            )
            if note_id.endswith("needs_ocr"):
                severity = Severity.ERROR
            self.report.findings.append(Finding(note_id, severity, message, location=where))
        if self.duplicates:
            self.report.findings.append(self._duplicates_finding())
        if self.counts[FormatVersion.V2019] and self.counts[FormatVersion.V2021]:
            self.report.findings.append(
                Finding(
                    "C5",
                    Severity.ERROR,
                    "同一报告混用了2019年（试行）格式和2021年格式的表格标签",
                )
            )
        return self.report

    def _heading(self, text: str) -> tuple[str, str] | None:
        key = label_key(text)
        m = _HEADING.match(key)
        if m is None:
            return None
        number = m.group(1)
        official = label_key(SECTION_HEADINGS[number])
        if key.startswith(official):
            return number, text.strip()[: len(SECTION_HEADINGS[number])]
        head = key[:30]
        if len(key) <= 40 and any(k in head for k in SECTION_KEYWORDS[number]):
            # not a table row label such as 一、本年新收政府信息公开申请数量
            if _canonical(key) in self.t3_rows:
                return None
            return number, text.strip()
        return None

    def _paragraph(self, para: RawParagraph) -> None:
        text = para.text.strip()
        if not text:
            return
        heading = self._heading(text)
        if heading is not None:
            number, printed = heading
            self.section = number
            self.report.headings.setdefault(number, printed)
            rest = text[len(printed) :].strip()
            if rest:
                self.narrative.setdefault(number, []).append(rest)
                self.report.paragraphs.append((number, rest, para.location))
            self.caption = None
            return
        self.narrative.setdefault(self.section, []).append(text)
        self.report.paragraphs.append((self.section, text, para.location))

    def _table(self, table: RawTable) -> None:
        for row in table.rows:
            self._row(row)

    def _row(self, row: tuple[RawCell, ...]) -> None:
        keys = [_canonical(label_key(c.text)) for c in row]
        nonblank = [k for k in keys if k]
        if not nonblank:
            if self.section == "四":
                self._row4(row, keys)  # the blank template's empty data row
            return
        if len(nonblank) == 1:
            heading = self._heading(row[keys.index(nonblank[0])].text)
            if heading is not None:
                self.section = heading[0]
                self.report.headings.setdefault(heading[0], heading[1])
                self.caption = None
                return
        for key in nonblank:
            m = _CAPTION.search(key)
            if m is not None and len(key) < 20:
                self.section = "二"
                self.caption = f"第二十条第（{m.group(1)}）项"
                self.columns = None
                self.seen_table_labels = True
                return
        if "行政复议" in keys and "行政诉讼" in keys:
            self.section = "四"  # the header of table 四, even without the section heading
        t3_indexes = [i for i, key in enumerate(keys) if key in self.t3_rows]
        if t3_indexes:
            self.section = "三"
            # a flattened row may carry several printed rows (label, values, label, values…)
            ends = [*t3_indexes[1:], len(row)]
            for start, end in zip(t3_indexes, ends, strict=True):
                self._row3(row[start:end], keys[start:end], 0)
            return
        if self.section == "三":
            guess = self._fuzzy_t3(row, keys)
            if guess is not None:
                index, label = guess
                keys = [*keys[:index], label, *keys[index + 1 :]]
                self._row3(row[index:], keys[index:], 0)
                return
        if self.section == "二":
            self._row2(row, keys)
        elif self.section == "四":
            self._row4(row, keys)

    def _fuzzy_t3(self, row: tuple[RawCell, ...], keys: list[str]) -> tuple[int, str] | None:
        """A misprinted table-三 row label (e.g. ``2.其他法律行政止公开``) followed by values.

        Matched to the official label with the same numbering whose characters it shares
        most (at least 70 %); reported as C6 so a person can confirm.
        """
        labels = [i for i, k in enumerate(keys) if k and _is_label(k)]
        if not labels:
            return None
        index = labels[-1]
        if len(row) - index - 1 < 7:
            return None
        key = keys[index]
        prefix = _ENUM_PREFIX.match(key)
        best: tuple[float, str] | None = None
        for candidate in self.t3_rows:
            if prefix is not None and not candidate.startswith(prefix.group(0)):
                continue
            score = _similarity(key, candidate)
            if best is None or score > best[0]:
                best = (score, candidate)
        if best is None or best[0] < 0.7:
            return None
        path = self.t3_rows[best[1]]
        self.report.findings.append(
            Finding(
                "C6",
                Severity.WARNING,
                f"行标签“{row[index].text.strip()}”与规定标签“{path[-1]}”不一致（疑似错字），按后者读取",
                section="三",
                row=path,
                location=row[index].location,
            )
        )
        return index, best[1]

    # -- section 二 -----------------------------------------------------------------------
    def _s2_table(self) -> Table | None:
        if self.caption is None:
            return None
        for f in (self.fmt, self.other):
            for t in f.section2_tables:
                if t.caption == self.caption:
                    return t
        return None

    def _row2(self, row: tuple[RawCell, ...], keys: list[str]) -> None:
        table = self._s2_table()
        if "信息内容" in keys:
            start = keys.index("信息内容") + 1
            header = [(c, k) for c, k in zip(row[start:], keys[start:], strict=True) if k]
            self.columns = [self._match_column(table, c.text, k) for c, k in header]
            return
        labels = [(i, k) for i, k in enumerate(keys) if k and _is_label(k)]
        if not labels:
            return
        last = labels[-1][0]
        values = list(row[last + 1 :])
        first_key = labels[0][1]
        # provincial guidance annotates labels: 其他对外管理服务事项(指行政许可以外的…)
        match = self.s2_rows.get(first_key) or self.s2_rows.get(first_key.split("(")[0])
        if match is not None:
            table = match[0] if table is None or match[0].caption != table.caption else table
            if table.caption != self.caption:
                self.caption = table.caption
                self.columns = None
            path: tuple[str, ...] = (match[1],)
            self.last_parent = path
            self.last_was_variant = len(labels) > 1
            if len(labels) > 1:
                path = (*path, row[labels[1][0]].text.strip())
        elif self.last_parent is not None and self.last_was_variant:
            path = (*self.last_parent, row[labels[0][0]].text.strip())
        else:
            path = (row[labels[0][0]].text.strip(),)
            self.last_parent = None
            self.last_was_variant = False
            self.report.findings.append(
                Finding(
                    "C6",
                    Severity.NOTICE,
                    f"第二部分出现格式之外的行“{path[0]}”，已保留",
                    section="二",
                    table=self.caption or "",
                    row=path,
                    location=row[labels[0][0]].location,
                )
            )
        if table is None:
            return
        self.seen_table_labels = True
        # the printed header's order when there is one (None = a column outside the format)
        columns: list[Column | None] = list(self.columns or table.columns)
        while len(values) > len(columns) and not label_key(values[0].text):
            values.pop(0)
        while len(values) > len(columns) and not label_key(values[-1].text):
            values.pop()
        if len(values) != len(columns):
            self.report.findings.append(
                Finding(
                    "C6",
                    Severity.WARNING,
                    f"该行应有{len(columns)}个数据单元格，实际读到{len(values)}个",
                    section="二",
                    table=table.caption,
                    row=path,
                    location=row[0].location,
                )
            )
        for column, cell in zip(columns, values, strict=False):
            if column is None:
                continue
            self._store(CellKey("二", table.caption, path, column.path), cell, column.kind)

    def _match_column(self, table: Table | None, printed: str, key: str) -> Column | None:
        if table is None:
            return None
        for column in table.columns:
            official = label_key(column.label)
            if key == official:
                return column
        for column in table.columns:
            official = label_key(column.label)
            base = official.split("(")[0]
            if key.startswith(base) or base.startswith(key):
                unit = "万元" if "万元" in key else ("元" if "元" in key else None)
                if unit and key != official:
                    self.report.header_units[(table.caption, column.path)] = unit
                return column
        self.report.findings.append(
            Finding(
                "C6",
                Severity.WARNING,
                f"表头“{printed.strip()}”不是{table.caption}的规定栏目",
                section="二",
                table=table.caption,
            )
        )
        return None

    # -- section 三 -----------------------------------------------------------------------
    def _row3(self, row: tuple[RawCell, ...], keys: list[str], index: int) -> None:
        path = self.t3_rows[keys[index]]
        self.seen_table_labels = True
        values = list(row[index + 1 :])
        if (
            self.version is FormatVersion.V2021
            and path == ("三、本年度办理结果", "（六）其他处理")
            and any(label_key(v.text) for v in values)
        ):
            self.report.findings.append(
                Finding(
                    "C5",
                    Severity.ERROR,
                    "2021年格式的（六）其他处理应分为3个子项，此处按2019年格式只列一行",
                    section="三",
                    row=path,
                    location=row[index].location,
                )
            )
        elif len(values) < 7 and not any(label_key(v.text) for v in values):
            return  # a group label alone (e.g. （六）其他处理 in 2021)
        # a grid reader repeats a spanned label as empty cells: drop them first
        while len(values) > 7 and not label_key(values[0].text):
            values.pop(0)
        while len(values) > 7 and not label_key(values[-1].text):
            values.pop()
        if len(values) != 7:
            self.report.findings.append(
                Finding(
                    "C6",
                    Severity.WARNING,
                    f"该行应有7个数据单元格，实际读到{len(values)}个",
                    section="三",
                    row=path,
                    location=row[index].location,
                )
            )
        for column, cell in zip(self.t3_columns, values, strict=False):
            self._store(CellKey("三", "", path, column.path), cell, column.kind)

    # -- section 四 -----------------------------------------------------------------------
    def _row4(self, row: tuple[RawCell, ...], keys: list[str]) -> None:
        if "结果维持" in keys:
            self.s4_header = True
        if len(row) < 15 or self.s4_done:
            return
        tail = row[-15:]
        parsed = [parse_value(c.text, CellKind.COUNT) for c in tail]
        if any(p[2] for p in parsed):
            return
        if all(p[0] is None for p in parsed) and not self.s4_header:
            return  # an all-blank row counts only under the printed header (blank template)
        self.s4_done = True
        self.seen_table_labels = True
        for column, cell in zip(TABLE4.columns, tail, strict=True):
            self._store(CellKey("四", "", (), column.path), cell, column.kind)

    def _duplicates_finding(self) -> Finding:
        """One C6 finding for every cell read twice: the count and the first few places."""
        key, where = self.first_duplicates[0]
        if self.duplicates == 1:
            message = "同一单元格出现两次，保留第一次读到的值"
        else:
            places = "；".join(
                f"{k.describe()}（{loc.describe()}）" for k, loc in self.first_duplicates
            )
            message = (
                f"共有{self.duplicates}处单元格重复出现（同一表格印了不止一次？），"
                f"保留第一次读到的值；前{len(self.first_duplicates)}处：{places}"
            )
        return Finding(
            "C6",
            Severity.WARNING,
            message,
            section=key.section,
            table=key.table,
            row=key.row,
            column=key.column,
            location=where,
            cells=tuple(k for k, _ in self.first_duplicates),
        )

    # -- cells ----------------------------------------------------------------------------
    def _store(self, key: CellKey, cell: RawCell, kind: CellKind) -> None:
        value, unit, problem = parse_value(cell.text, kind)
        if problem:
            self.report.findings.append(
                Finding(
                    "C10",
                    Severity.ERROR,
                    problem,
                    section=key.section,
                    table=key.table,
                    row=key.row,
                    column=key.column,
                    location=cell.location,
                    cells=(key,),
                )
            )
        if key in self.report.cells:
            self.duplicates += 1  # one finding for all of them (see _duplicates_finding)
            if len(self.first_duplicates) < _SHOWN_REPEATS:
                self.first_duplicates.append((key, cell.location))
            return
        self.report.cells[key] = Cell(value, cell.text.strip(), cell.location, unit)


_ENUM_PREFIX = re.compile(r"^(\d{1,2}\.|[(（][一二三四五六七][)）]|[一二三四]、)")


def _similarity(a: str, b: str) -> float:
    """Share of characters in common (multiset), relative to the longer label."""
    if not a or not b:
        return 0.0
    pool: dict[str, int] = {}
    for ch in b:
        pool[ch] = pool.get(ch, 0) + 1
    common = 0
    for ch in a:
        if pool.get(ch, 0) > 0:
            pool[ch] -= 1
            common += 1
    return common / max(len(a), len(b))


def _is_label(key: str) -> bool:
    return parse_value(key, CellKind.MONEY)[2] is not None


def _texts(raw: RawDocument) -> list[str]:
    out: list[str] = []
    for block in raw.blocks:
        if isinstance(block, RawParagraph):
            out.append(block.text)
        else:
            for row in block.rows:
                out.extend(c.text for c in row)
    return out


def assemble(raw: RawDocument) -> Report:
    """Match a front end's :class:`RawDocument` against the format and type every cell.

    Raises :class:`ReportReadError` (``not_annual_report``) when no table of the annual
    report is found (a budget report, a page of navigation, an empty table).
    """
    return _Assembler(raw).run()
