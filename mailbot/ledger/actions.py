"""The desk's action log: who did what, when, to which unit (web and command line alike)."""

from __future__ import annotations

import datetime as dt
import getpass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.ledger.models_desk import ActionRow

# The Chinese name of each action, as the log shows it.
ACTION_LABELS = {"cd-received": "登记光盘报送", "review-accept": "人工确认登记", "review-reject": "人工确认不予登记",
                 "pause": "暂停催报", "resume": "恢复催报", "exempt": "豁免", "unexempt": "取消豁免"}


def cli_actor() -> str:
    """Who acts from the command line: the operating-system user."""
    try:
        return f"命令行（{getpass.getuser()}）"
    except (KeyError, OSError):  # no passwd entry in a container
        return "命令行"


def log_action(session: Session, actor: str, office: str | None, action: str, unit_id: int | None, detail: str, now: dt.datetime) -> ActionRow:
    """Record one action in the caller's transaction (it is logged only if it happened)."""
    row = ActionRow(at=now, actor=actor, office=office, action=action, unit_id=unit_id, detail=detail)
    session.add(row)
    return row


def recent_actions(session: Session, office: str | None, unit_id: int | None = None, limit: int = 50) -> list[ActionRow]:
    """The latest actions (of one office's coordinators and admins, about one unit when given), newest first."""
    query = select(ActionRow).order_by(ActionRow.at.desc(), ActionRow.id.desc())
    if unit_id is not None:
        query = query.where(ActionRow.unit_id == unit_id)
    if office is not None:
        query = query.where((ActionRow.office == office) | ActionRow.office.is_(None))
    return list(session.scalars(query.limit(limit)))
