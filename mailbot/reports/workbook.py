"""The 台账 workbook: 报送情况, 报送详情 per deadline, 收件记录 and 问题明细, ready to filter, colour-read and print on A3."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from sqlalchemy.orm import Session

from mailbot.cli.render import OUTCOME_LABELS
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState
from mailbot.reports.style import finish_sheet, fit_heights, write_header, write_row
from mailbot.reports.workbook_data import label_of, messages, replies_by_message, required_kinds, unit_standings
from mailbot.reports.workbook_status import deadline_groups, detail_sheet, set_widths, status_sheet
from routing.delivery import Outcome
from routing.model.campaign import Campaign

MESSAGE_HEADER = [(None, n) for n in ("序号", "收件编号", "收件时间", "收件箱", "发件人", "主题", "单位", "结论", "是否投错邮箱", "回复发送时间")]
PROBLEM_HEADER = [(None, n) for n in ("序号", "单位", "材料", "版本", "收件编号", "级别", "行", "单元格", "列", "说明")]
MESSAGE_WIDTHS = (5, 14, 19, 14, 20, 26, 16, 10, 6, 19)  # subjects and senders wrap: one A3 width at ≥ 9 pt
SEVERITY = {"error": "需修改", "warning": "提示"}


def build_ledger_workbook(session: Session, campaign: Campaign, now: dt.datetime, office: str | None = None) -> bytes:
    """The whole 台账 as xlsx bytes, scoped to one office's units and returns when ``office`` is given."""
    book = Workbook()
    title = ledger_title(campaign, office)
    made_on = now.astimezone(campaign.timezone).date()
    kinds = required_kinds(campaign, office)
    status_sheet(book.active, session, campaign, now, office, made_on, title, kinds)
    for label, group in deadline_groups(campaign, kinds):
        detail_sheet(book.create_sheet(), session, campaign, now, office, made_on, title, group, f"报送详情（{label}）")
    message_sheet(book.create_sheet("收件记录"), session, campaign, office, made_on, title)
    problem_sheet(book.create_sheet("问题明细"), session, campaign, now, office, made_on, title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_title(campaign: Campaign, office: str | None) -> str:
    """The printed title, naming the office when the workbook is one office's."""
    suffix = f"（{campaign.offices[office].name}）" if office else ""
    return f"{campaign.name}报送台账{suffix}"


def message_sheet(ws, session, campaign, office, made_on, title) -> None:
    """收件记录: every message received, with its receipt number, outcome and when the reply went out."""
    height = write_header(ws, MESSAGE_HEADER)
    replies = replies_by_message(session)
    for number, message in enumerate(messages(session, office), start=1):
        write_row(ws, height + number, [number, *message_values(message, replies.get(message.id), campaign)])
    finish_sheet(ws, 1, height, f"{title}·收件记录", made_on)
    set_widths(ws, MESSAGE_WIDTHS)
    fit_heights(ws, height + 1)


def message_values(message: MessageRow, reply: OutboxRow | None, campaign: Campaign) -> list:
    """One 收件记录 row (after 序号); a 涉密 refusal shows no subject."""
    refused = message.outcome == Outcome.REFUSED_CLASSIFIED.value
    return [
        message.receipt_no or "",
        message.received_at.astimezone(campaign.timezone),
        message.mailbox,
        message.sender,
        "" if refused else (message.subject or ""),
        message.unit.name if message.unit else "",
        OUTCOME_LABELS.get(message.outcome, message.outcome),
        "是" if message.misrouted else "否",
        reply_sent(reply, campaign),
    ]


def reply_sent(reply: OutboxRow | None, campaign: Campaign):
    """When the reply was sent, or why there is no time yet."""
    if reply is None:
        return "无需回复"
    if reply.sent_at is not None:
        return reply.sent_at.astimezone(campaign.timezone)
    return {OutboxState.GIVEN_UP: "发送失败", OutboxState.SUPPRESSED: "不发送"}.get(reply.state, "待发送")


def problem_sheet(ws, session, campaign, now, office, made_on, title) -> None:
    """问题明细: every problem of every counting version, cell by cell."""
    height = write_header(ws, PROBLEM_HEADER)
    row = height
    for standing in unit_standings(session, campaign, now, office):
        for cell in standing.cells:
            for problem in (cell.counting.problems if cell.counting else ()):
                row += 1
                write_row(ws, row, [row - height, standing.unit.name, *problem_values(cell, problem, campaign)])
    finish_sheet(ws, 1, height, f"{title}·问题明细", made_on)


def problem_values(cell, problem: dict, campaign: Campaign) -> list:
    """材料, 版本, 收件编号, 级别, 行, 单元格, 列, 说明 of one problem."""
    sub = cell.counting
    return [label_of(campaign, cell.kind), f"第{sub.version}版", sub.message.receipt_no or "", SEVERITY.get(problem.get("severity"), ""),
            problem.get("row"), problem.get("cell") or "", problem.get("column") or "", problem.get("message", "")]
