"""The stream names of an OLE compound file, read from its directory (enough to tell encrypted OOXML from .doc/.xls)."""

from __future__ import annotations

import struct

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LAST_REGULAR = 0xFFFFFFFA  # sector numbers above this are markers (end of chain, free, FAT, DIFAT)
MAX_DIRECTORY_SECTORS = 4096  # a real directory has a handful; a loop in a forged chain stops here


def stream_names(data: bytes) -> set[str]:
    """Names in the directory; an empty set when the header or the chains are broken."""
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        return set()
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        return set()
    size = 1 << shift
    fat = _fat(data, struct.unpack_from("<109I", data, 76), size)
    first = struct.unpack_from("<I", data, 48)[0]
    names: set[str] = set()
    for sector in _chain(fat, first):
        names |= _entry_names(_sector(data, sector, size))
    return names


def _sector(data: bytes, number: int, size: int) -> bytes:
    return data[(number + 1) * size:(number + 2) * size]  # sector 0 starts after the header


def _fat(data: bytes, difat: tuple[int, ...], size: int) -> list[int]:
    # The header's 109 DIFAT slots cover files up to ~7 MB (512-byte sectors); larger ones fall back to a search.
    fat: list[int] = []
    for sector in (s for s in difat if s < LAST_REGULAR):
        block = _sector(data, sector, size)
        fat += struct.unpack(f"<{len(block) // 4}I", block[: len(block) // 4 * 4])
    return fat


def _chain(fat: list[int], start: int):
    seen = 0
    while start < LAST_REGULAR and start < len(fat) and seen < MAX_DIRECTORY_SECTORS:
        yield start
        start, seen = fat[start], seen + 1


def _entry_names(block: bytes) -> set[str]:
    names = set()
    for offset in range(0, len(block) - 127, 128):
        length = struct.unpack_from("<H", block, offset + 64)[0]
        if 2 < length <= 64:
            names.add(block[offset:offset + length - 2].decode("utf-16-le", "replace"))
    return names
