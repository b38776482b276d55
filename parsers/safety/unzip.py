"""Bounded unpacking of a .zip of returns: one level deep, capped in entries and bytes, GBK names recovered."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from parsers.mail.attachment import Attachment
from parsers.mail.mimetext import decode_bytes
from parsers.problem_texts import render
from parsers.problems import Problem, error, warning

JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1


@dataclass(frozen=True)
class ZipLimits:
    """How much a mailed archive may hold; a returns archive has a handful of small files."""

    max_entries: int = 50
    max_total: int = 50 * 1024 * 1024
    max_ratio: float = 200.0


def is_zip(attachment: Attachment) -> bool:
    """Whether an attachment is a zip archive to open (not an xlsx/docx, which are zips too)."""
    name = attachment.filename.lower()
    return name.endswith(".zip") or attachment.content_type in ("application/zip", "application/x-zip-compressed")


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name: UTF-8 when flagged, else the raw bytes (GBK from Windows zippers) as UTF-8 or GB18030."""
    name = info.filename
    if not info.flag_bits & UTF8_FLAG:
        # zipfile decoded the bytes as cp437; get them back.
        name = decode_bytes(name.encode("cp437", "replace"))
    return posixpath.basename(name.replace("\\", "/"))


def list_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The files of an archive, without folders and desktop litter."""
    return [info for info in archive.infolist()
            if not info.is_dir() and not any(junk in info.filename for junk in JUNK)]


def unpack_zip(attachment: Attachment, limits: ZipLimits = ZipLimits()) -> tuple[list[Attachment], list[Problem]]:
    """The files inside a zip attachment (inner=True), or problems saying why they were not taken."""
    where = dict(file=attachment.filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(attachment.data))
        entries = list_entries(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        return [], [error("zip-unreadable", render("zip-unreadable", file=attachment.filename), **where)]
    problem = check_archive(attachment.filename, entries, limits)
    if problem:
        return [], [problem]
    return read_entries(archive, entries, attachment.filename)


def check_archive(name: str, entries: list[zipfile.ZipInfo], limits: ZipLimits) -> Problem | None:
    """The first reason not to open an archive at all (too many files, too big, encrypted, a zip bomb)."""
    if len(entries) > limits.max_entries:
        return error("zip-too-many-entries", render("zip-too-many-entries", file=name, count=len(entries), limit=limits.max_entries), file=name)
    if sum(info.file_size for info in entries) > limits.max_total:
        return error("zip-too-large", render("zip-too-large", file=name, limit=limits.max_total // 1048576), file=name)
    if any(info.flag_bits & ENCRYPTED_FLAG for info in entries):
        return error("zip-encrypted", render("zip-encrypted", file=name), file=name)
    if any(info.file_size > limits.max_ratio * max(info.compress_size, 1) for info in entries):
        return error("zip-suspicious", render("zip-suspicious", file=name), file=name)
    return None


def read_entries(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], name: str) -> tuple[list[Attachment], list[Problem]]:
    """Read each entry (its declared size is re-checked while reading); nested archives are not opened."""
    found: list[Attachment] = []
    problems: list[Problem] = []
    for info in entries:
        inner = entry_name(info)
        if inner.lower().endswith((".zip", ".rar", ".7z")):
            problems.append(warning("zip-nested", render("zip-nested", outer=name, file=inner), file=inner))
            continue
        try:
            with archive.open(info) as stream:
                data = stream.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            problems.append(error("zip-unreadable", f"压缩包“{name}”中的“{inner}”无法解压，请直接以附件形式发送。", file=inner))
            continue
        if len(data) > info.file_size:
            return [], [error("zip-suspicious", f"压缩包“{name}”的文件大小与声明不符，系统不予解压。", file=name)]
        found.append(Attachment(filename=inner, content_type="application/octet-stream", data=data, inner=True))
    return found, problems
