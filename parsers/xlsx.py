"""Read an .xlsx/.xlsm workbook into grids: merged cells filled, CJK dates mapped, formulas never silently blank."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

from parsers.cellfmt import cjk_date, display
from parsers.errors import ParserError, UnreadableFile
from parsers.formula import evaluate
from parsers.grid import Cell, Grid
from parsers.limits import Limits
from parsers.text import strip_controls
from parsers.workbook_parts import sheet_parts

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([^\"]+)\"")
_CORRUPT = "表格文件已损坏或格式异常，无法读取，请在 Excel 或 WPS 中打开并另存后重新发送"


@dataclass
class SheetPart:
    """What openpyxl's read-only mode does not give: a sheet's merged ranges, and whether it holds formulas."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_col, min_row, max_col, max_row)
    formulas: bool = False


def read_xlsx(data: bytes, limits: Limits) -> list[Grid]:
    """One grid per worksheet (chart sheets skipped).

    openpyxl's read-only mode streams each sheet once instead of building its object model; the
    guard (parsers.guard) has already bounded every part, so nothing here can grow without limit.
    """
    try:
        parts = _sheet_parts(data)
        with _book(data, data_only=True) as book:
            if not any(p.formulas for p in parts.values()):
                return [_grid(ws, parts.get(ws.title, SheetPart()), {}, limits) for ws in book.worksheets]
            with _book(data, data_only=False) as source:
                return [_grid(ws, parts.get(ws.title, SheetPart()), _formulas(source[ws.title]), limits) for ws in book.worksheets]
    except ParserError:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to lxml errors on bad files, even while streaming
        raise UnreadableFile(_CORRUPT, code="corrupt-file") from exc


@contextmanager
def _book(data: bytes, *, data_only: bool) -> Iterator[openpyxl.Workbook]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False)
    try:
        yield book
    finally:
        book.close()


def _sheet_parts(data: bytes) -> dict[str, SheetPart]:
    """Sheet name (as openpyxl titles it) → its merged ranges and formula flag, from each sheet part's raw XML."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = set(archive.namelist())
    workbook, rels = (_text(archive, name) if name in members else "" for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"))
    found = {}
    for name, part in sheet_parts(workbook, rels):
        if part in members:
            xml = archive.read(part)
            merges = [range_boundaries(ref.decode("ascii", "replace")) for ref in _MERGE.findall(xml)]
            found[name] = SheetPart([m for m in merges if None not in m], bool(_FORMULA.search(xml)))
    return found


def _text(archive: zipfile.ZipFile, name: str) -> str:
    return archive.read(name).decode("utf-8", errors="replace")


def _formulas(ws) -> dict[tuple[int, int], str]:
    """(row, column) → formula text of every formula cell of the sheet."""
    ws.reset_dimensions()
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and c.value.startswith("=") and getattr(c, "data_type", "") == "f"}


def _grid(ws, part: SheetPart, formulas: dict[tuple[int, int], str], limits: Limits) -> Grid:
    ws.reset_dimensions()  # a wrong <dimension> (common in files from other tools) must not cut rows off
    stored = {(c.row, c.column): c for row in ws.iter_rows() for c in row if hasattr(c, "row")}
    height = max([r for r, _ in stored] + [m[3] for m in part.merges], default=0)
    width = max([c for _, c in stored] + [m[2] for m in part.merges], default=0)
    _check_shape(ws.title, height, width, limits)
    letters = [get_column_letter(c) for c in range(1, width + 1)]
    rows = [[Cell("", f"{col}{r}") for col in letters] for r in range(1, height + 1)]
    for (r, c), cell in stored.items():
        if cell.value is not None or (r, c) in formulas:
            rows[r - 1][c - 1] = _cell(cell, formulas.get((r, c)))
    _evaluate_formulas(rows)
    _fill_merged(part.merges, rows)
    return Grid(name=strip_controls(ws.title), rows=rows, source="xlsx")


def _check_shape(title: str, height: int, width: int, limits: Limits) -> None:
    # The grid is dense: two far-apart cells make height x width Cell objects.
    if height > limits.max_rows or width > limits.max_cols or height * width > limits.max_cells:
        raise UnreadableFile(
            f"工作表“{strip_controls(title)}”行列数过多（{height}行×{width}列），请删除多余的空行空列后重新发送",
            code="sheet-too-large",
        )


def _cell(c, formula: str | None) -> Cell:
    value = cjk_date(c.value, c.style_array.numFmtId if c.has_style else None)
    value = strip_controls(value) if isinstance(value, str) else value
    formula = formula if value is None else None
    return Cell(text=display(value), ref=c.coordinate, value=value, formula=formula)


def _evaluate_formulas(rows: list[list[Cell]]) -> None:
    index = {cell.ref: cell.value for row in rows for cell in row if cell.value is not None}
    for cell in (c for row in rows for c in row if c.formula):
        value = evaluate(cell.formula, index.get)
        if value is not None:
            cell.value, cell.text = value, display(value)


def _fill_merged(merges: list[tuple[int, int, int, int]], rows: list[list[Cell]]) -> None:
    # Only the top-left cell of a merged range holds the value; headers need it everywhere.
    for min_col, min_row, max_col, max_row in merges:
        top = rows[min_row - 1][min_col - 1]
        for r in range(min_row - 1, min(max_row, len(rows))):
            for c in range(min_col - 1, min(max_col, len(rows[r]))):
                if rows[r][c] is not top:
                    rows[r][c] = Cell(text=top.text, ref=top.ref, value=top.value)
