"""The units × returns matrix as plain data, shared by the CLI, the workbook and the dashboard."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.ledger.contacts import unit_contact
from mailbot.ledger.models import UnitRow
from mailbot.ledger.status import unit_matrix
from routing.model.campaign import Campaign


def ledger_rows(session: Session, campaign: Campaign, now: dt.datetime, office: str | None = None) -> list[dict]:
    """One dict per unit with each required return's status, version, received time, overdue flag."""
    rows = []
    for unit in session.scalars(select(UnitRow).where(UnitRow.active.is_(True)).order_by(UnitRow.category, UnitRow.id)):
        cells = unit_matrix(session, campaign, unit, now, office)
        if office and not cells:
            continue
        contact = unit_contact(campaign, unit, cells)
        rows.append({"unit": unit.name, "category": unit.category, "contact": contact["name"], "position": contact["position"],
                     "phone": contact["phone"], "returns": {c.kind: _cell(c, campaign) for c in cells}})
    return rows


def _cell(cell, campaign: Campaign) -> dict:
    sub = cell.counting
    return {
        "status": cell.standing.value,
        "handled_by": cell.handled_by,
        "version": sub.version if sub else None,
        "versions": len(cell.versions),
        "received_at": sub.received_at.astimezone(campaign.timezone).isoformat() if sub else None,
        "overdue": bool(sub.overdue) if sub else cell.standing.value == "逾期未报",
        "receipt_no": sub.message.receipt_no if sub else None,
        "problems": sub.error_count if sub else 0,
        "note": cell.note,
    }
