"""What the desk adds to the pages: the overview, alerts and notes, a unit's files and receipts, review by 收件编号."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.ledger.models import MessageRow, OutboxAttachmentRow, OutboxRow, SubmissionRow
from mailbot.ledger.models_desk import SubmissionFileRow
from mailbot.reports.workbook_data import messages, sees_message
from mailbot.web.overview import arrivals_by_day, day_chart, material_lines, units_reported
from routing.model.campaign import Campaign
from routing.rules.screen import DEPARTMENT_KINDS


def search(rows, text: str):
    """The units whose name or an alias contains ``text`` (all when empty)."""
    wanted = (text or "").strip()
    if not wanted:
        return rows
    return [r for r in rows if wanted in r.unit.name or any(wanted in a for a in (r.unit.aliases or ()))]


def overview(session: Session, campaign: Campaign, rows, office: str | None) -> dict:
    """The overview's figures over the units shown."""
    seen = messages(session, office)
    deadlines = [(d.label, d.date) for d in campaign.deadlines.values()]
    reported, total = units_reported(rows)
    return {"lines": material_lines(campaign, rows, office), "reported": reported, "total": total,
            "chart": day_chart(arrivals_by_day(seen, campaign), deadlines), "alerts": alerts(session, office, 10), "notes": notes(seen)}


def alerts(session: Session, office: str | None, limit: int = 100) -> list[OutboxRow]:
    """Mail the robot wrote to coordinators (涉密 refusals, inbox failures, undelivered mail, digests), newest first."""
    query = select(OutboxRow).where(*(~OutboxRow.kind.startswith(k) for k in DEPARTMENT_KINDS)).order_by(OutboxRow.created_at.desc(), OutboxRow.id.desc())
    if office is not None:
        query = query.where(OutboxRow.office == office)
    return list(session.scalars(query.limit(limit)))


def notes(seen: list[MessageRow]) -> list[MessageRow]:
    """Messages registered with a note for the staff (never told to the sender), newest first."""
    return [m for m in reversed(seen) if m.flags]


def pending_by_receipt(session: Session, receipt_no: str, office: str | None) -> MessageRow | None:
    """The held message with this 收件编号, if the office sees it."""
    row = session.scalars(select(MessageRow).where(MessageRow.receipt_no == (receipt_no or "").strip())).first()
    return row if row is not None and row.review_state == "pending" and sees_message(row, office) else None


def receipt_texts(session: Session, unit_messages: list[MessageRow]) -> dict[int, OutboxRow]:
    """The reply sent for each of the unit's messages, by message id (its text as sent)."""
    ids = [m.id for m in unit_messages]
    rows = session.scalars(select(OutboxRow).where(OutboxRow.message_ref.in_(ids), OutboxRow.kind.like("reply%")).order_by(OutboxRow.id)) if ids else []
    found: dict[int, OutboxRow] = {}
    for row in rows:
        found.setdefault(row.message_ref, row)
    return found


def may_open(sub: SubmissionRow, office: str | None) -> bool:
    """Whether the office may open a version's files: it handles the return, or the mail came to its inbox."""
    return office is None or sub.handled_by == office or sees_message(sub.message, office)


def submitted_file(session: Session, sub: SubmissionRow) -> SubmissionFileRow | None:
    """The attachment the version was read from, if kept."""
    return session.get(SubmissionFileRow, sub.id)


def annotated_file(session: Session, sub: SubmissionRow) -> OutboxAttachmentRow | None:
    """The annotated copy sent with the version's receipt, if one was."""
    reply = session.scalars(select(OutboxRow).where(OutboxRow.message_ref == sub.message_id, OutboxRow.kind.like("reply%"))).first()
    if reply is None:
        return None
    kept = submitted_file(session, sub)
    name = f"批注-{kept.filename if kept else sub.file}"
    return next((a for a in reply.attachments if a.filename == name), None)


def has_files(session: Session, subs: list[SubmissionRow]) -> dict[int, tuple[bool, bool]]:
    """(submitted file kept, annotated copy sent) per version id."""
    return {s.id: (submitted_file(session, s) is not None, annotated_file(session, s) is not None) for s in subs}
