"""Read an .xlsx/.xlsm workbook into grids: merged cells filled, CJK dates mapped, formulas never silently blank."""

from __future__ import annotations

import io
import re
import warnings
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parsers.cellfmt import cjk_date, display
from parsers.errors import UnreadableFile
from parsers.formula import evaluate
from parsers.grid import Cell, Grid
from parsers.limits import Limits
from parsers.text import strip_controls

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def read_xlsx(data: bytes, limits: Limits) -> list[Grid]:
    """One grid per worksheet (chart sheets skipped)."""
    book = _load(data, data_only=True)
    formulas = _load(data, data_only=False) if _has_formulas(data) else None
    grids = []
    for ws in book.worksheets:
        _check_shape(ws, limits)
        grids.append(_grid(ws, formulas[ws.title] if formulas else None))
    return grids


def _load(data: bytes, *, data_only: bool):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only, keep_links=False)
    except Exception as exc:  # openpyxl raises anything from KeyError to lxml errors on bad files
        raise UnreadableFile("表格文件已损坏或格式异常，无法读取，请在 Excel 或 WPS 中打开并另存后重新发送", code="corrupt-file") from exc


def _has_formulas(data: bytes) -> bool:
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = (n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return any(_FORMULA.search(archive.read(n)) for n in sheets)


def _check_shape(ws: Worksheet, limits: Limits) -> None:
    # The grid is dense: two far-apart cells make max_row x max_column Cell objects.
    if ws.max_row > limits.max_rows or ws.max_column > limits.max_cols or ws.max_row * ws.max_column > limits.max_cells:
        raise UnreadableFile(
            f"工作表“{ws.title}”行列数过多（{ws.max_row}行×{ws.max_column}列），请删除多余的空行空列后重新发送",
            code="sheet-too-large",
        )


def _grid(ws: Worksheet, fws: Worksheet | None) -> Grid:
    letters = [get_column_letter(c) for c in range(1, ws.max_column + 1)]
    rows = [[Cell("", f"{col}{r}") for col in letters] for r in range(1, ws.max_row + 1)]
    # Only the stored cells carry values; touching ws.cell() for the rest would create them.
    for (r, c), cell in ws._cells.items():
        if cell.value is not None or fws is not None:
            rows[r - 1][c - 1] = _cell(cell, fws)
    _evaluate_formulas(rows)
    _fill_merged(ws, rows)
    return Grid(name=strip_controls(ws.title), rows=rows, source="xlsx")


def _cell(c, fws: Worksheet | None) -> Cell:
    value = cjk_date(c.value, c._style.numFmtId if c.has_style else None)
    value = strip_controls(value) if isinstance(value, str) else value
    formula = None
    if value is None and fws is not None:
        raw = fws.cell(row=c.row, column=c.column).value
        formula = raw if isinstance(raw, str) and raw.startswith("=") else None
    return Cell(text=display(value), ref=c.coordinate, value=value, formula=formula)


def _evaluate_formulas(rows: list[list[Cell]]) -> None:
    index = {cell.ref: cell.value for row in rows for cell in row if cell.value is not None}
    for cell in (c for row in rows for c in row if c.formula):
        value = evaluate(cell.formula, index.get)
        if value is not None:
            cell.value, cell.text = value, display(value)


def _fill_merged(ws: Worksheet, rows: list[list[Cell]]) -> None:
    # Only the top-left cell of a merged range holds the value; headers need it everywhere.
    for merged in ws.merged_cells.ranges:
        top = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                if rows[r][c] is not top:
                    rows[r][c] = Cell(text=top.text, ref=top.ref, value=top.value)
