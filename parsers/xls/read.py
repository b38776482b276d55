"""Read a legacy .xls (BIFF) workbook into grids with python-calamine."""

from __future__ import annotations

import io

from openpyxl.utils import get_column_letter

from parsers.errors import UnreadableFile
from parsers.forms.grid import Cell, Grid
from parsers.safety.limits import Limits
from parsers.xlsx.cellfmt import display


def read_xls(data: bytes, limits: Limits) -> list[Grid]:
    """One grid per sheet; merged ranges filled from their top-left cell."""
    try:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return [_grid(book.get_sheet_by_name(name), limits) for name in book.sheet_names]
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises its own error types and plain ValueErrors
        raise UnreadableFile("无法读取该 .xls 文件，请另存为.xlsx/.docx后重新发送", code="unsupported-format") from exc


def _grid(sheet, limits: Limits) -> Grid:
    if sheet.total_height > limits.max_rows or sheet.total_width > limits.max_cols:
        raise UnreadableFile(f"工作表“{sheet.name}”行列数过多，请删除多余的空行空列后重新发送", code="sheet-too-large")
    r0, c0 = sheet.start or (0, 0)
    values = sheet.to_python(skip_empty_area=False)
    rows = [[_cell(v, r, c) for c, v in enumerate(row)] for r, row in enumerate(values)]
    for (top_r, top_c), (end_r, end_c) in sheet.merged_cell_ranges or ():
        _fill(rows, top_r, top_c, end_r, end_c)
    return Grid(name=sheet.name, rows=rows, source="xls")


def _cell(value: object, r: int, c: int) -> Cell:
    value = None if value == "" else value
    return Cell(text=display(value), ref=f"{get_column_letter(c + 1)}{r + 1}", value=value)


def _fill(rows: list[list[Cell]], top_r: int, top_c: int, end_r: int, end_c: int) -> None:
    if top_r >= len(rows) or top_c >= len(rows[top_r]):
        return
    top = rows[top_r][top_c]
    for r in range(top_r, min(end_r + 1, len(rows))):
        for c in range(top_c, min(end_c + 1, len(rows[r]))):
            if (r, c) != (top_r, top_c):
                rows[r][c] = Cell(text=top.text, ref=top.ref, value=top.value)
