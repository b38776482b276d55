"""The 四项成果 table (per unit, and in total) and the 未报送/逾期 list for a 通报."""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from mailbot.ledger.contacts import unit_contact
from mailbot.ledger.status import Standing
from mailbot.reports.export_forms import compiled_by, provenance, write_title
from mailbot.reports.style import Header, finish_sheet, font, status_fill, write_header, write_row
from mailbot.reports.workbook_data import label_of, office_short, unit_standings
from parsers.forms.spec import Metric
from routing.model.campaign import Campaign

TOP = 3
TOTAL = "合计"
LISTED = (Standing.OVERDUE_MISSING, Standing.MISSING, Standing.CLASSIFIED)  # what a 通报 names, worst first; a CD is owed too


def metric_header(metrics: tuple[Metric, ...]) -> Header:
    """Group metric labels written "权力下放：下放" or "办事时限缩短（自然日）" under their shared head."""
    split = [_split(m.label) for m in metrics]
    heads = [h for h, _ in split]
    return [(head, sub) if head and (heads.count(head) > 1 or "：" in m.label) else (None, m.label) for (head, sub), m in zip(split, metrics)]


def _split(label: str) -> tuple[str | None, str]:
    if "：" in label:
        head, sub = label.split("：", 1)
        return head, sub
    found = re.fullmatch(r"(.+?)（(.+)）", label)
    return (found.group(1), found.group(2)) if found else (None, label)


def write_results(ws: Worksheet, session: Session, campaign: Campaign, now: dt.datetime, office: str | None) -> list[list[float]]:
    """Fill ``ws`` with the metrics table (the 两优 notice's 四项成果); return the unit rows' numbers (the totals row is their sum)."""
    title = campaign.texts.results_title
    ws.title = (title.removesuffix("统计表") or title)[:31]
    metrics = campaign.metrics
    header = [(None, "序号"), (None, "单位"), (None, "类别"), *metric_header(metrics), (None, "来源（收件编号）")]
    write_title(ws, f"{campaign.name}{title}", compiled_by(campaign, office, now), len(header))
    height = write_header(ws, header, top=TOP)
    numbers = []
    for standing in unit_standings(session, campaign, now, office):
        subs = [standing.cell(k).counting for k in _metric_kinds(metrics) if standing.cell(k) and standing.cell(k).counting]
        if subs:
            numbers.append([_number(sum(s.metrics.get(m.key, 0) for s in subs if s.kind == m.form)) for m in metrics])
            write_row(ws, TOP + height - 1 + len(numbers), [len(numbers), standing.unit.name, standing.unit.category, *numbers[-1], "、".join(dict.fromkeys(provenance(s) for s in subs))])
    totals = [_number(sum(col)) for col in zip(*numbers)] if numbers else [0] * len(metrics)
    write_row(ws, TOP + height + len(numbers), ["", TOTAL, "", *totals, ""])
    for cell in ws[TOP + height + len(numbers)]:
        cell.font = font(bold=True)
    finish_sheet(ws, TOP, height, f"{campaign.name}{title}", now.astimezone(campaign.timezone).date())
    return numbers


def _metric_kinds(metrics: tuple[Metric, ...]) -> list[str]:
    return list(dict.fromkeys(m.form for m in metrics))


def _number(value: float) -> int | float:
    # Counts and whole days print without a trailing ".0".
    return int(value) if float(value).is_integer() else round(value, 1)


def write_missing(ws: Worksheet, session: Session, campaign: Campaign, now: dt.datetime, office: str | None) -> int:
    """Fill ``ws`` with the units still owing returns, worst first; return how many rows."""
    ws.title = "未报送及逾期未报"
    # The list is for telephoning: the contact's name and phone (the contact return's, else the roster's) come with it.
    header = [(None, n) for n in ("序号", "单位", "类别", "缺报材料", "状态", "办理办公室", "联络人", "联系电话")]
    write_title(ws, f"{campaign.name}未报送单位名单", compiled_by(campaign, office, now) + f"　　截至{now.astimezone(campaign.timezone):%H:%M}", len(header))
    height = write_header(ws, header, top=TOP)
    rows = missing_rows(session, campaign, now, office)
    for number, row in enumerate(rows, start=1):
        write_row(ws, TOP + height - 1 + number, [number, *row])
        ws.cell(TOP + height - 1 + number, 5).fill = status_fill(row[3])
    finish_sheet(ws, TOP, height, f"{campaign.name}未报送单位名单", now.astimezone(campaign.timezone).date())
    return len(rows)


def missing_rows(session: Session, campaign: Campaign, now: dt.datetime, office: str | None) -> list[list[str]]:
    """[单位, 类别, 缺报材料, 状态, 办理办公室, 联络人, 联系电话], one per unit, status and office."""
    rows = []
    for wanted in LISTED:
        for standing in unit_standings(session, campaign, now, office):
            by_office: dict[str, list[str]] = {}
            for cell in standing.cells:
                if cell.standing is wanted:
                    by_office.setdefault(cell.handled_by, []).append(label_of(campaign, cell.kind))
            contact = unit_contact(campaign, standing.unit, standing.cells)
            rows += [[standing.unit.name, standing.unit.category, "、".join(kinds), wanted.value, office_short(campaign, key), contact["name"], contact["phone"]]
                     for key, kinds in by_office.items()]
    return rows


def write_late(ws: Worksheet, session: Session, campaign: Campaign, now: dt.datetime, office: str | None) -> int:
    """Fill ``ws`` with the returns that came after their deadline; return how many rows."""
    header = [(None, n) for n in ("序号", "单位", "类别", "材料", "报送时间", "收件编号", "办理办公室")]
    write_title(ws, f"{campaign.name}逾期报送单位名单", compiled_by(campaign, office, now), len(header))
    height = write_header(ws, header, top=TOP)
    count = 0
    for standing in unit_standings(session, campaign, now, office):
        for cell in (c for c in standing.cells if c.standing is Standing.OVERDUE_DONE):
            count += 1
            sub = cell.counting
            write_row(ws, TOP + height - 1 + count, [count, standing.unit.name, standing.unit.category, label_of(campaign, cell.kind),
                                                     sub.received_at.astimezone(campaign.timezone), sub.message.receipt_no or "", office_short(campaign, cell.handled_by)])
    finish_sheet(ws, TOP, height, f"{campaign.name}逾期报送单位名单", now.astimezone(campaign.timezone).date())
    return count
