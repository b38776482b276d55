"""Cheap checks on a zip before any XML parser sees it: sizes, ratios, part count, no DOCTYPE."""

from __future__ import annotations

import io
import zipfile

from parsers.errors import UnreadableFile
from parsers.limits import Limits


def check_zip(data: bytes, limits: Limits) -> None:
    """Raise UnreadableFile (code hostile-file) if the zip is a bomb or carries a DOCTYPE."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile("文件已损坏，无法打开", code="corrupt-file") from exc
    _check_sizes(infos, limits)
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _check_part(archive, info)


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise UnreadableFile("文件内部结构异常（部件过多），系统拒绝读取", code="hostile-file")
    if sum(i.file_size for i in infos) > limits.max_unzipped:
        raise UnreadableFile("文件解压后过大，系统拒绝读取；请删除多余内容后重新发送", code="file-too-large")
    for info in infos:
        if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UnreadableFile("文件压缩比异常，系统拒绝读取", code="hostile-file")


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    # The declared size was checked above, but a member may lie: read at most that much plus one byte.
    with archive.open(info) as part:
        head = part.read(4096)
        body = head + part.read()
    if len(body) > info.file_size:
        raise UnreadableFile("文件内部结构异常，系统拒绝读取", code="hostile-file")
    if b"<!doctype" in head.lower() or b"<!DOCTYPE" in body:
        raise UnreadableFile("文件含有不允许的 XML 声明（DOCTYPE），系统拒绝读取", code="hostile-file")
