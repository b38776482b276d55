"""The 汇总 of one form: every unit's counting version in the notice's own layout, with 单位 and 来源 columns."""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from mailbot.clock import chinese_date
from mailbot.reports.style import Header, finish_sheet, font, write_header, write_row
from mailbot.reports.workbook_data import unit_standings
from parsers.forms.spec import FormSpec
from parsers.safety.cellsafe import put
from routing.model.campaign import Campaign

UNIT_COLUMN = "单位"
# A form may have a 单位 column of its own (the unit a row is about): the sender's column then takes the next free name.
UNIT_COLUMNS = (UNIT_COLUMN, "报送单位", "填报单位", "报送单位名称")
SOURCE_COLUMN = "来源（收件编号）"
SEQ_COLUMN = "序号"
TOP = 3  # the title and the 汇总单位/日期 line sit above the header, as the notice prints 附件 title and 盖章 line


def summary_header(spec: FormSpec) -> Header:
    """The form's header as the notice prints it, with 单位 after 序号 and the provenance column last."""
    columns = [(c.group, c.name) for c in spec.columns if c.role != "seq"]
    seq = next((c.name for c in spec.columns if c.role == "seq"), SEQ_COLUMN)
    taken = {c.name for c in spec.columns}
    unit = next((name for name in UNIT_COLUMNS if name not in taken), f"{UNIT_COLUMN}（汇总）")
    return [(None, seq), (None, unit), *columns, (None, SOURCE_COLUMN)]


def write_form_summary(ws: Worksheet, session: Session, campaign: Campaign, now: dt.datetime, spec: FormSpec, office: str | None) -> int:
    """Fill ``ws`` with the 汇总 of ``spec``; return how many rows were written."""
    ws.title = f"{spec.label}汇总"
    header = summary_header(spec)
    write_title(ws, f"{spec.title}（汇总）", compiled_by(campaign, office, now), len(header))
    height = write_header(ws, header, top=TOP)
    count = 0
    for unit, sub in counting_versions(session, campaign, now, spec.kind, office):
        for row in sub.rows:
            count += 1
            values = [row.get(name, "") for _, name in header[2:-1]]
            write_row(ws, TOP + height - 1 + count, [count, unit.name, *values, provenance(sub)])
    finish_sheet(ws, TOP, height, f"{spec.title}（汇总）", now.astimezone(campaign.timezone).date())
    return count


def counting_versions(session: Session, campaign: Campaign, now: dt.datetime, kind: str, office: str | None) -> list:
    """(unit, counting submission) for every unit that has sent ``kind`` (to ``office``)."""
    found = []
    for standing in unit_standings(session, campaign, now, office):
        cell = standing.cell(kind)
        if cell is not None and cell.counting is not None:
            found.append((standing.unit, cell.counting))
    return found


def provenance(sub) -> str:
    """The receipt number the rows came from; a version still to be corrected says so."""
    number = sub.message.receipt_no or f"第{sub.version}版"
    return number if sub.status == "accepted" else f"{number}（待修改）"


def compiled_by(campaign: Campaign, office: str | None, now: dt.datetime) -> str:
    """The line under the title: who compiled the 汇总 and when."""
    names = [campaign.offices[office].name] if office else [o.name for o in campaign.offices.values()]
    return f"汇总单位：{'、'.join(names)}　　汇总日期：{chinese_date(now.astimezone(campaign.timezone))}"


def write_title(ws: Worksheet, title: str, subtitle: str, width: int) -> None:
    """A bold title and a subtitle line, each merged across the table."""
    for row, text, size in ((1, title, 16), (2, subtitle, 11)):
        cell = put(ws.cell(row=row, column=1), text)
        cell.font = font(bold=row == 1, size=size)
        cell.alignment = Alignment(horizontal="center" if row == 1 else "left", vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))
    ws.row_dimensions[1].height = 30
