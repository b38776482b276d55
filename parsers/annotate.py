"""An annotated copy of the sender's workbook: each offending cell highlighted, with the fix as a comment; values only."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidationList

from parsers.errors import UnreadableFile
from parsers.problems import Problem
from parsers.safety.cellsafe import put_text

ERROR_FILL = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
WARNING_FILL = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
AUTHOR = "报送机器人"
_A1 = re.compile(r"^[A-Z]{1,3}[1-9]\d*$")


def annotate_workbook(data: bytes, problems: Iterable[Problem]) -> bytes:
    """The workbook with every problem's cell filled (red for errors, yellow for warnings) and commented.

    The office's own mailbox sends this copy, to an address that may be forged: it carries the sender's values
    and nothing live — no formula (a cell shows what the sender's program last computed), no external link or
    DDE, no defined name, hyperlink, macro, chart, pivot, table, validation or conditional format.
    """
    book = _open(data, data_only=True)
    formulas = _open(data, data_only=False)
    for ws, source in zip(book.worksheets, formulas.worksheets):
        values_only(ws, source)
    for sheet in list(book.chartsheets):
        book.remove(sheet)
    book.defined_names.clear()
    marked = _by_cell(problems)
    for (sheet, ref), found in marked.items():
        ws = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
        _mark(ws[ref], found)
    explain(book, [(ws_name or book.worksheets[0].title, ref, p) for (ws_name, ref), found in marked.items() for p in found])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _open(data: bytes, data_only: bool):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_vba=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many types on a bad file
        raise UnreadableFile("无法生成批注副本：表格文件无法打开", code="corrupt-file") from exc


def values_only(ws, source) -> None:
    """Strip ``ws`` (loaded with cached values) to values; a formula never computed is kept as its text, inert."""
    # The cells that exist, not the bounding box: A1 and XFD1048576 alone must not mean 17 billion iterations.
    for key, cell in list(ws._cells.items()):
        if not isinstance(cell, Cell):
            continue  # the covered part of a merged range holds nothing
        cell.hyperlink = None
        original = source._cells.get(key)
        if cell.value is None and original is not None and original.data_type == "f":
            formula = original.value
            put_text(cell, formula if isinstance(formula, str) else str(getattr(formula, "text", "") or ""))
        elif isinstance(cell.value, str) or cell.data_type == "f":  # no formula is ever written back
            put_text(cell, str(cell.value))
    ws._hyperlinks, ws._charts, ws._images, ws._pivots = [], [], [], []
    ws.tables.clear()
    ws.defined_names.clear()
    ws.conditional_formatting = ConditionalFormattingList()
    ws.data_validations = DataValidationList()
    ws.legacy_drawing = None


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


EXPLAINED = "问题说明"
HEAD_FILL = PatternFill(fill_type="solid", start_color="FFD9E1F2", end_color="FFD9E1F2")


def explain(book, rows: list[tuple[str, str, Problem]]) -> None:
    """A last sheet listing every marked cell and what to fix, so a printout says it in words (comments do not print)."""
    name = EXPLAINED if EXPLAINED not in book.sheetnames else f"{EXPLAINED}（报送机器人）"
    ws = book.create_sheet(name)
    for col, (title, width) in enumerate((("序号", 6), ("工作表", 16), ("单元格", 9), ("级别", 8), ("说明", 80)), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font, cell.fill = Font(name="宋体", bold=True, size=11), HEAD_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    for number, (sheet, ref, problem) in enumerate(rows, start=1):
        values = (number, sheet, ref, "需修改" if problem.is_error else "提示", problem.message)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=number + 1, column=col)
            put_text(cell, value) if isinstance(value, str) else setattr(cell, "value", value)
            cell.font, cell.alignment = Font(name="宋体", size=11), Alignment(wrap_text=True, vertical="top")
        ws.cell(row=number + 1, column=4).fill = ERROR_FILL if problem.is_error else WARNING_FILL
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
