"""Blank (or code-filled) forms as the notice prints them: .xlsx workbooks and .docx tables."""

from __future__ import annotations

import io
from typing import Any, Mapping

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from routing.campaign import FormSpec

from parsers.template_layout import body_rows, header_merges, header_rows, label_line

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
    _table(ws, spec, rows)
    _page(ws, spec)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(ws, spec: FormSpec, rows) -> None:
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


def _page(ws, spec: FormSpec) -> None:
    # 附件3's footnote asks for A3 paper; the wide forms print landscape.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if spec.extra.get("paper") == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
