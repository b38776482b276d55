"""An annotated copy of the sender's workbook: each offending cell highlighted, with the fix as a comment."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from typing import Iterable

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from parsers.errors import UnreadableFile
from parsers.problems import Problem

ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
WARNING_FILL = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
AUTHOR = "报送机器人"
_A1 = re.compile(r"^[A-Z]{1,3}[1-9]\d*$")


def annotate_workbook(data: bytes, problems: Iterable[Problem]) -> bytes:
    """The workbook with every problem's cell filled (red for errors, yellow for warnings) and commented."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), keep_vba=True, keep_links=True)
    except Exception as exc:  # openpyxl raises many types on a bad file
        raise UnreadableFile("无法生成批注副本：表格文件无法打开", code="corrupt-file") from exc
    try:
        for (sheet, ref), found in _by_cell(problems).items():
            ws = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
            _mark(ws[ref], found)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    finally:
        # keep_vba copies the original parts into an in-memory zip that openpyxl never closes; left to
        # the garbage collector, it fails writing to its already-freed buffer.
        if book.vba_archive is not None:
            book.vba_archive.close()


def _by_cell(problems: Iterable[Problem]) -> dict[tuple[str | None, str], list[Problem]]:
    cells: dict[tuple[str | None, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.cell and _A1.match(problem.cell):
            cells[(problem.sheet, problem.cell)].append(problem)
    return cells


def _mark(cell, found: list[Problem]) -> None:
    cell.fill = ERROR_FILL if any(p.is_error for p in found) else WARNING_FILL
    text = "\n".join(p.message for p in found)
    comment = Comment(text, AUTHOR)
    comment.width, comment.height = 300, 40 + 20 * len(text) // 20
    cell.comment = comment
