"""Markings in a legacy .xls workbook, read by the very reader the parsers use (parsers.xls.read, python-calamine)."""

from __future__ import annotations

from collections.abc import Iterator

from parsers.errors import ParserError
from parsers.gate.rules import Marking
from parsers.gate.sheets import judge_cells, judge_sheet, too_many_sheets
from parsers.gate.terms import MarkingTerms
from parsers.safety.limits import Limits
from parsers.safety.sniff import sniff
from parsers.xls.read import read_xls


def scan_xls(number: int | str, data: bytes, terms: MarkingTerms, limits: Limits) -> Iterator[Marking]:
    """Sheet names, title rows and every cell of an .xls; nothing for OLE files no reader reads (.doc, .et, encrypted)."""
    if sniff(data) != "xls" or len(data) > limits.max_bytes:
        return
    try:
        grids = read_xls(data, limits)
    except ParserError:
        return  # the parsers cannot read it either, so nothing of it is kept
    for k, grid in enumerate(grids[: terms.max_parts], 1):
        rows = [[cell.text for cell in row if cell.text] for row in grid.rows[: terms.sheet_title_rows]]
        text = "\n".join(cell.text for row in grid.rows for cell in row if cell.text)
        yield from (hit for hit in (*judge_sheet(number, k, grid.name, rows, terms), judge_cells(number, text, terms)) if hit)
    if len(grids) > terms.max_parts:
        yield too_many_sheets(number, terms)
