"""What the coordinators' desk reads from the ledger: units with their statuses, messages, replies, problems."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.ledger.models import MessageRow, OutboxRow, UnitRow
from mailbot.ledger.status import ReturnStatus, unit_matrix
from routing.model.campaign import Campaign


@dataclass
class UnitStanding:
    """One unit and the status of every return it owes (those one office handles, when scoped)."""

    unit: UnitRow
    cells: list[ReturnStatus]

    def cell(self, kind: str) -> ReturnStatus | None:
        """The status of one return, or None if the unit does not owe it (to this office)."""
        return next((c for c in self.cells if c.kind == kind), None)


def required_kinds(campaign: Campaign, office: str | None = None) -> list[str]:
    """Every return kind some unit owes (to ``office``), in the notice's order."""
    wanted = {k for category in campaign.categories for k in campaign.kinds_for(category, office)}
    return [k for k in campaign.kinds if k in wanted]


def unit_standings(session: Session, campaign: Campaign, now: dt.datetime, office: str | None = None) -> list[UnitStanding]:
    """Every active unit owing something (to ``office``), ordered by category then roster order."""
    units = session.scalars(select(UnitRow).where(UnitRow.active.is_(True)).order_by(UnitRow.category, UnitRow.id))
    found = [UnitStanding(u, unit_matrix(session, campaign, u, now, office)) for u in units]
    return [s for s in found if s.cells]


def sees_message(message: MessageRow, office: str | None) -> bool:
    """Whether an office's coordinator sees a message: it came to their inbox or carries their returns."""
    return office is None or message.office == office or office in (message.handled_by or "").split(",")


def messages(session: Session, office: str | None = None) -> list[MessageRow]:
    """Every message received (that the office sees), oldest first."""
    rows = session.scalars(select(MessageRow).order_by(MessageRow.received_at, MessageRow.id)).all()
    return [m for m in rows if sees_message(m, office)]


def replies_by_message(session: Session) -> dict[int, OutboxRow]:
    """The first reply (receipt, refusal) queued for each message, by message id."""
    found: dict[int, OutboxRow] = {}
    for row in session.scalars(select(OutboxRow).where(OutboxRow.kind.like("reply%")).order_by(OutboxRow.id)):
        found.setdefault(row.message_ref, row)
    return found


def problem_count(cell: ReturnStatus) -> int:
    """Problems (errors and warnings) of the counting version, as listed in 问题明细."""
    return len(cell.counting.problems) if cell.counting else 0


def label_of(campaign: Campaign, kind: str) -> str:
    """The notice's name of a return (附件1, 实施方案)."""
    return campaign.form(kind).label


def office_short(campaign: Campaign, key: str | None) -> str:
    """An office's short name (编办), or the key when unknown."""
    office = campaign.offices.get(key or "")
    return office.short if office else (key or "")
