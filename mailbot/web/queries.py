"""What the dashboard pages show, read from the ledger and scoped to the viewer's office."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.ledger.models import MessageRow, OutboxRow, UnitRow
from mailbot.ledger.models_web import UserRow
from mailbot.ledger.status import Standing, unit_matrix
from mailbot.reports.workbook_data import messages, required_kinds, sees_message, unit_standings
from routing.model.campaign import Campaign


def scope_for(user: UserRow, campaign: Campaign, requested: str | None) -> str | None:
    """The office whose returns the page shows: the coordinator's own; an admin's choice, or all."""
    if not user.is_admin:
        return user.office
    return requested if requested in campaign.offices else None


def matrix_data(session: Session, campaign: Campaign, now: dt.datetime, office: str | None, category: str | None, status: str | None,
                query: str = "") -> dict:
    """The units × returns matrix after the filters (a name or alias searched), the status counts and the overview above it."""
    from mailbot.web.desk_queries import overview, search

    everyone = [s for s in unit_standings(session, campaign, now, office) if not category or s.unit.category == category]
    counts = Counter(c.standing.value for s in everyone for c in s.cells)
    standings = search(everyone, query)
    if status:
        standings = [s for s in standings if any(c.standing.value == status for c in s.cells)]
    return {"kinds": required_kinds(campaign, office), "rows": standings, "counts": [(st.value, counts.get(st.value, 0)) for st in Standing],
            "units": len(everyone), "shown": len(standings), "overview": overview(session, campaign, everyone, office)}


def visible_unit(session: Session, campaign: Campaign, now: dt.datetime, unit_id: int, office: str | None) -> tuple[UnitRow | None, list]:
    """The unit and the returns the office handles for it (an empty list: none of the office's business)."""
    unit = session.get(UnitRow, unit_id)
    if unit is None:
        return None, []
    return unit, unit_matrix(session, campaign, unit, now, office)


def unit_messages(session: Session, unit: UnitRow, office: str | None) -> list[MessageRow]:
    """The messages registered to the unit that the office sees."""
    rows = session.scalars(select(MessageRow).where(MessageRow.unit_id == unit.id).order_by(MessageRow.received_at)).all()
    return [m for m in rows if sees_message(m, office)]


def unit_mail(session: Session, unit: UnitRow, office: str | None) -> tuple[list[OutboxRow], list[OutboxRow]]:
    """(receipts, reminders) sent to the unit by the office (by every office for an admin)."""
    own = {m.id for m in session.scalars(select(MessageRow).where(MessageRow.unit_id == unit.id))}
    rows = [r for r in session.scalars(select(OutboxRow).order_by(OutboxRow.created_at, OutboxRow.id)) if office is None or r.office == office]
    receipts = [r for r in rows if r.kind.startswith("reply") and r.message_ref in own]
    reminders = [r for r in rows if r.kind.startswith("reminder") and (r.message_ref in own or r.to_addr.lower() in {e.lower() for e in unit.emails})]
    return receipts, reminders


def review_queue(session: Session, office: str | None) -> list[MessageRow]:
    """Messages waiting for a person to settle (in the CLI), that the office sees."""
    return [m for m in messages(session, office) if m.review_state == "pending"]


def unanswered(session: Session, office: str | None) -> list[MessageRow]:
    """Messages recorded but not answered as part of a reply loop, newest first, that the office sees."""
    from mailbot.ledger.unanswered import loop_messages

    return loop_messages(session, office)
