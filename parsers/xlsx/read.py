"""Read an .xlsx/.xlsm workbook into grids: merged cells filled, CJK dates mapped, formulas never silently blank."""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

from openpyxl.utils import get_column_letter, range_boundaries

# openpyxl's own parser of a sheet part: the one its read-only worksheets use, without the Workbook
# around it (see parsers.xlsx.package). It is internal to openpyxl, so pyproject pins openpyxl to 3.1.x.
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from parsers.errors import ParserError, UnreadableFile
from parsers.forms.grid import Cell, Grid
from parsers.forms.text import strip_controls
from parsers.safety.limits import Limits
from parsers.xlsx.cellfmt import cjk_date, display
from parsers.xlsx.formula import evaluate
from parsers.xlsx.package import Package, Styles, open_package

_CORRUPT = "表格文件已损坏或格式异常，无法读取，请在 Excel 或 WPS 中打开并另存后重新发送"


def read_xlsx(data: bytes, limits: Limits) -> list[Grid]:
    """One grid per worksheet (chart sheets skipped); the guard (parsers.safety.guard) has already bounded every part."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns (and keeps going) on dates out of range
            package = open_package(zipfile.ZipFile(io.BytesIO(data)))
            return [_grid(name, _parse(package, part), package.styles, limits) for name, part in package.worksheets]
    except ParserError:
        raise
    except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on bad files
        raise UnreadableFile(_CORRUPT, code="corrupt-file") from exc


class _SheetParser(WorkSheetParser):
    """openpyxl's parser of one sheet part, keeping each formula's text beside the value Excel cached for it."""

    def __init__(self, source, package: Package):
        super().__init__(source, package.strings, data_only=True, epoch=package.epoch,
                         date_formats=package.styles.dates, timedelta_formats=package.styles.timedeltas)
        self.formulas: dict[tuple[int, int], str] = {}

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None:
            formula = self.parse_formula(element)  # array and data-table formulas are objects: not ours to evaluate
            if isinstance(formula, str):
                self.formulas[cell["row"], cell["column"]] = formula
        return cell


@dataclass
class Sheet:
    """One parsed sheet part: its cells by (row, column), formula texts and merged ranges."""

    cells: dict[tuple[int, int], tuple[object, int]]  # (row, column) → (value, style index)
    formulas: dict[tuple[int, int], str]
    merges: list[tuple[int, int, int, int]]  # (min_col, min_row, max_col, max_row)


def _parse(package: Package, part: str) -> Sheet:
    with package.archive.open(part) as source:
        parser = _SheetParser(source, package)
        # Every <c>, even one without a value, counts for the sheet's size as openpyxl counts it; a
        # pair instead of openpyxl's dict per cell keeps a large sheet about a quarter smaller in memory.
        cells = {(c["row"], c["column"]): (c["value"], c["style_id"]) for _, row in parser.parse() for c in row}
    refs = [m.ref for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    merges = [range_boundaries(ref) for ref in refs if ref]
    return Sheet(cells, parser.formulas, [m for m in merges if None not in m])


def _grid(title: str, sheet: Sheet, styles: Styles, limits: Limits) -> Grid:
    height = max([r for r, _ in sheet.cells] + [m[3] for m in sheet.merges], default=0)
    width = max([c for _, c in sheet.cells] + [m[2] for m in sheet.merges], default=0)
    _check_shape(title, height, width, limits)
    letters = [get_column_letter(c) for c in range(1, width + 1)]
    rows = [[Cell("", f"{col}{r}") for col in letters] for r in range(1, height + 1)]
    for (r, c), (value, style) in sheet.cells.items():
        formula = sheet.formulas.get((r, c))
        if value is not None or formula is not None:
            rows[r - 1][c - 1] = _cell(value, styles.builtin_id(style), f"{letters[c - 1]}{r}", formula)
    _evaluate_formulas(rows)
    _fill_merged(sheet.merges, rows)
    return Grid(name=strip_controls(title), rows=rows, source="xlsx")


def _check_shape(title: str, height: int, width: int, limits: Limits) -> None:
    # The grid is dense: two far-apart cells make height x width Cell objects.
    if height > limits.max_rows or width > limits.max_cols or height * width > limits.max_cells:
        raise UnreadableFile(
            f"工作表“{strip_controls(title)}”行列数过多（{height}行×{width}列），请删除多余的空行空列后重新发送",
            code="sheet-too-large",
        )


def _cell(value: object, num_fmt_id: int | None, ref: str, formula: str | None) -> Cell:
    value = cjk_date(value, num_fmt_id)
    value = strip_controls(value) if isinstance(value, str) else value
    formula = formula if value is None else None
    return Cell(text=display(value), ref=ref, value=value, formula=formula)


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
