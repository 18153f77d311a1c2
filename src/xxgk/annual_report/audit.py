"""Bulk audit: every report in a folder → ``cells.csv``, ``findings.csv``, ``summary.html``.

Each file is read and checked in a worker process (all cores by default); a file that cannot
be read is listed with its reason and the audit carries on. A worker that dies (a crash in a
native PDF library, say) fails only the files it held. A progress bar goes to stderr.

Exit status: 0 when every file was read and none has an error finding, 1 when some file has
error findings or could not be read, 2 when the folder holds no file at all or the output
cannot be written.
"""

from __future__ import annotations

import csv
import html
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["AuditResult", "audit_file", "run_audit"]

_SKIP_SUFFIXES = {".csv", ".tsv", ".md5", ".sha256"}


@dataclass(slots=True)
class AuditResult:
    """What one file gave: identity, tidy cells, findings, or the reason it was unreadable."""

    file: str
    ok: bool
    error: str = ""
    agency: str = ""
    year: int | None = None
    version: str = ""
    cells: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    findings: list[tuple[str, str, str, str, str, str, str, str]] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)


def audit_file(path: str, max_bytes: int) -> AuditResult:
    """Read and check one file (runs in a worker; never raises)."""
    from xxgk.annual_report import check
    from xxgk.annual_report.errors import ReportReadError
    from xxgk.annual_report.reading import read
    from xxgk.annual_report.writers.csv import rows
    from xxgk.statute.outcomes import ROW_NEW, ROW_RESULTS_TOTAL

    try:
        report = read(Path(path), max_bytes=max_bytes)
        findings = check(report)
    except ReportReadError as exc:
        return AuditResult(path, False, str(exc))
    except Exception as exc:
        return AuditResult(path, False, f"无法读取（内部错误 {type(exc).__name__}）")
    result = AuditResult(
        path,
        True,
        agency=report.agency or "",
        year=report.year,
        version=report.version.value if report.version else "",
        cells=list(rows(report)),
    )
    for f in findings:
        result.findings.append(
            (
                f.check,
                f.severity.value,
                f.section,
                f.table,
                " / ".join(f.row),
                " / ".join(f.column),
                f.message,
                f.location.describe() if f.location else "",
            )
        )
    total = ("申请人情况", "总计")
    for name, row in (("new", ROW_NEW.path), ("handled", ROW_RESULTS_TOTAL.path)):
        value = report.value("三", "", row, total)
        if isinstance(value, int):
            result.figures[name] = value
    return result


def _files(folder: Path) -> list[Path]:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            p = Path(root) / name
            if name.startswith(".") or p.suffix.lower() in _SKIP_SUFFIXES:
                continue
            out.append(p)
    return out


class _Progress:
    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.enabled = enabled
        self.start = time.monotonic()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "." * (width - filled)
        shown = name if len(name) <= 40 else "…" + name[-39:]
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {shown:<40}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            elapsed = time.monotonic() - self.start
            sys.stderr.write(f"\n{self.done} 个文件，用时 {elapsed:.1f} 秒\n")


def run_audit(
    folder: Path,
    out: Path,
    *,
    jobs: int = 0,
    max_bytes: int = 50 * 1024 * 1024,
    progress: bool = True,
) -> int:
    """Audit every file under ``folder`` into ``out`` (created if needed); the exit status."""
    files = _files(folder)
    if not files:
        print(f"xxgk report: {folder}: 文件夹中没有文件", file=sys.stderr)
        return 2
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"xxgk report: {out}: 无法创建（{exc.strerror}）", file=sys.stderr)
        return 2
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    workers = min(workers, len(files))
    bar = _Progress(len(files), progress)
    results: list[AuditResult] = []
    if workers == 1:
        for path in files:
            results.append(audit_file(str(path), max_bytes))
            bar.step(path.name)
    else:
        # forkserver: workers never fork a parent that holds threads or native-library locks
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures: dict[Future[AuditResult], Path] = {
                pool.submit(audit_file, str(p), max_bytes): p for p in files
            }
            for future in as_completed(futures):
                path = futures[future]
                try:
                    results.append(future.result())
                except BrokenProcessPool:
                    results.append(AuditResult(str(path), False, "处理该文件的进程异常退出"))
                bar.step(path.name)
    bar.finish()
    order = {str(p): i for i, p in enumerate(files)}
    results.sort(key=lambda r: order.get(r.file, 0))
    try:
        _write_cells(out / "cells.csv", results, folder)
        _write_findings(out / "findings.csv", results, folder)
        (out / "summary.html").write_text(_summary(results, folder), encoding="utf-8")
    except OSError as exc:
        print(f"xxgk report: {out}: 无法写入（{exc.strerror}）", file=sys.stderr)
        return 2
    bad = [r for r in results if not r.ok]
    with_errors = [r for r in results if any(f[1] == "error" for f in r.findings)]
    print(
        f"{len(results)} 个文件：{len(results) - len(bad)} 个已读取，{len(bad)} 个无法读取，"
        f"{len(with_errors)} 个有错误。结果在 {out}"
    )
    return 1 if bad or with_errors else 0


def _rel(path: str, folder: Path) -> str:
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return path


def _write_cells(path: Path, results: list[AuditResult], folder: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(
            [
                "file",
                "agency",
                "year",
                "format_version",
                "section",
                "table",
                "row",
                "column",
                "value",
            ]
        )
        for r in results:
            for cell in r.cells:
                w.writerow([_rel(r.file, folder), r.agency, r.year or "", r.version, *cell])


def _write_findings(path: Path, results: list[AuditResult], folder: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(
            [
                "file",
                "agency",
                "year",
                "check",
                "severity",
                "section",
                "table",
                "row",
                "column",
                "message",
                "location",
            ]
        )
        for r in results:
            name = _rel(r.file, folder)
            if not r.ok:
                w.writerow([name, "", "", "READ.unreadable", "error", "", "", "", "", r.error, ""])
            for f in r.findings:
                w.writerow([name, r.agency, r.year or "", *f])


# -- the HTML summary with inline SVG ----------------------------------------------------------
_COLOURS = {"error": "#c0392b", "warning": "#e67e22", "notice": "#7f8c8d"}
#: Severities as the page names them (the legend, the tooltips).
_SEVERITY_NAMES = {"error": "错误", "warning": "警告", "notice": "提示"}
_LABEL_CHARS = 16  # characters per label line in a chart; labels wrap, never cut


def _wrap(label: str, width: int = _LABEL_CHARS) -> list[str]:
    """The label in lines of at most ``width`` characters, broken after a space when one is
    near, so a chart shows the whole label (no phrase cut off)."""
    lines: list[str] = []
    rest = label.strip()
    while len(rest) > width:
        cut = rest.rfind(" ", width // 2, width + 1)
        cut = cut if cut > 0 else width
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    lines.append(rest)
    return lines


def _bar_chart(
    title: str,
    items: list[tuple[str, dict[str, int]]],
    keys: list[str],
    colours: dict[str, str],
    *,
    stacked: bool = True,
) -> str:
    """A horizontal bar chart as inline SVG (accessible: role=img + title; data table beside).

    ``stacked``: one bar per item made of its keys (parts of one whole); otherwise one bar
    per key, side by side (quantities that must not be added up).
    """
    if not items:
        return f"<p>{html.escape(title)}：无数据</p>"
    wrapped = [_wrap(label) for label, _ in items]
    per_item = 1 if stacked else len(keys)
    bands = [max(18 * per_item, 15 * len(lines)) + 8 for lines in wrapped]
    height = sum(bands) + 40
    width = 720
    label_w = 230
    if stacked:
        biggest = max(sum(v.values()) for _, v in items) or 1
    else:
        biggest = max((max(v.values(), default=0) for _, v in items), default=0) or 1
    scale = (width - label_w - 60) / biggest
    chart_id = f"chart{abs(hash(title)) % 10**8}"
    # viewBox + width 100%: the chart shrinks with the screen (a phone never scrolls sideways)
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}" width="100%" '
        f'style="max-width:{width}px;height:auto" preserveAspectRatio="xMinYMin meet" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}">{html.escape(title)}</title>',
    ]
    y0 = 10
    for (label, values), lines, band in zip(items, wrapped, bands, strict=True):
        parts.append(
            f'<text x="{label_w - 6}" y="{y0 + 13}" text-anchor="end" font-size="12">'
            + "".join(
                f'<tspan x="{label_w - 6}" dy="{0 if k == 0 else 15}">{html.escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
            + "</text>"
        )
        x = float(label_w)
        for j, key in enumerate(keys):
            name = _SEVERITY_NAMES.get(key, key)
            y = y0 if stacked else y0 + 18 * j
            if not stacked:
                x = float(label_w)
            if key not in values and not stacked:
                # a blank figure is not zero: say so instead of drawing a zero-length bar
                parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="12">无数据</text>')
                continue
            v = values.get(key, 0)
            w = v * scale
            if v:
                colour = colours.get(key, "#2c7fb8")
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="16" fill="{colour}">'
                    f"<title>{html.escape(label)} {html.escape(name)}: {v}</title></rect>"
                )
            if not stacked:
                parts.append(f'<text x="{x + w + 4:.1f}" y="{y + 13}" font-size="12">{v}</text>')
            x += w
        if stacked:
            total = sum(values.values())
            parts.append(f'<text x="{x + 4:.1f}" y="{y0 + 13}" font-size="12">{total}</text>')
        y0 += band
    legend_y = height - 12
    lx = label_w
    for key in keys:
        colour = colours.get(key, "#2c7fb8")
        parts.append(f'<rect x="{lx}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/>')
        name = html.escape(_SEVERITY_NAMES.get(key, key))
        parts.append(f'<text x="{lx + 14}" y="{legend_y}" font-size="12">{name}</text>')
        lx += 110
    parts.append("</svg>")
    return "".join(parts)


def _check_order(check_id: str) -> tuple[str, int, str]:
    """C2 before C10; R after C; READ last."""
    m = re.match(r"([A-Z]+)(\d+)$", check_id)
    if m:
        return (m.group(1), int(m.group(2)), "")
    return ("~", 0, check_id)


def _summary(results: list[AuditResult], folder: Path) -> str:
    from xxgk.annual_report.checks import CHECKS

    by_check: dict[str, Counter[str]] = {}
    for r in results:
        if not r.ok:
            by_check.setdefault("READ.unreadable", Counter())["error"] += 1
        for f in r.findings:
            by_check.setdefault(f[0], Counter())[f[1]] += 1
    check_items = [
        (f"{cid} {CHECKS.get(cid, '')}", dict(c))
        for cid, c in sorted(by_check.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    severity_keys = ["error", "warning", "notice"]
    agency_items: list[tuple[str, dict[str, int]]] = []
    for r in results:
        if r.ok:
            label = f"{r.agency or _rel(r.file, folder)} {r.year or ''}"
            # a blank figure (the blank template) stays absent: drawn as 无数据, not 0
            names = {"new": "本年新收", "handled": "办理结果总计"}
            agency_items.append((label, {names[k]: v for k, v in r.figures.items()}))
    rows = []
    for r in results:
        counts = Counter(f[1] for f in r.findings)
        if not r.ok:
            counts["error"] += 1  # the READ.unreadable row of findings.csv
        rows.append(
            "<tr>"
            f"<td>{html.escape(_rel(r.file, folder))}</td>"
            f"<td>{html.escape(r.agency)}</td><td>{r.year or ''}</td><td>{html.escape(r.version)}</td>"
            f"<td>{r.figures.get('new', '无数据' if r.ok else '')}</td>"
            f"<td>{r.figures.get('handled', '无数据' if r.ok else '')}</td>"
            f"<td>{counts.get('error', 0)}</td><td>{counts.get('warning', 0)}</td>"
            f"<td>{'' if r.ok else html.escape(r.error)}</td>"
            "</tr>"
        )
    check_rows = "".join(
        f"<tr><td>{html.escape(cid)}</td><td>{html.escape(CHECKS.get(cid, ''))}</td>"
        + "".join(f"<td>{c.get(k, 0)}</td>" for k in severity_keys)
        + "</tr>"
        for cid, c in sorted(by_check.items(), key=lambda kv: _check_order(kv[0]))
    )
    bad = sum(1 for r in results if not r.ok)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>年度报告审核汇总</title>
<style>
body{{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:1em;color:#222}}
svg{{max-width:100%;height:auto}}
.scroll{{max-width:100%;overflow-x:auto}}
table{{border-collapse:collapse;margin:1em 0}}th,td{{border:1px solid #bbb;padding:4px 8px;text-align:left}}
caption{{text-align:left;font-weight:bold;margin-bottom:.3em}}
</style></head><body>
<h1>政府信息公开工作年度报告审核汇总</h1>
<p>文件 {len(results)} 个，无法读取 {bad} 个。明细见 cells.csv 与 findings.csv。</p>
<h2>按检查项统计的问题</h2>
{_bar_chart("按检查项统计的问题数", check_items, severity_keys, _COLOURS)}
<div class="scroll" role="region" aria-label="按检查项统计" tabindex="0"><table><caption>按检查项统计（图表的数据）</caption>
<thead><tr><th scope="col">检查项</th><th scope="col">说明</th><th scope="col">错误</th><th scope="col">警告</th><th scope="col">提示</th></tr></thead>
<tbody>{check_rows}</tbody></table></div>
<h2>各机关对比：申请数量</h2>
{_bar_chart("各机关本年新收与办理结果总计", agency_items, ["本年新收", "办理结果总计"], {"本年新收": "#2c7fb8", "办理结果总计": "#7fcdbb"}, stacked=False)}
<h2>逐份报告</h2>
<div class="scroll" role="region" aria-label="逐份报告" tabindex="0"><table><caption>逐份报告</caption>
<thead><tr><th scope="col">文件</th><th scope="col">机关</th><th scope="col">年度</th><th scope="col">格式</th>
<th scope="col">本年新收</th><th scope="col">办理结果总计</th><th scope="col">错误</th><th scope="col">警告</th><th scope="col">无法读取的原因</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
</body></html>
"""
