"""Cheap checks on a zip before any XML parser sees it: sizes, ratios, part count, shape, no DOCTYPE."""

from __future__ import annotations

import io
import zipfile
import zlib

from parsers.errors import UnreadableFile
from parsers.safety.limits import Limits
from parsers.safety.shape import Shape, scan_chunks

CHUNK = 1 << 16
# Parts no XML parser reads; everything else is checked whatever its name (a sheet may be called sheet1.dat).
BINARY = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".bin", ".wdp", ".svgz")
# A DOCTYPE or ENTITY declaration, in the encodings an XML parser would accept.
MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")) + (b"<!doctype",)
# Every marker holds a '!' byte, which ordinary parts lack: one fast search clears most chunks.
_BANG = b"!"
# Bytes kept from each side of a chunk boundary: more than the longest marker (18 bytes in UTF-16).
SEAM = 32
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError)


def check_zip(data: bytes, limits: Limits) -> None:
    """Raise UnreadableFile (hostile-file, file-too-large, sheet-too-large …) before a zip is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        _check_sizes(infos, len(data), limits)
        for info in infos:
            if guards_part(info.filename):
                _check_part(archive, info, limits)
    except ZIP_ERRORS as exc:
        raise UnreadableFile("文件已损坏或不完整，无法打开，请重新保存后再发送", code="corrupt-file") from exc


def _check_sizes(infos: list[zipfile.ZipInfo], size: int, limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise UnreadableFile("文件内部结构异常（部件过多），系统拒绝读取", code="hostile-file")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped:
        raise UnreadableFile("文件解压后过大，系统拒绝读取；请删除多余内容后重新发送", code="file-too-large")
    # Below 1 MB a high ratio is harmless (and common for sparse sheets); above it, it is a bomb's signature.
    if total > 1 << 20 and total > limits.max_ratio * max(size, 1):
        raise UnreadableFile("文件压缩比异常，系统拒绝读取", code="hostile-file")
    for info in infos:
        if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnreadableFile("文件压缩比异常，系统拒绝读取", code="hostile-file")


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    # Streamed: a part is never held whole; zipfile stops at the declared size and checks the CRC at the end.
    shape = Shape(info.filename)
    scan_chunks(shape, _chunks(archive, info), limits)


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            # A marker is either inside this chunk or across the seam: check the seam, not a copy of the chunk.
            _refuse_doctype(chunk)
            if tail:
                _refuse_doctype(tail + chunk[:SEAM])
            tail = chunk[-SEAM:]
            yield chunk


def guards_part(name: str) -> bool:
    """Whether the guard scans the part ``name`` (every part but pictures and other binaries)."""
    return not name.lower().endswith(BINARY)


def declares_dtd(text: bytes) -> bool:
    """Whether ``text`` holds a DOCTYPE or ENTITY declaration as an XML parser would read one."""
    return _BANG in text and any(marker in text for marker in MARKERS)


def _refuse_doctype(text: bytes) -> None:
    if declares_dtd(text):
        # Nothing of the file is read: to the sender it is a damaged file to open and save again.
        raise UnreadableFile("文件已损坏或含有不允许的内容，系统未读取其中任何内容；"
                             "请在 Excel 或 WPS 中打开并另存后重新发送", code="hostile-file")
