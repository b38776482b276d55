"""Mail that did not surely arrive: given up, or uncertain after the final dot; explained, alerted once, resolved by hand."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot.clock import chinese_datetime
from mailbot.errors import UsageError
from mailbot.ledger import Ledger
from mailbot.ledger.models import OutboxRow, OutboxState
from mailbot.outbox import compose as replies
from mailbot.receipts.error_words import error_words
from routing.model.campaign import Campaign

log = logging.getLogger(__name__)
TROUBLE = (OutboxState.UNCERTAIN, OutboxState.GIVEN_UP)
ALERT_PRIORITY = 0
KIND_LABELS = {"reminder": "催报邮件", "review": "人工确认结果通知", "alert": "涉密拒收提醒", "digest": "每日汇总", "health": "邮箱故障提醒", "config": "配置错误提醒",
               "undelivered": "未送达提醒"}
_NO_SUCH_USER = re.compile(r"\b5\.1\.[0-9]\b|user unknown|no such user|mailbox (?:unavailable|not found)|does not exist|不存在", re.IGNORECASE)


def kind_label(kind: str) -> str:
    """回执、催报邮件… for an outbox kind."""
    return "回执" if kind.startswith("reply") else KIND_LABELS.get(kind, "邮件")


def to_units(row: OutboxRow) -> bool:
    """Whether the mail was for a department (a receipt, a reminder, a review answer), not for our own people."""
    return row.kind.startswith("reply") or row.kind in ("reminder", "review")


@dataclass(frozen=True)
class Trouble:
    """One mail a person must look at: what it was, what happened, what to do."""

    id: int
    office: str
    kind: str
    to_addr: str
    subject: str
    state: OutboxState
    when: dt.datetime
    reason: str
    advice: str


def explain(row: OutboxRow) -> str:
    """Why this mail is not known to have arrived, in Chinese."""
    last = row.last_error or "（未记录）"
    if row.state is OutboxState.UNCERTAIN:
        return f"{last}。系统不会自动重发，以免对方收到两封。"
    if row.content_rejections:
        return (f"发信服务器{row.content_rejections}次认为内容像垃圾邮件而拒收（其间已改为不附副本、精简正文后重试），已停止重发。"
                f"最后一次答复：{last}")
    if _NO_SUCH_USER.search(last):
        return f"收件地址可能不存在或填写有误，发信服务器拒收：{last}"
    if row.attempts >= 2:
        return f"已尝试 {row.attempts} 次仍未发出，已停止重发。最后一次错误：{last}"
    return f"发信服务器拒收，已停止重发：{last}"


def advice(row: OutboxRow) -> str:
    """What the operator can do about it, with the commands."""
    if row.state is OutboxState.UNCERTAIN:
        return (f"请对方确认是否收到，或查看本邮箱“已发送”文件夹：已收到的执行 mailbot outbox mark-sent {row.id}；"
                f"未收到的执行 mailbot outbox resend {row.id}（重发前先在“已发送”文件夹中查找）。")
    return f"核实收件地址或原因后执行 mailbot outbox resend {row.id} 重新发送；已另行告知对方的执行 mailbot outbox cancel {row.id}。"


def troubles(session: Session, office: str | None = None) -> list[Trouble]:
    """Every given-up or uncertain mail (of one office, or all), oldest first."""
    query = select(OutboxRow).where(OutboxRow.state.in_(TROUBLE)).order_by(OutboxRow.created_at, OutboxRow.id)
    if office is not None:
        query = query.where(OutboxRow.office == office)
    return [Trouble(r.id, r.office, r.kind, r.to_addr, r.subject, r.state, r.sent_at or r.created_at, explain(r), advice(r))
            for r in session.scalars(query)]


def alert_undelivered(ledger: Ledger, campaign: Campaign, coordinators: dict[str, str], now: dt.datetime) -> list[int]:
    """Tell each office's coordinator once about every mail to a department that was given up; the rows alerted."""
    with ledger.session() as session:  # a read first: most turns have nothing to alert and take no write lock
        if not _unalerted(session):
            return []
    with ledger.transaction() as session:
        return [row.id for key, row in _unalerted(session).items() if _alert(session, campaign, coordinators, row, key, now)]


def _unalerted(session: Session) -> dict[str, OutboxRow]:
    given_up = [r for r in session.scalars(select(OutboxRow).where(OutboxRow.state == OutboxState.GIVEN_UP)) if to_units(r)]
    keys = {f"undelivered:{r.id}": r for r in given_up}
    known = set(session.scalars(select(OutboxRow.dedup_key).where(OutboxRow.dedup_key.in_(list(keys))))) if keys else set()
    return {key: row for key, row in keys.items() if key not in known}


def _alert(session: Session, campaign: Campaign, coordinators: dict[str, str], row: OutboxRow, key: str, now: dt.datetime) -> bool:
    office = campaign.offices.get(row.office)
    if office is None:
        return False
    body = replies.render("undelivered_alert", campaign=campaign, office=office, to=row.to_addr, kind=kind_label(row.kind),
                          subject=row.subject, created=chinese_datetime(row.created_at, campaign.timezone), attempts=row.attempts,
                          reason=error_words(explain(row)), row_id=row.id)
    alert = OutboxRow(kind="undelivered", office=office.key, to_addr=coordinators.get(office.key, office.address),
                      subject=f"【系统提醒】发给 {row.to_addr} 的{kind_label(row.kind)}未能送达", body=body,
                      headers={"Auto-Submitted": "auto-generated"}, priority=ALERT_PRIORITY, created_at=now, next_attempt_at=now, dedup_key=key)
    try:
        with session.begin_nested():  # another worker may alert the same row at the same moment
            session.add(alert)
    except IntegrityError:
        return False
    log.warning("outbox id=%s to %s given up; coordinator of %s alerted", row.id, row.to_addr, office.key)
    return True


# ---------------------------------------------------------------- resolving by hand (mailbot outbox)

def trouble_row(session: Session, row_id: int, states: tuple[OutboxState, ...] = TROUBLE) -> OutboxRow:
    """The row, if it is one a person may resolve; a Chinese error otherwise."""
    row = session.get(OutboxRow, row_id)
    if row is None:
        raise UsageError(f"发件队列中没有编号为 {row_id} 的邮件")
    if row.state not in states:
        raise UsageError(f"编号 {row_id} 的邮件状态为“{STATE_LABELS.get(row.state, row.state.value)}”，无需处理")
    return row


def same_mail(session: Session, row: OutboxRow) -> list[OutboxRow]:
    """The row and the receipts that rode in its mail (mailbot.outbox.merge) and share its unresolved fate."""
    riders = select(OutboxRow).where(OutboxRow.merged_into == row.id, OutboxRow.state == row.state, OutboxRow.id != row.id)
    return [row, *session.scalars(riders)]


def carrier_id(row: OutboxRow) -> int:
    """The outbox row whose Message-ID the mail carrying ``row`` had (itself, or the receipt it was merged into)."""
    return row.merged_into if row.state is OutboxState.UNCERTAIN and row.merged_into else row.id


def mark_sent(ledger: Ledger, row_id: int, now: dt.datetime) -> OutboxRow:
    """A person confirmed the mail arrived (the department said so, or it is in the Sent folder)."""
    with ledger.transaction() as session:
        row = trouble_row(session, row_id)
        for each in same_mail(session, row):
            each.state, each.sent_at = OutboxState.SENT, each.sent_at or now
            each.last_error = f"经人工确认已送达（{chinese_datetime(now)}）"
    return row


def resend(ledger: Ledger, row_id: int, now: dt.datetime) -> OutboxRow:
    """Queue the mail again as new: attempts and content refusals start over."""
    with ledger.transaction() as session:
        row = trouble_row(session, row_id)
        for each in same_mail(session, row):
            each.state, each.next_attempt_at, each.sent_at, each.merged_into = OutboxState.QUEUED, now, None, None
            each.attempts, each.content_rejections = 0, 0
            each.last_error = f"经人工确认重新发送（{chinese_datetime(now)}）"
    return row


def cancel(ledger: Ledger, row_id: int, now: dt.datetime) -> OutboxRow:
    """Stop asking about the mail: the department was told another way."""
    with ledger.transaction() as session:
        row = trouble_row(session, row_id)
        for each in same_mail(session, row):
            each.state = OutboxState.CANCELLED
            each.last_error = f"经人工确认不再发送（{chinese_datetime(now)}）；原因：{each.last_error}"
    return row


STATE_LABELS = {OutboxState.QUEUED: "待发送", OutboxState.SENDING: "发送中", OutboxState.UNCERTAIN: "结果不明", OutboxState.SENT: "已发送",
                OutboxState.GIVEN_UP: "已放弃", OutboxState.SUPPRESSED: "已暂停", OutboxState.CANCELLED: "已撤销"}
