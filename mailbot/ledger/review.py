"""Settle what waits for a person: accept a held message for a unit, or reject it; the sender is told."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.clock import chinese_date, chinese_datetime
from mailbot.errors import UsageError
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import HeldRawRow, MessageRow, OutboxRow
from mailbot.ledger.record import register_returns
from mailbot.ledger.units import add_email, unit_row
from mailbot.outbox import compose as replies
from routing.chain import REVIEW_CHAIN, run_chain
from routing.delivery import Outcome

# Why a held message's content was not kept, by the reason it was held: what the reviewer can do instead.
NOT_KEPT = {
    "": "该邮件因疑似涉密未保存内容，请在邮箱“需人工处理”文件夹中查看；确认不涉密的，请对方去除标识后重新发送",
    "undecodable": "该邮件格式异常、系统无法解析，未保存内容，请在邮箱“需人工处理”文件夹中查看；确为报送材料的，请联系对方重新发送",
    "pipeline-error": "该邮件处理出错，且未能确认是否涉密，未保存内容，请在邮箱“需人工处理”文件夹中查看；确为报送材料的，请联系对方重新发送",
}


def pending(session: Session) -> list[MessageRow]:
    """Messages waiting for a person, oldest first."""
    return list(session.scalars(select(MessageRow).where(MessageRow.review_state == "pending").order_by(MessageRow.id)))


def accept(app, message_id: int, unit_name: str, now: dt.datetime, add_address: bool = False) -> MessageRow:
    """Register a held message for the named unit, as if it had come from that unit's address.

    A person's decision counts as a roster address's would: this version may replace one sent from the roster.
    ``add_address`` also adopts the sender's address for the unit, so its next returns need no one.
    """
    with app.ledger.session() as session:
        row, held = _held(session, message_id)
        unit = app.pipeline().context(session).roster.get(unit_name)
    if unit is None:
        raise UsageError(f"名册中没有单位“{unit_name}”")
    delivery = delivery_from_bytes(held.raw, row.mailbox, received_at=row.received_at, folder=row.folder, uidvalidity=row.uidvalidity, uid=row.uid)
    delivery.office, delivery.unit = app.campaign.office_for_inbox(row.mailbox), unit
    with app.ledger.session() as session:
        run_chain(delivery, app.pipeline().context(session), REVIEW_CHAIN)
    with app.ledger.transaction() as session:
        row = session.get(MessageRow, message_id, with_for_update=True)
        row.unit_id, row.outcome, row.review_state = unit_row(session, unit.name).id, delivery.outcome.value, "accepted"
        row.handled_by, row.misrouted, row.overdue = ",".join(dict.fromkeys(delivery.handlers.values())), delivery.misrouted, delivery.overdue
        register_returns(session, delivery, row, app.campaign)
        if add_address:
            add_email(session, unit.name, row.sender)
        session.delete(session.get(HeldRawRow, message_id))
        decision = f"已登记为{unit.name}报送的材料（{'合格' if delivery.outcome is Outcome.ACCEPTED else '部分材料需修改，请按原回执修改后重发'}）。"
        _tell_sender(session, app.campaign, row, unit.name, decision, now)
    return row


def reject(app, message_id: int, reason: str, now: dt.datetime) -> MessageRow:
    """Close a held message without registering it, telling the sender why."""
    with app.ledger.transaction() as session:
        row = session.get(MessageRow, message_id, with_for_update=True)
        if row is None or row.review_state != "pending":
            raise UsageError(f"编号为{message_id}的邮件不在待人工确认队列中")
        row.review_state, row.detail = "rejected", f"{row.detail}；人工确认：不予登记（{reason}）"
        held = session.get(HeldRawRow, message_id)
        if held is not None:
            session.delete(held)
        _tell_sender(session, app.campaign, row, row.unit.name if row.unit else "", f"不予登记。原因：{reason}。", now)
    return row


def _held(session: Session, message_id: int) -> tuple[MessageRow, HeldRawRow]:
    row = session.get(MessageRow, message_id)
    if row is None or row.review_state != "pending":
        raise UsageError(f"编号为{message_id}的邮件不在待人工确认队列中")
    held = session.get(HeldRawRow, message_id)
    if held is None:
        raise UsageError(NOT_KEPT.get(row.reason, NOT_KEPT[""]))
    return row, held


def _tell_sender(session: Session, campaign, row: MessageRow, salutation: str, decision: str, now: dt.datetime) -> None:
    office = campaign.offices.get(row.office) or next(iter(campaign.offices.values()))

    body = replies.render("review_settled", campaign=campaign, office=office, salutation=salutation,
                          received=chinese_datetime(row.received_at, campaign.timezone), receipt_no=row.receipt_no,
                          decision=decision, today=chinese_date(now.astimezone(campaign.timezone)))
    session.add(OutboxRow(message_ref=row.id, kind="review", office=office.key, to_addr=row.sender,
                          subject=f"{office.name}：关于收件编号{row.receipt_no}的确认结果", body=body, headers={},
                          priority=1, created_at=now, next_attempt_at=now, dedup_key=f"review:{row.id}"))
