"""Read a roster file (.csv in UTF-8, UTF-8 with BOM or GB18030, or .xlsx) into units."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from routing.errors import RosterError
from routing.model.roster import Unit, check_header, header_key, parse_roster

# The header may sit under a title line or two; look this far down for it.
HEADER_SCAN_ROWS = 20


def read_roster_file(path: str | Path, categories: tuple[str, ...] | None = None) -> list[Unit]:
    """Read and validate a roster file; any fault raises RosterError naming the row, nothing half-read.

    ``categories``: the campaign's (Campaign.categories; ("",) when it has none); None accepts any written one.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid = read_csv_grid(_read_bytes(path))
    elif suffix == ".xlsx":
        grid = read_xlsx_grid(path)
    else:
        raise RosterError(f"名册文件“{path.name}”的格式不受支持，请使用 .csv 或 .xlsx（.xls 请另存为 .xlsx）。")
    return rows_to_units(grid, categories)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RosterError(f"无法打开名册文件“{path}”：{exc.strerror or exc}") from exc


def decode_csv(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's Unicode text), else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise RosterError("无法识别名册文件的编码，请另存为 UTF-8 或 GB18030 编码的 CSV，或 .xlsx 文件。") from exc


def read_csv_grid(data: bytes) -> list[list[str]]:
    """The CSV as rows of cells; one record is one row as a spreadsheet shows it."""
    text = decode_csv(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Excel's "Unicode text" export is tab-separated; ; and 、 may separate addresses inside a cell.
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise RosterError(f"名册 CSV 文件格式有误：{exc}") from exc


def read_xlsx_grid(path: Path) -> list[list[str]]:
    """The first worksheet holding a 单位名称 header, as rows of text cells."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RosterError(f"无法读取名册文件“{path.name}”，它不是有效的 .xlsx 文件。") from exc
    except OSError as exc:
        raise RosterError(f"无法打开名册文件“{path}”：{exc.strerror or exc}") from exc
    try:
        sheets = [[[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets]
    finally:
        book.close()
    return next((grid for grid in sheets if find_header(grid) is not None), sheets[0] if sheets else [])


def _cell_text(value: object) -> str:
    """A cell as text; a whole float (a phone number typed as a number) loses its .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def find_header(grid: list[list[str]]) -> int | None:
    """Index of the first row with a 单位名称 cell, within the first rows."""
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        if any(header_key(cell) == "单位名称" for cell in row):
            return index
    return None


def rows_to_units(grid: list[list[str]], categories: Iterable[str] | None) -> list[Unit]:
    """Find the header row, pair each later row with it and hand the rows to parse_roster."""
    index = find_header(grid)
    if index is None:
        raise RosterError("名册中找不到表头行：表头应包含 单位名称、别名、类别、邮箱、联系人 等列（联系电话可选）。")
    header = [cell.strip() for cell in grid[index]]
    categories = None if categories is None else tuple(categories)
    check_header([h for h in header if h], index + 1, categories)
    rows = [_row_dict(header, row, index + 2 + offset) for offset, row in enumerate(grid[index + 1:])]
    return parse_roster(rows or [dict.fromkeys(header, "")], categories, first_row=index + 2)


def _row_dict(header: list[str], row: list[str], number: int) -> dict[str, str]:
    extra = [cell for cell in row[len(header):] if str(cell).strip()]
    if extra:
        raise RosterError(f"第{number}行的单元格多于表头的列数，请检查该行是否有多余的内容。")
    # Cells under an empty header cell carry nothing we read.
    return {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
