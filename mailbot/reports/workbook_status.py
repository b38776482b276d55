"""The 台账's status sheets, made to be read on paper: 报送情况 (one column per return, totals per status) and 报送详情 per deadline."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from mailbot.ledger.contacts import unit_contact
from mailbot.ledger.status import Standing
from mailbot.reports.style import BORDER, CENTRE, finish_sheet, fit_heights, font, status_fill, write_header, write_row
from mailbot.reports.workbook_data import label_of, problem_count, unit_standings
from routing.model.campaign import Campaign

UNIT_HEADER = [(None, "序号"), (None, "类别"), (None, "单位名称"), (None, "联络人"), (None, "职务"), (None, "电话")]
UNIT_WIDTHS = (4, 5, 18, 8, 8, 12)
CELL_FIELDS = ("状态", "收到时间", "版本", "收件编号", "问题数")
FIELD_WIDTHS = (9, 11, 5, 12, 4)  # long text wraps (收件编号 onto three lines): three returns fit one A3 width at ≥ 9 pt
NOT_OWED = "—"
TIME_FORMAT = 'm"月"d"日" hh:mm'


def status_sheet(ws, session, campaign: Campaign, now, office, made_on, title, kinds: list[str]) -> None:
    """报送情况: one row per unit, one status column per return, coloured, with a totals row per status below."""
    ws.title = "报送情况"
    standings = unit_standings(session, campaign, now, office)
    height = write_header(ws, UNIT_HEADER + [(None, label_of(campaign, k)) for k in kinds])
    for number, standing in enumerate(standings, start=1):
        cells = [standing.cell(k) for k in kinds]
        write_row(ws, height + number, [*unit_values(campaign, number, standing), *(c.standing.value if c else NOT_OWED for c in cells)])
        colour(ws, height + number, [len(UNIT_HEADER) + 1 + i for i in range(len(kinds))])
    last = height + len(standings)
    finish_sheet(ws, 1, height, f"{title}·报送情况", made_on)
    totals(ws, last + 2, standings, kinds)
    set_widths(ws, (4, 5, 28, 10, 14, 15) + (13,) * len(kinds))
    fit_heights(ws, height + 1)


def detail_sheet(ws, session, campaign: Campaign, now, office, made_on, title, kinds: list[str], name: str) -> None:
    """报送详情: the counting version of each return — status, time, version, receipt number, problems."""
    ws.title = name
    header = UNIT_HEADER + [(label_of(campaign, k), f) for k in kinds for f in CELL_FIELDS]
    height = write_header(ws, header)
    for number, standing in enumerate(unit_standings(session, campaign, now, office), start=1):
        values = list(unit_values(campaign, number, standing))
        for kind in kinds:
            values += return_cells(standing.cell(kind), campaign)
        write_row(ws, height + number, values)
        first = len(UNIT_HEADER) + 1
        colour(ws, height + number, [first + i * len(CELL_FIELDS) for i in range(len(kinds))])
        for i in range(len(kinds)):
            ws.cell(height + number, first + i * len(CELL_FIELDS) + 1).number_format = TIME_FORMAT
    finish_sheet(ws, 1, height, f"{title}·{name}", made_on)
    set_widths(ws, UNIT_WIDTHS + FIELD_WIDTHS * len(kinds))
    fit_heights(ws, height + 1)


def unit_values(campaign: Campaign, number: int, standing) -> tuple:
    """序号, 类别, 单位名称, 联络人, 职务, 电话 (the contact return's, else the roster's)."""
    unit = standing.unit
    contact = unit_contact(campaign, unit, standing.cells)
    return number, unit.category, unit.name, contact["name"], contact["position"], contact["phone"]


def return_cells(cell, campaign: Campaign) -> list:
    """状态, 收到时间, 版本, 收件编号, 问题数 of one return of one unit."""
    if cell is None:
        return [NOT_OWED, None, None, None, None]
    sub = cell.counting
    if sub is None:
        return [cell.standing.value, None, None, None, None]
    received = sub.received_at.astimezone(campaign.timezone)
    return [cell.standing.value, received, f"第{sub.version}版", sub.message.receipt_no, problem_count(cell)]


def colour(ws, row: int, columns: list[int]) -> None:
    """Fill each status cell of a row with its status colour."""
    for column in columns:
        cell = ws.cell(row=row, column=column)
        fill = status_fill(str(cell.value))
        if fill is not None:
            cell.fill = fill


def totals(ws, top: int, standings, kinds: list[str]) -> None:
    """合计 rows below the units: per status, how many units stand there for each return (outside the filter range)."""
    first = len(UNIT_HEADER) + 1
    for offset, status in enumerate(Standing):
        row = top + offset
        counts = [sum(1 for s in standings if (c := s.cell(k)) is not None and c.standing is status) for k in kinds]
        write_row(ws, row, [None, None, f"合计：{status.value}", None, None, None, *counts])
        ws.cell(row, 3).font = font(bold=True)
        fill = status_fill(status.value)
        for column in range(first, first + len(kinds)):
            ws.cell(row, column).alignment, ws.cell(row, column).border = CENTRE, BORDER
            if fill is not None:
                ws.cell(row, column).fill = fill


def set_widths(ws, widths) -> None:
    """Fixed column widths (long text wraps): measured once for A3 landscape at full size."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def deadline_groups(campaign: Campaign, kinds: list[str]) -> list[tuple[str, list[str]]]:
    """(deadline label, its kinds) in the notice's order: one 报送详情 sheet each."""
    groups: dict[str, list[str]] = {}
    for kind in kinds:
        groups.setdefault(campaign.form(kind).deadline, []).append(kind)
    return [(campaign.deadlines[key].label, group) for key, group in groups.items()]
