"""Returns as offices really fill them: the notice's forms in Excel, WPS and Word, plans, and contact tables of their own.

A Layout says how one office wrote its form: how the date is written, which tick it uses, what it added to the
headers, blank and note rows, labels in one cell or two, a shifted or unmerged header, what WPS does to the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

import docx
import openpyxl
from openpyxl.utils import get_column_letter

from parsers.forms.spec import FormSpec

CJK_DATE = 'yyyy"年"m"月"d"日"'


@dataclass
class Layout:
    """How one office wrote the notice's form."""

    date: object = "2023年1月10日"  # text, an Excel serial (int) or a datetime
    tick: str = "√"
    header_names: dict[str, str] = field(default_factory=dict)  # column → what the office printed instead
    header_suffix: dict[str, str] = field(default_factory=dict)  # column → explanation added after it
    merged: bool = True
    offset: tuple[int, int] = (0, 0)
    blank_after_header: int = 0
    blank_between: bool = False
    notes_above: tuple[str, ...] = ()  # 填表说明 lines between the labels and the header
    footnotes: tuple[str, ...] = ()  # 注 lines below the data
    labels_split: bool = False  # 部门（单位）盖章 | name | 填表日期 | date in cells of their own
    unit_label: str = "部门（单位）盖章"
    wps: bool = False  # dimension A1 and the CJK date format as built-in id 31, as WPS writes them
    drop_columns: tuple[str, ...] = ()
    extra_columns: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (header, value per row) added at the right
    placeholder_rows: bool = False  # the template's numbered empty rows and its "..." row left in
    sheet_name: str | None = None


def form_xlsx(spec: FormSpec, unit: str, rows: list[dict], layout: Layout | None = None) -> bytes:
    """One filled form in a workbook, written as ``layout`` says."""
    layout = layout or Layout()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = layout.sheet_name or spec.label
    grid = _form_grid(spec, unit, rows, layout)
    top, left = layout.offset
    for r, row in enumerate(grid, start=1 + top):
        for c, value in enumerate(row, start=1 + left):
            if value is not None:
                cell = ws.cell(r, c, value)
                if isinstance(value, (dt.date, int)) and r == 3 + top and not isinstance(value, bool) and value == layout.date:
                    cell.number_format = CJK_DATE
    if layout.merged:
        _merge(ws, spec, layout, header_row=_header_row(layout) + top, left=left)
    for col in range(1, len(grid[3]) + 1 + left):
        ws.column_dimensions[get_column_letter(col)].width = 14
    out = io.BytesIO()
    book.save(out)
    return _as_wps(out.getvalue()) if layout.wps else out.getvalue()


def workbook(*sheets: tuple[str, bytes]) -> bytes:
    """Several one-sheet workbooks as the sheets of one (附件1–3 in one file, WPS's empty Sheet2 kept)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, data in sheets:
        source = openpyxl.load_workbook(io.BytesIO(data)).active if data else None
        target = book.create_sheet(name)
        if source is None:
            continue
        for row in source.iter_rows():
            for cell in row:
                if cell.value is not None:
                    target.cell(cell.row, cell.column, cell.value).number_format = cell.number_format
        for merged in source.merged_cells.ranges:
            target.merge_cells(str(merged))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_row(layout: Layout) -> int:
    return 4 + len(layout.notes_above)


def _columns(spec: FormSpec, layout: Layout) -> list:
    return [c for c in spec.columns if c.name not in layout.drop_columns]


def _printed(name: str, layout: Layout) -> str:
    return layout.header_names.get(name, name) + layout.header_suffix.get(name, "")


def _form_grid(spec: FormSpec, unit: str, rows: list[dict], layout: Layout) -> list[list]:
    columns = _columns(spec, layout)
    width = len(columns) + len(layout.extra_columns)
    if layout.labels_split:
        labels = [layout.unit_label, unit, None, "填表日期", layout.date] + [None] * max(0, width - 5)
    else:
        date = layout.date if isinstance(layout.date, str) else None
        labels = [f"{layout.unit_label}：{unit}", *[None] * max(0, width - 3), f"{spec.date_label}：{date}" if date else spec.date_label,
                  *([] if date else [layout.date])]
    grid = [[spec.label], [spec.title], labels, *[[note] for note in layout.notes_above]]
    grid += _header(columns, layout)
    grid += [[None] * width] * layout.blank_after_header
    for index, row in enumerate(rows, start=1):
        values = [index if c.role == "seq" else _value(row.get(c.name, ""), c, layout) for c in columns]
        grid.append(values + [extra[index - 1] for _, extra in layout.extra_columns])
        if layout.blank_between:
            grid.append([None] * width)
    if layout.placeholder_rows:
        grid += [[len(rows) + 1] + [None] * (width - 1), ["..."] + [None] * (width - 1)]
    return grid + [[note] for note in layout.footnotes]


def _value(value: object, column, layout: Layout) -> object:
    return layout.tick if column.role == "tick" and value == "√" else value


def _header(columns: list, layout: Layout) -> list[list]:
    extras = [header for header, _ in layout.extra_columns]
    if not any(c.group for c in columns):
        return [[_printed(c.name, layout) for c in columns] + extras]
    upper = [c.group if c.group else _printed(c.name, layout) for c in columns] + extras
    lower = [_printed(c.name, layout) if c.group else (None if layout.merged else None) for c in columns] + [None] * len(extras)
    return [upper, lower]


def _merge(ws, spec: FormSpec, layout: Layout, header_row: int, left: int) -> None:
    columns = _columns(spec, layout)
    if not any(c.group for c in columns):
        return
    for col, column in enumerate(columns, start=1 + left):
        if not column.group:
            ws.merge_cells(start_row=header_row, start_column=col, end_row=header_row + 1, end_column=col)
    for group in dict.fromkeys(c.group for c in columns if c.group):
        cols = [i for i, c in enumerate(columns, start=1 + left) if c.group == group]
        if len(cols) > 1:
            ws.merge_cells(start_row=header_row, start_column=cols[0], end_row=header_row, end_column=cols[-1])


def _as_wps(data: bytes) -> bytes:
    """What WPS writes: a <dimension> of A1 only, and the CJK date format as built-in id 31 with no <numFmt> of its own."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', body)
            if info.filename == "xl/styles.xml":
                ids = re.findall(rb'<numFmt numFmtId="(\d+)" formatCode="yyyy&quot;\xe5\xb9\xb4&quot;', body)
                body = re.sub(rb"<numFmts.*?</numFmts>", b"", body, flags=re.S)
                for number in ids:
                    body = body.replace(b'numFmtId="' + number + b'"', b'numFmtId="31"')
            dst.writestr(info, body)
    return out.getvalue()


def form_docx(spec: FormSpec, unit: str, rows: list[dict], *, before: tuple[str, ...] = (), after: tuple[str, ...] = (),
              date: str = "2023年1月10日", tick: str = "√", header_suffix: dict[str, str] | None = None) -> bytes:
    """The form as a Word table under its 附件N, title and 盖章/填表日期 lines, with paragraphs before and after."""
    document = docx.Document()
    for text in (*before, spec.label, spec.title, f"部门（单位）盖章：{unit}        填表日期：{date}"):
        document.add_paragraph(text)
    layout = Layout(tick=tick, header_suffix=header_suffix or {})
    head = _header(list(spec.columns), layout)
    body = [[i if c.role == "seq" else _value(row.get(c.name, ""), c, layout) for c in spec.columns] for i, row in enumerate(rows, 1)]
    table = document.add_table(rows=0, cols=len(spec.columns))
    table.style = "Table Grid"
    for values in (*head, *body):
        cells = table.add_row().cells
        for c, value in enumerate(values):
            cells[c].text = "" if value is None else str(value)
    if len(head) == 2:
        _merge_docx(table, spec)
    for text in after:
        document.add_paragraph(text)
    return _saved(document)


def _merge_docx(table, spec: FormSpec) -> None:
    columns = list(spec.columns)
    for c, column in enumerate(columns):
        if not column.group:
            top = table.cell(0, c)
            text = top.text
            top.merge(table.cell(1, c)).text = text
    for group in dict.fromkeys(c.group for c in columns if c.group):
        cols = [i for i, c in enumerate(columns) if c.group == group]
        if len(cols) > 1:
            table.cell(0, cols[0]).merge(table.cell(0, cols[-1])).text = group


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PLAN_TEXT = ("为深入贯彻落实盟委、行署关于开展“优化职能职责、优化工作流程”专项行动的部署要求，结合本单位实际，制定本实施方案。"
             "主要负责同志负总责，分管领导具体抓，办公室为承办科室，确保按期完成权责清单梳理、办事流程优化和各项清单报送工作。")


def plan_docx(unit: str, *, closing: tuple[str, ...] = (), table: list[list[str]] | None = None, sections: int = 4,
              title: str = "“两优”专项行动实施方案") -> bytes:
    """An implementation plan: title, numbered sections, then what the office adds at the end (contact lines, a table)."""
    document = docx.Document()
    document.add_heading(f"{unit}{title}", level=1)
    for index in range(sections):
        document.add_paragraph(f"{'一二三四五六七八'[index]}、{PLAN_TEXT}")
    for text in closing:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    return _saved(document)


def contact_xlsx(*rows: list, title: str = "联络人", merges: tuple[str, ...] = ()) -> bytes:
    """A contact table of the office's own design."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def contact_docx(title: str, *paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    """A one-page document of contact details: a heading, a few lines, perhaps a table."""
    document = docx.Document()
    document.add_paragraph(title)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    return _saved(document)


def zip_of(*files: tuple[str, bytes]) -> bytes:
    """A zip of returns (one attachment holding several files)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2023, 1, 10, 9, 0, 0)), data)
    return out.getvalue()
