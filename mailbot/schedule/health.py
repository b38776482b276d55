"""Inbox health: record each poll's success or failure, and alert the coordinator once when an inbox stays down."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot.clock import chinese_datetime
from mailbot.ledger import Ledger
from mailbot.ledger.models import MailboxStateRow, OutboxRow
from mailbot.outbox import compose as replies
from mailbot.receipts.error_words import error_words
from routing.model.campaign import Campaign
from routing.model.schedule import ReminderPolicy

log = logging.getLogger(__name__)
PRIORITY = 0  # an office that cannot read its inbox must hear it first


def mark_success(session: Session, mailbox: str, folder: str, now: dt.datetime) -> MailboxStateRow:
    """Record a successful poll (intake calls this); a failing spell ends here."""
    state = _state(session, mailbox, folder)
    state.last_success_at, state.failing_since, state.last_error = now, None, ""
    return state


def mark_failure(session: Session, mailbox: str, folder: str, now: dt.datetime, error: str) -> MailboxStateRow:
    """Record a failed poll (intake calls this); the spell starts at the first failure."""
    state = _state(session, mailbox, folder)
    state.failing_since = state.failing_since or now
    state.last_error = error[:500]
    return state


def folder_words(folder: str) -> str:
    """INBOX as 收件箱; any other folder by its own name."""
    return "收件箱" if folder.upper() == "INBOX" else f"“{folder}”文件夹"


def _state(session: Session, mailbox: str, folder: str) -> MailboxStateRow:
    state = session.get(MailboxStateRow, (mailbox.lower(), folder))
    if state is None:
        state = MailboxStateRow(mailbox=mailbox.lower(), folder=folder)
        session.add(state)
    return state


def check_inboxes(ledger: Ledger, campaign: Campaign, policy: ReminderPolicy, now: dt.datetime, coordinators: dict[str, str]) -> list[str]:
    """Queue an alert for each inbox down longer than the policy allows, and a notice when it recovers."""
    sent = []
    with ledger.transaction() as session:
        for state in session.scalars(select(MailboxStateRow).order_by(MailboxStateRow.mailbox, MailboxStateRow.folder)):
            office = campaign.office_for_inbox(state.mailbox)
            if office is None:
                continue
            down = state.failing_since is not None
            if down and not state.alerted and now - state.failing_since >= policy.inbox_alert_after:
                sent += _alert(session, campaign, office, state, now, coordinators, down=True)
            elif not down and state.alerted:
                sent += _alert(session, campaign, office, state, now, coordinators, down=False)
    return sent


def _alert(session: Session, campaign: Campaign, office, state: MailboxStateRow, now: dt.datetime, coordinators: dict[str, str], *, down: bool) -> list[str]:
    moment = state.failing_since if down else state.last_success_at or now
    key = f"health:{state.mailbox}:{state.folder}:{'down' if down else 'up'}:{moment.astimezone(dt.UTC).isoformat()}"
    state.alerted = down
    if session.scalars(select(OutboxRow.id).where(OutboxRow.dedup_key == key)).first() is not None:
        return []
    body = replies.render(
        "health_alert", campaign=campaign, office=office, mailbox=state.mailbox, folder=folder_words(state.folder), down=down, error=error_words(state.last_error),
        since=chinese_datetime(state.failing_since, campaign.timezone) if down else "",
        minutes=int((now - state.failing_since).total_seconds() // 60) if down else 0,
        last_success=chinese_datetime(state.last_success_at, campaign.timezone) if state.last_success_at else "",
    )
    subject = f"【系统提醒】收件邮箱 {state.mailbox} {'无法收取邮件' if down else '已恢复'}"
    try:
        with session.begin_nested():
            session.add(OutboxRow(kind="health", office=office.key, to_addr=coordinators.get(office.key, office.address), subject=subject, body=body,
                                  headers={"Auto-Submitted": "auto-generated"}, priority=PRIORITY, created_at=now, next_attempt_at=now, dedup_key=key))
    except IntegrityError:
        return []
    log.warning("inbox %s/%s %s: coordinator of %s alerted", state.mailbox, state.folder, "down" if down else "recovered", office.key)
    return [key]
