"""Build filled-in returns in the notice's own layout (for the demo inbox, benchmarks and tests)."""

from __future__ import annotations

import io

import docx
import openpyxl
from openpyxl.utils import get_column_letter

from parsers.forms.spec import FormSpec


def form_xlsx(spec: FormSpec, unit: str, rows: list[dict], *, date: str = "2023年1月10日", sheet: str | None = None) -> bytes:
    """A workbook with one filled form: 附件N, title, 盖章 and 填表日期 lines, two-row header, data rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet or spec.label
    width = len(spec.columns)
    ws.append([spec.label])
    ws.append([spec.title])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append([f"{spec.unit_label}：{unit}", *[None] * (width - 3), f"{spec.date_label}：{date}"])
    _header(ws, spec, top=4)
    for index, row in enumerate(rows, start=1):
        ws.append([index if c.role == "seq" else row.get(c.name, "") for c in spec.columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws, spec: FormSpec, top: int) -> None:
    two_rows = bool(spec.groups)
    for col, column in enumerate(spec.columns, start=1):
        if column.group and two_rows:
            ws.cell(top, col, column.group)
            ws.cell(top + 1, col, column.name)
        else:
            ws.cell(top, col, column.name)
            if two_rows:
                ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    for group in spec.groups:
        cols = [i for i, c in enumerate(spec.columns, start=1) if c.group == group]
        ws.merge_cells(start_row=top, start_column=cols[0], end_row=top, end_column=cols[-1])
    for col in range(1, len(spec.columns) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14


def plan_docx(unit: str, title: str = "“两优”专项行动实施方案", paragraphs: int = 4) -> bytes:
    """A short implementation plan (实施方案) as a .docx."""
    document = docx.Document()
    document.add_heading(f"{unit}{title}", level=1)
    body = ("为深入贯彻落实盟委、行署关于开展“优化职能职责、优化工作流程”专项行动的部署要求，"
            "结合本单位实际，制定本实施方案。主要负责同志负总责，分管领导具体抓，办公室为承办科室，"
            "确保按期完成权责清单梳理、办事流程优化和各项清单报送工作。")
    for index in range(paragraphs):
        document.add_paragraph(f"{'一二三四五六七八九十'[index % 10]}、{body}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def contact_docx(unit: str, name: str, post: str, phone: str) -> bytes:
    """联络人、职务、电话 as a small docx table."""
    document = docx.Document()
    document.add_paragraph(f"{unit}“两优”专项行动联络人")
    table = document.add_table(rows=2, cols=3)
    for col, (head, value) in enumerate((("联络人", name), ("职务", post), ("电话", phone))):
        table.cell(0, col).text = head
        table.cell(1, col).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
