"""What the robot chose not to answer as a reply loop, and what went out merged: for `mailbot status` and the dashboard."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState
from mailbot.reports.workbook_data import sees_message

LOOP_REASON = "reply-loop"
SHOWN = 200  # the newest ones; a loop that ran long is one line per message all the same


def loop_messages(session: Session, office: str | None = None, limit: int = SHOWN) -> list[MessageRow]:
    """Messages recorded but not answered as part of a reply loop, newest first (those the office sees)."""
    query = select(MessageRow).where(MessageRow.reason == LOOP_REASON).order_by(MessageRow.received_at.desc(), MessageRow.id.desc())
    return [m for m in session.scalars(query.limit(limit * 4)) if sees_message(m, office)][:limit]


def loop_count(session: Session) -> int:
    """How many messages were not answered as part of a loop, in all."""
    return session.scalar(select(func.count(MessageRow.id)).where(MessageRow.reason == LOOP_REASON)) or 0


def merged_receipts(session: Session) -> int:
    """Receipts that went out inside another receipt's mail."""
    return session.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.merged_into.is_not(None), OutboxRow.state == OutboxState.SENT)) or 0
