"""Looks shared by every workbook the service writes: Chinese font, headers, status fills, A3 print setup."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parsers.safety.cellsafe import put

FONT_NAME = "宋体"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
# One fill per status of the 台账; the dashboard uses the same colours.
STATUS_COLOURS = {
    "未报送": "FFF2CC",
    "已报送-合格": "C6EFCE",
    "已报送-待修改": "FCE4D6",
    "逾期未报": "FFC7CE",
    "逾期已报": "DDEBF7",
    "涉密拒收-待光盘报送": "D9D2E9",
    "豁免": "EDEDED",
}
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)

Header = Sequence[tuple[str | None, str]]  # (group, name): the upper and lower cell of a two-row header


def font(bold: bool = False, size: int = 11) -> Font:
    """The workbook font: 宋体, as an office's own tables use."""
    return Font(name=FONT_NAME, bold=bold, size=size)


def status_fill(status: str) -> PatternFill | None:
    """The fill of a status cell, or None for a status without a colour."""
    colour = STATUS_COLOURS.get(status)
    return PatternFill("solid", fgColor=colour) if colour else None


def header_rows(header: Header) -> int:
    """How many rows a header takes: two when any column belongs to a group."""
    return 2 if any(group for group, _ in header) else 1


def write_header(ws: Worksheet, header: Header, top: int = 1, left: int = 1) -> int:
    """Write a one- or two-row header, merging groups across and ungrouped cells down; return its height."""
    height = header_rows(header)
    for offset, (group, name) in enumerate(header):
        col = left + offset
        if height == 1 or group is None:
            _header_cell(ws, top, col, name)
            if height == 2:
                _header_cell(ws, top + 1, col, None)
                ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        else:
            _header_cell(ws, top + 1, col, name)
            _header_cell(ws, top, col, group)
    _merge_groups(ws, header, top, left) if height == 2 else None
    return height


def _merge_groups(ws: Worksheet, header: Header, top: int, left: int) -> None:
    # Consecutive columns of one group share one upper cell, as the notice prints them.
    start = 0
    for index in range(1, len(header) + 1):
        if index == len(header) or header[index][0] != header[start][0] or header[start][0] is None:
            if header[start][0] is not None and index - 1 > start:
                ws.merge_cells(start_row=top, start_column=left + start, end_row=top, end_column=left + index - 1)
            start = index


def _header_cell(ws: Worksheet, row: int, col: int, value: str | None) -> None:
    cell = put(ws.cell(row=row, column=col), value)
    cell.font, cell.fill, cell.alignment, cell.border = font(bold=True), HEADER_FILL, CENTRE, BORDER


def write_row(ws: Worksheet, row: int, values: Iterable, left: int = 1) -> None:
    """Write one data row in the workbook font, with borders and date formats; text (a sender's too) stays text."""
    for offset, value in enumerate(values):
        cell = put(ws.cell(row=row, column=left + offset), _plain(value))
        cell.font, cell.border, cell.alignment = font(), BORDER, WRAP
        if isinstance(value, dt.datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT


def _plain(value):
    # Excel has no time zones: write the local wall-clock time the coordinator reads.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def text_width(value) -> int:
    """Display width of a value: CJK and full-width characters count double."""
    if isinstance(value, dt.datetime):
        return 18
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value if value is not None else ""))


def fit_widths(ws: Worksheet, first_row: int = 1, low: int = 6, high: int = 40) -> None:
    """Size each column to its longest value (header included), within sensible bounds."""
    widths: dict[int, int] = {}
    # A group label spans several columns, so it must not widen the first of them.
    spanning = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges if r.max_col > r.min_col}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is not None and (cell.row, cell.column) not in spanning:
                widths[cell.column] = max(widths.get(cell.column, 0), text_width(cell.value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, low), high)


LINE_HEIGHT = 15  # points per line of 11 pt text
# Column-width units one A3 landscape page holds with 11 pt text still printing at 9 pt or more (measured with LibreOffice).
PAPER_WIDTH = 180


def cap_widths(ws: Worksheet, budget: float = PAPER_WIDTH, low: int = 5) -> None:
    """Narrow the widest columns (their text wraps) until the sheet fits ``budget``: the page is shrunk no further than 9 pt."""
    dims = [ws.column_dimensions[get_column_letter(c)] for c in range(1, (ws.max_column or 0) + 1)]
    widths = [d.width or 9 for d in dims]
    if sum(widths) <= budget:
        return
    cap = max(widths)
    while cap > low and sum(min(w, cap) for w in widths) > budget:
        cap -= 1
    for dim, width in zip(dims, widths):
        dim.width = min(width, cap)



def fit_heights(ws: Worksheet, first_row: int = 1) -> None:
    """Give each row the height its wrapped text needs: LibreOffice keeps the stored height, so wrapped lines would overlap."""
    widths = {col: (dim.width or 9) for col, dim in ws.column_dimensions.items()}
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges} | {(row, col) for r in ws.merged_cells.ranges
                                                                        for row in range(r.min_row, r.max_row + 1) for col in range(r.min_col, r.max_col + 1)}
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if cell.value is None or isinstance(cell.value, (int, float)) or (cell.row, cell.column) in merged:
                continue
            # A column of width w holds about w of text_width in Excel with 宋体 (CJK counts 2); LibreOffice fits a
            # little more, so its rows come out a little roomy rather than overlapping in Excel.
            room = max(widths.get(get_column_letter(cell.column), 9), 1)
            lines = max(lines, sum(-(-max(text_width(part), 1) // room) for part in str(cell.value).split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = lines * LINE_HEIGHT


def finish_sheet(ws: Worksheet, header_top: int, header_height: int, title: str, made_on: dt.date) -> None:
    """Freeze and filter below the header, fit widths, and set up A3 landscape printing with titles."""
    last = header_top + header_height - 1
    ws.freeze_panes = ws.cell(row=last + 1, column=1)
    if ws.max_column and ws.max_row >= last:
        ws.auto_filter.ref = f"A{last}:{get_column_letter(ws.max_column)}{max(ws.max_row, last)}"
    fit_widths(ws, first_row=header_top)
    cap_widths(ws)
    fit_heights(ws, first_row=header_top + header_height)
    # A sheet with its own title rows above the header repeats them on every page; the page header then names no title.
    print_setup(ws, f"1:{last}", "" if header_top > 1 else title, made_on)


def print_setup(ws: Worksheet, title_rows: str, title: str, made_on: dt.date) -> None:
    """A3 landscape, one page wide, header rows repeated, the title and date atop every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    # Narrow margins: every millimetre of width keeps the fitted text larger.
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text, ws.oddHeader.center.font, ws.oddHeader.center.size = title, f"{FONT_NAME},Bold", 14
    ws.oddHeader.right.text, ws.oddHeader.right.font = f"打印日期：{made_on.year}年{made_on.month}月{made_on.day}日", FONT_NAME
    ws.oddFooter.center.text, ws.oddFooter.center.font = "第 &P 页，共 &N 页", FONT_NAME
