"""The dispatcher: bytes or a path in, a :class:`Report` out.

The kind of input is sniffed from the content (magic bytes, zip members, markup), never from
the file name alone; the size is checked before anything is parsed. Front ends are imported
lazily by module name (``xxgk.annual_report.readers.<kind>``), so a front end that is not
installed is a clear "unsupported" error rather than an ImportError.
"""

from __future__ import annotations

import importlib
import re
import zipfile
from io import BytesIO
from pathlib import Path

from xxgk.annual_report.assemble import assemble
from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.model import Report
from xxgk.annual_report.raw import Location, RawDocument

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TEXT_BYTES",
    "KINDS",
    "page_files",
    "read",
    "read_pages",
    "read_raw",
    "sniff",
]

#: Inputs larger than this are refused before parsing (bytes); override with ``max_bytes``.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: Plain text, glued web text and Markdown larger than this are refused too: a real report in
#: text is 10–50 KB, so 10 MB is already a thousand reports' worth (override with
#: ``max_text_bytes``). HTML has its own limit in its reader; PDF, DOCX, XLSX and images
#: carry fonts and pictures and keep ``max_bytes``.
DEFAULT_MAX_TEXT_BYTES = 10 * 1024 * 1024
_TEXT_KINDS = frozenset({"text", "glued", "markdown"})

#: Front-end names (modules under ``xxgk.annual_report.readers``) and what they read.
KINDS: dict[str, str] = {
    "text": "扁平化文本（每行一个单元格）",
    "glued": "单元格粘连的网页文本",
    "html": "HTML（含 Word 导出的 HTML、脚本字符串中的 HTML）",
    "markdown": "Markdown 表格",
    "pdf": "带文字层的 PDF",
    "docx": "Word 文档（DOCX）",
    "xlsx": "Excel 工作簿（XLSX）",
    "ocr": "扫描件或图片（需 OCR）",
}

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
)
_HTML = re.compile(rb"<\s*(table|html|body|tr|td)\b", re.IGNORECASE)
# [ \t], not \s, and no two optional runs side by side: either made a long run of blank
# lines or spaces quadratic
_MD_RULE = re.compile(
    r"^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+(?:\|[ \t]*)?$",
    re.MULTILINE,
)
_GLUED = re.compile(r"本年新收政府信息公开申请数量[ \u3000]*\d")


def sniff(data: bytes, name: str | None = None) -> str:
    """The front end for ``data``: one of :data:`KINDS`.

    Raises :class:`ReportReadError` for empty input, unsupported containers (old binary
    ``.doc``/``.xls``, other zips) and binary junk.
    """
    where = Location(file=name)
    if not data.strip():
        raise ReportReadError("empty", "文件为空", where)
    head = data[:8]
    if data.startswith(b"%PDF-"):
        return "pdf"
    if any(head.startswith(m) for m in _IMAGE_MAGIC) or data[8:12] == b"WEBP":
        return "ocr"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise ReportReadError("bad_zip", f"压缩包已损坏，无法读取：{exc}", where) from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise ReportReadError("unsupported", "不支持的压缩文件（既不是 DOCX 也不是 XLSX）", where)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportReadError(
            "unsupported",
            "不支持旧版 Word/Excel 二进制格式（.doc/.xls），请另存为 DOCX/XLSX",
            where,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 text with its BOM: sniff the decoded text (the text readers decode it)
        from xxgk.annual_report.readers.text import decode_text

        data = decode_text(data[:200_000], name or "").encode("utf-8")
    if b"\x00" in data[:4096]:
        raise ReportReadError("binary", "文件不是可识别的报告格式（含有二进制数据）", where)
    sample = data[:200_000]
    if _HTML.search(sample) or b"&lt;table" in sample.lower():
        return "html"
    try:
        text = sample.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        try:
            text = sample.decode("gb18030")
        except UnicodeDecodeError:
            if len(sample) == 200_000:
                text = sample.decode("utf-8", errors="ignore")
            else:
                raise ReportReadError(
                    "binary", "文件无法按文本（UTF-8或GB18030）解码", where
                ) from None
    if _MD_RULE.search(text):
        return "markdown"
    if _GLUED.search(text):
        return "glued"
    return "text"


def read_raw(data: bytes, *, source: str, kind: str | None = None) -> RawDocument:
    """Run the front end for ``data`` (sniffed unless ``kind`` is given)."""
    kind = kind or sniff(data, source)
    if kind not in KINDS:
        raise ReportReadError("unsupported", f"未知的输入类型“{kind}”", Location(file=source))
    module_name = f"xxgk.annual_report.readers.{kind}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module_name + ".").startswith(exc.name + "."):
            raise ReportReadError(
                "unsupported",
                f"本安装不支持读取{KINDS[kind]}（缺少读取模块 {kind}）",
                Location(file=source),
            ) from exc
        raise ReportReadError(
            "unsupported",
            f"读取{KINDS[kind]}需要的组件未安装：{exc.name}",
            Location(file=source),
        ) from exc
    raw: RawDocument = module.read_raw(data, source=source)
    return raw


def read(
    source: str | Path | bytes,
    *,
    name: str | None = None,
    kind: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> Report:
    """Read one annual report from a path or from bytes.

    The size is checked first (``max_bytes``, default 50 MB), then the kind is sniffed from
    the content (text-like kinds are refused above ``max_text_bytes``, default 10 MB), the front end builds a :class:`RawDocument` and the assembler types it.
    Every problem with the input raises :class:`ReportReadError`.
    """
    if isinstance(source, bytes):
        data = source
        label = name or "<bytes>"
        if len(data) > max_bytes:
            raise _too_large(len(data), max_bytes, label)
    else:
        path = Path(source)
        label = name or str(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ReportReadError(
                "unreadable", f"无法打开文件：{exc.strerror}", Location(file=label)
            ) from exc
        if not path.is_file():
            raise ReportReadError("unreadable", "不是普通文件", Location(file=label))
        if size > max_bytes:
            raise _too_large(size, max_bytes, label)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReportReadError(
                "unreadable", f"无法读取文件：{exc.strerror}", Location(file=label)
            ) from exc
    if (
        kind in (None, "json")
        and data.lstrip()[:1] == b"{"
        and b'"xxgk-annual-report"' in data[:4096]
    ):
        from xxgk.annual_report.writers.json import load

        return load(data, source=label)
    kind = kind or sniff(data, label)
    if kind in _TEXT_KINDS and len(data) > min(max_bytes, max_text_bytes):
        raise _too_large(len(data), min(max_bytes, max_text_bytes), label, "文本")
    raw = read_raw(data, source=label, kind=kind)
    return assemble(raw)


def _too_large(size: int, limit: int, label: str, what: str = "") -> ReportReadError:
    return ReportReadError(
        "too_large",
        f"{what}文件过大（{size / 1024 / 1024:.1f} MB），超过上限 {limit / 1024 / 1024:.0f} MB",
        Location(file=label),
    )


def _natural(path: Path) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def page_files(paths: list[Path]) -> list[Path]:
    """The page images named by ``paths``: files in the order given; a folder gives its files
    in natural name order (``p-2.png`` before ``p-10.png``), hidden files left out."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    (p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")),
                    key=_natural,
                )
            )
        else:
            out.append(path)
    return out


def read_pages(
    paths: list[Path], *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Report:
    """Several page images (a scan saved one picture per page) as ONE report, in order.

    A folder stands for its files (see :func:`page_files`). Every file must be a picture
    (PNG, JPEG, TIFF, GIF, BMP, WebP); together they may not exceed ``max_bytes``. The pages
    go through the OCR reader's :func:`~xxgk.annual_report.readers.ocr.read_images`, so a
    table that runs over a page break is read as one; locations carry the page number.
    """
    files = page_files(paths)
    label = name or (str(paths[0]) if len(paths) == 1 else f"{files[0] if files else ''}…")
    if not files:
        raise ReportReadError("empty", "没有页面图片", Location(file=label))
    pictures: list[bytes] = []
    total = 0
    for number, path in enumerate(files, start=1):
        where = Location(file=str(path), page=number)
        try:
            total += path.stat().st_size
            if total > max_bytes:
                raise _too_large(total, max_bytes, label, "页面图片合计")
            data = path.read_bytes()
        except OSError as exc:
            raise ReportReadError("unreadable", f"无法读取文件：{exc.strerror}", where) from exc
        if sniff(data, str(path)) != "ocr":
            raise ReportReadError("unsupported", "按页读取时每个文件都必须是图片", where)
        pictures.append(data)
    try:
        module = importlib.import_module("xxgk.annual_report.readers.ocr")
    except ModuleNotFoundError as exc:
        raise ReportReadError(
            "unsupported", f"读取{KINDS['ocr']}需要的组件未安装：{exc.name}", Location(file=label)
        ) from exc
    raw: RawDocument = module.read_images(pictures, source=label)
    return assemble(raw)
