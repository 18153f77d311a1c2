"""Opening DOCX and XLSX packages (zip files) without trusting them.

Before anything is decompressed, the central directory is checked: number of entries,
declared uncompressed size of each entry and of all together, and the compression ratio
(a zip bomb declares, or hides, a huge expansion). Members are then read in bounded chunks,
so a lying size header cannot make us allocate more than the limit either.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from xxgk.annual_report.errors import ReportReadError
from xxgk.annual_report.raw import Location

#: An annual report package has a few dozen entries.
MAX_ENTRIES = 1000
#: Declared uncompressed size, all entries together.
MAX_TOTAL = 200 * 1024 * 1024
#: Uncompressed size of any one member we read.
MAX_MEMBER = 64 * 1024 * 1024
#: Larger expansion than this (for members over 1 MB) is a bomb, not XML.
MAX_RATIO = 200
MAX_BYTES = 64 * 1024 * 1024


def open_package(data: bytes, *, source: str, kind: str) -> zipfile.ZipFile:
    """The zip file, after the size checks; ``kind`` ("DOCX", "XLSX") names it in messages."""
    where = Location(file=source)
    if len(data) > MAX_BYTES:
        raise ReportReadError(
            f"{kind.lower()}_too_large",
            f"{kind}文件过大（{len(data) // (1024 * 1024)} MB），不像是一份年度报告。",
            where,
        )
    if not data.startswith(b"PK"):
        raise ReportReadError(
            f"{kind.lower()}_unreadable", f"文件不是{kind}格式（不是zip压缩包）。", where
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ReportReadError(
            f"{kind.lower()}_unreadable", f"{kind}文件已损坏或不完整，无法读取。", where
        ) from None
    if len(infos) > MAX_ENTRIES:
        raise ReportReadError(
            f"{kind.lower()}_zip_bomb",
            f"{kind}文件包含{len(infos)}个条目，超过{MAX_ENTRIES}个的上限，拒绝读取。",
            where,
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        raise ReportReadError(
            f"{kind.lower()}_zip_bomb",
            f"{kind}文件解压后将达{total // (1024 * 1024)} MB，超过上限，疑似压缩炸弹，拒绝读取。",
            where,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise ReportReadError(
                f"{kind.lower()}_zip_bomb",
                f"{kind}文件中的“{info.filename[:80]}”解压后过大（压缩比{ratio:.0f}），"
                "疑似压缩炸弹，拒绝读取。",
                where,
            )
    return package


def read_member(package: zipfile.ZipFile, name: str, *, source: str, kind: str) -> bytes:
    """One member's bytes, never more than :data:`MAX_MEMBER` whatever its header says."""
    where = Location(file=source)
    try:
        with package.open(name) as handle:
            chunks: list[bytes] = []
            size = 0
            while chunk := handle.read(1024 * 1024):
                size += len(chunk)
                if size > MAX_MEMBER:
                    raise ReportReadError(
                        f"{kind.lower()}_zip_bomb",
                        f"{kind}文件中的“{name}”解压后超过上限，疑似压缩炸弹，拒绝读取。",
                        where,
                    )
                chunks.append(chunk)
    except KeyError:
        raise ReportReadError(
            f"{kind.lower()}_unreadable", f"{kind}文件缺少“{name}”，不是有效的{kind}文件。", where
        ) from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,  # an encrypted member
    ):
        raise ReportReadError(
            f"{kind.lower()}_unreadable", f"{kind}文件已损坏或不完整，无法读取。", where
        ) from None
    return b"".join(chunks)
