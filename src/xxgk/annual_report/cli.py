"""``xxgk report parse | check | render | audit``.

Pure: never loads Django. Text for people, ``--json`` for machines. Every error line has the
form ``xxgk report: SUBJECT: 中文说明`` (the engine's messages are Chinese, so the CLI's own
are too, in one language). Exit status: 0 clean,
1 findings of severity error (``check``), 2 unusable input (unreadable file, unknown writer…)
— every :class:`ReportReadError` becomes one plain line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.model import Report, Severity

__all__ = ["register"]

RENDER_KINDS = ("docx", "html", "pdf", "xlsx", "json", "csv")


def _read(path: str, max_mb: float) -> Report:
    from xxgk.annual_report.reading import read

    return read(Path(path), max_bytes=int(max_mb * 1024 * 1024))


def _fail(path: str, exc: BaseException) -> None:
    if isinstance(exc, ReportReadError):
        print(f"xxgk report: {path}: {exc}", file=sys.stderr)
    else:  # a bug in a reader must still not print a traceback at the user
        print(
            f"xxgk report: {path}: 无法读取（内部错误 {type(exc).__name__}: {exc}）",
            file=sys.stderr,
        )


def _safe_read(
    path: str, max_mb: float, pages: list[str] | None = None
) -> tuple[Report | None, BaseException | None]:
    try:
        if pages is not None:  # --pages: all FILEs are the pages of this one report
            from xxgk.annual_report.reading import read_pages

            limit = int(max_mb * 1024 * 1024)
            return read_pages([Path(p) for p in pages], name=path, max_bytes=limit), None
        return _read(path, max_mb), None
    except ReportReadError as exc:
        return None, exc
    except (MemoryError, RecursionError, ValueError, TypeError, KeyError, IndexError) as exc:
        return None, exc
    except Exception as exc:
        return None, exc


def _error(subject: str, message: str) -> int:
    """One plain line ``xxgk report: SUBJECT: 说明`` on stderr; exit status 2."""
    print(f"xxgk report: {subject}: {message}", file=sys.stderr)
    return 2


def _write_out(data: bytes, out: str | None) -> int:
    if out is None or out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        Path(out).write_bytes(data)
    except OSError as exc:
        return _error(out, f"无法写入（{exc.strerror}）")
    return 0


def _inputs(args: argparse.Namespace) -> list[tuple[str, list[str] | None]]:
    """(label, pages): each FILE alone, or with --pages all FILEs as one report's pages."""
    if args.pages:
        files: list[str] = args.files
        label = files[0] if len(files) == 1 else f"{files[0]}…{files[-1]}（{len(files)}页）"
        return [(label, files)]
    return [(path, None) for path in args.files]


# -- parse ------------------------------------------------------------------------------------------
def _parse(args: argparse.Namespace) -> int:
    from xxgk.annual_report.writers import csv as csv_writer
    from xxgk.annual_report.writers import json as json_writer

    status = 0
    reports: list[tuple[str, Report]] = []
    for path, pages in _inputs(args):
        report, error = _safe_read(path, args.max_mb, pages)
        if report is None:
            assert error is not None
            _fail(path, error)
            status = 2
            continue
        reports.append((path, report))
    if not reports:
        return 2
    single = len(args.files) == 1 or args.pages
    if args.format == "json":
        if single:
            data = json_writer.render(reports[0][1])
        else:
            objs = [json_writer.to_json(r) for _, r in reports]
            data = json.dumps(objs, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        many = not single
        writer.writerow((["file"] if many else []) + list(csv_writer.HEADER))
        for path, report in reports:
            for row in csv_writer.rows(report):
                writer.writerow(([path] if many else []) + list(row))
        data = buffer.getvalue().encode("utf-8")
    return _write_out(data, args.output) or status


# -- check ------------------------------------------------------------------------------------------
def _check(args: argparse.Namespace) -> int:
    from xxgk.annual_report import check
    from xxgk.annual_report.writers.json import finding_to_json

    previous: Report | None = None
    if args.previous:
        previous, error = _safe_read(args.previous, args.max_mb)
        if previous is None:
            assert error is not None
            _fail(args.previous, error)
            return 2
    status = 0
    results: list[dict[str, Any]] = []
    for path, pages in _inputs(args):
        report, error = _safe_read(path, args.max_mb, pages)
        if report is None:
            assert error is not None
            status = 2
            if args.json:
                code = error.code if isinstance(error, ReportReadError) else "internal"
                message = str(error)
                results.append(
                    {"file": path, "ok": False, "error": {"code": code, "message": message}}
                )
            _fail(path, error)
            continue
        findings = check(report, previous)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors and status == 0:
            status = 1
        if args.json:
            results.append(
                {
                    "file": path,
                    "ok": True,
                    "error": None,
                    "agency": report.agency,
                    "year": report.year,
                    "format_version": report.version.value if report.version else None,
                    "findings": [finding_to_json(f) for f in findings],
                }
            )
            continue
        version = f"{report.version.value}年格式" if report.version else "格式未识别"
        agency = report.agency or "机关名称未识别"
        year = f"{report.year}年度" if report.year else "年度未识别"
        print(f"{path}: {agency} {year}（{version}）")
        shown = [f for f in findings if args.all or f.severity is not Severity.NOTICE]
        for finding in shown:
            print(f"  {finding.describe()}")
        counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        print(
            f"  错误 {counts[Severity.ERROR]} 项，警告 {counts[Severity.WARNING]} 项，"
            f"提示 {counts[Severity.NOTICE]} 项"
            + ("（提示未列出，加 --all 显示）" if counts[Severity.NOTICE] and not args.all else "")
        )
    if args.json:
        data = json.dumps(results, ensure_ascii=False, indent=2)
        sys.stdout.write(data + "\n")
    return status


# -- render -----------------------------------------------------------------------------------------
def _render(args: argparse.Namespace) -> int:
    import importlib

    report, error = _safe_read(args.report, args.max_mb)
    if report is None:
        assert error is not None
        _fail(args.report, error)
        return 2
    try:
        module = importlib.import_module(f"xxgk.annual_report.writers.{args.to}")
    except ModuleNotFoundError:
        return _error(args.report, f"本安装不能写出 {args.to}（缺少写出模块）")
    try:
        data: bytes = module.render(report)
    except Exception as exc:  # a writer problem is reported in one line, never a traceback
        _fail(args.report, exc)
        return 2
    return _write_out(data, args.output)


# -- audit ------------------------------------------------------------------------------------------
def _audit(args: argparse.Namespace) -> int:
    from xxgk.annual_report.audit import run_audit

    folder = Path(args.folder)
    if not folder.is_dir():
        return _error(str(folder), "不是文件夹")
    return run_audit(
        folder,
        Path(args.output),
        jobs=args.jobs,
        max_bytes=int(args.max_mb * 1024 * 1024),
        progress=not args.quiet,
    )


def register(subparsers: Any) -> None:
    """Add ``report`` (parse, check, render, audit) to the ``xxgk`` parser."""
    report = subparsers.add_parser(
        "report", help="statutory annual reports: parse, check, render, audit a folder"
    )
    sub = report.add_subparsers(dest="report_command", metavar="ACTION", required=True)

    def pages(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--pages",
            action="store_true",
            help="all FILEs (or the pictures in one folder) are the pages of ONE scanned "
            "report, in the order given (a folder: by name, p-2 before p-10); read by OCR",
        )

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--max-mb",
            type=float,
            default=50.0,
            help="refuse inputs larger than this many megabytes (default 50)",
        )

    parse = sub.add_parser("parse", help="read reports and print their cells (JSON or tidy CSV)")
    parse.add_argument("files", nargs="+", metavar="FILE")
    parse.add_argument("--format", choices=("json", "csv"), default="json")
    pages(parse)
    parse.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    common(parse)
    parse.set_defaults(func=_parse)

    chk = sub.add_parser(
        "check", help="check reports (exit 0 clean, 1 errors found, 2 unreadable input)"
    )
    chk.add_argument("files", nargs="+", metavar="FILE")
    chk.add_argument("--previous", metavar="FILE", help="last year's report of the same agency")
    chk.add_argument("--json", action="store_true", help="machine-readable output")
    chk.add_argument("--all", action="store_true", help="also list notices")
    pages(chk)
    common(chk)
    chk.set_defaults(func=_check)

    ren = sub.add_parser("render", help="write a report (JSON from `parse`) as DOCX/HTML/PDF/XLSX")
    ren.add_argument("report", metavar="REPORT.json")
    ren.add_argument("--to", choices=RENDER_KINDS, required=True)
    ren.add_argument("-o", "--output", metavar="OUT", required=True)
    common(ren)
    ren.set_defaults(func=_render)

    aud = sub.add_parser(
        "audit",
        help="read every report in a folder: cells.csv, findings.csv, summary.html",
    )
    aud.add_argument("folder", metavar="DIR")
    aud.add_argument("-o", "--output", metavar="OUTDIR", required=True)
    aud.add_argument(
        "-j", "--jobs", type=int, default=0, help="worker processes (default: all cores)"
    )
    aud.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    common(aud)
    aud.set_defaults(func=_audit)


def main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover - convenience
    """Run ``xxgk report …`` directly."""
    from xxgk.cli import main as xxgk_main

    return xxgk_main(["report", *(argv or sys.argv[1:])])
