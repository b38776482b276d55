"""Count rows, cells and merged ranges in an OOXML part as it streams past, before any XML parser builds a tree."""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.errors import UnreadableFile
from parsers.safety.limits import Limits

# Spreadsheet rows/cells (any namespace prefix), Word table rows/cells, merged ranges. Rows and cells share one
# pass: a token holds no '<' after its first byte and at most one of the four names fits at any '<'.
_TOKEN = re.compile(rb"<(?:\w+:)?(row|tr|c|tc)[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^<>]*?ref=\"([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?\"")
OVERLAP = 128  # longer than any token above, so a token cut by a chunk boundary is seen whole next time


@dataclass
class Shape:
    """What one part holds, counted without parsing it."""

    part: str
    rows: int = 0
    cells: int = 0
    merges: int = 0
    merged_cells: int = 0

    def feed(self, text: bytes, start: int = 0, end: int | None = None) -> None:
        """Count the tokens that start in ``text[start:end]`` (read in place, not copied)."""
        end = len(text) if end is None else end
        names = _TOKEN.findall(text, start, end)
        rows = names.count(b"row") + names.count(b"tr")
        self.rows += rows
        self.cells += len(names) - rows
        if text.find(b"mergeCell", start, end) < 0:
            return  # most parts have no merged range: skip the slower pattern
        for match in _MERGE.finditer(text, start, end):
            self.merges += 1
            self.merged_cells += merged_area(*match.groups())

    def check(self, limits: Limits) -> None:
        """Raise UnreadableFile when the part is bigger than a return can be."""
        if self.rows > limits.max_rows or self.cells > limits.max_cells:
            raise UnreadableFile(
                f"表格行数或单元格过多（{self.rows}行、{self.cells}个单元格），请删除多余的行列后重新发送", code="sheet-too-large")
        if self.merges > limits.max_merges or self.merged_cells > limits.max_merged_cells:
            raise UnreadableFile(
                f"工作表中合并单元格过多（{self.merges}处），请取消不必要的合并后重新发送", code="sheet-too-complex")


def merged_area(col1: bytes, row1: bytes, col2: bytes | None, row2: bytes | None) -> int:
    """How many cells a merged range such as A1:XFD1048576 covers."""
    if col2 is None:
        return 1
    width = abs(column_number(col2) - column_number(col1)) + 1
    return width * (abs(int(row2) - int(row1)) + 1)


def column_number(letters: bytes) -> int:
    """1-based number of a column name (A=1, XFD=16384)."""
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def scan_chunks(shape: Shape, chunks, limits: Limits) -> None:
    """Feed streamed chunks to ``shape`` (checking as it goes, so a huge part stops early)."""
    tail = b""
    for chunk in chunks:
        buffer = tail + chunk
        cut = max(len(buffer) - OVERLAP, 0)
        # Count only tokens that start before the cut; the rest are seen again with the next chunk.
        head_end = _token_safe_cut(buffer, cut)
        shape.feed(buffer, 0, head_end)
        tail = buffer[head_end:]
        shape.check(limits)
    shape.feed(tail)
    shape.check(limits)


def _token_safe_cut(buffer: bytes, cut: int) -> int:
    # Cut just before a '<' so no token is split between the counted head and the kept tail. When the only
    # '<' before the cut opens the buffer, that token may run past the cut: cut at the next '<' instead.
    at = buffer.rfind(b"<", 0, cut + 1)
    if at > 0:
        return at
    after = buffer.find(b"<", cut + 1)
    return after if after > 0 else len(buffer)
