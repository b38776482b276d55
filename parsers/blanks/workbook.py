"""Blank (or code-filled) forms as the notice prints them: .xlsx workbooks and .docx tables."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from parsers.blanks.layout import body_rows, footnote_lines, header_merges, header_rows, label_line
from parsers.forms.spec import FormSpec

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)


def xlsx_template(spec: FormSpec, rows: list[Mapping[str, Any]] | None = None, *, unit: str = "", date: str = "") -> bytes:
    """The form as an .xlsx: 附件 label, title, unit and date line, merged headers, rows (or 1, 2, ...)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = spec.label
    width = len(spec.columns)
    ws.append([spec.label])
    ws.append([spec.title])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws["A2"].font, ws["A2"].alignment = Font(size=16, bold=True), Alignment(horizontal="center")
    unit_text, date_text = label_line(spec, unit, date)
    ws.append([unit_text] + [None] * (width - 4) + [date_text])
    first, last = _table(ws, spec, rows)
    _dropdowns(ws, spec, first, last)
    _footnotes(ws, spec)
    _page(ws, spec)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(ws, spec: FormSpec, rows) -> tuple[int, int]:
    """Write the header and body; return the first and last body row."""
    top = ws.max_row + 1
    for header in header_rows(spec):
        ws.append(header)
    for r0, c0, r1, c1 in header_merges(spec):
        ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
    for row in body_rows(spec, rows):
        ws.append(row)
    for row in ws.iter_rows(min_row=top, max_col=len(spec.columns)):
        for cell in row:
            cell.border, cell.alignment = BOX, WRAP
    for c in range(1, len(spec.columns) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 6 if c == 1 else 14
    return top + len(header_rows(spec)), ws.max_row


def _dropdowns(ws, spec: FormSpec, first: int, last: int) -> None:
    # A column's drop-down list is Excel data validation over the body rows (rows inserted among them inherit it).
    for c, column in enumerate(spec.columns, start=1):
        if column.choices and last >= first:
            options = "、".join(column.choices)
            rule = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="请从下拉列表中选择", error=f"可选：{options}"[:255],
                                  showInputMessage=True, promptTitle=column.name[:32], prompt=f"请选择：{options}"[:255])
            ws.add_data_validation(rule)
            rule.add(f"{get_column_letter(c)}{first}:{get_column_letter(c)}{last}")


def _footnotes(ws, spec: FormSpec) -> None:
    # The notice's 注 below the table, each on its own merged row (the reader stops at "注：").
    width = len(spec.columns)
    for text in footnote_lines(spec):
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.row_dimensions[ws.max_row].height = 15 * max(1, len(text) // (width * 8) + 1)


def _page(ws, spec: FormSpec) -> None:
    # 附件3's footnote asks for A3 paper; the wide forms print landscape.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if spec.extra.get("paper") == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
