"""The registering action: one message row, its submissions and its reply, written in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.ledger.models import HeldRawRow, MessageRow, OutboxRow, ReceiptCounter, SubmissionRow, UnitRow
from mailbot.ledger.models_desk import SubmissionFileRow
from mailbot.ledger.units import load_roster
from mailbot.ledger.versions import latest_versions, summarise_changes
from mailbot.outbox.enqueue import queue_classified_alert, queue_reply
from routing.delivery import Delivery, Outcome
from routing.model.campaign import Campaign
from routing.rules.loop import fingerprint

NUMBERED = {Outcome.ACCEPTED, Outcome.INVALID, Outcome.HELD_FOR_REVIEW, Outcome.REFUSED_CLASSIFIED, Outcome.UNKNOWN_SENDER, Outcome.NO_FORMS, Outcome.UNSUPPORTED}


class Recorded(NamedTuple):
    """What registering a delivery wrote: its message row and the reply queued for it (if it is answered)."""

    message: MessageRow
    reply: OutboxRow | None


def record_delivery(session: Session, delivery: Delivery, campaign: Campaign, now: dt.datetime, coordinators: Mapping[str, str] | None = None,
                    copies: list | None = None) -> Recorded:
    """Register the delivery and queue its reply; the caller's transaction commits both or neither.

    The receipt is rendered before its number is drawn: the receipt counter (a row lock every registration of the
    office waits for) is taken last, and the number is then written into the rendered texts. ``copies`` are the
    annotated workbooks, made by the caller before the transaction (outbox_queue.annotated_for).
    """
    coordinators = coordinators or {}
    message = _message_row(session, delivery, campaign, now)
    session.add(message)
    session.flush()
    versions, changes = {}, {}
    if delivery.outcome.registers:
        versions, changes = register_returns(session, delivery, message, campaign)
    if delivery.outcome is Outcome.HELD_FOR_REVIEW and not delivery.withhold_content:
        session.add(HeldRawRow(message_id=message.id, raw=delivery.raw))  # a reviewer may register it later
    session.flush()  # what the receipt reports as still owed reads the new versions
    with session.no_autoflush:  # the texts are written once, numbered: a receipt row is never updated (append_only)
        # A marked auto-reply, own-address or repeated message is refused but never answered (routing.rules.screen).
        reply = None if delivery.facts.get("unanswered") else queue_reply(session, delivery, message, campaign, now, versions=versions,
                                                                           changes=changes, copies=copies)
        alert = None
        if delivery.outcome is Outcome.REFUSED_CLASSIFIED:
            alert = queue_classified_alert(session, delivery, message, campaign, now, to=coordinators.get(message.office))
        if message.receipt_no is not None:
            number_receipt(session, campaign, delivery, message, [row for row in (reply, alert) if row is not None])
    return Recorded(message, reply)


def number_receipt(session: Session, campaign: Campaign, d: Delivery, message: MessageRow, rows: list[OutboxRow]) -> None:
    """Draw the receipt number (locking the office's counter until commit) and put it where the placeholder stands."""
    placeholder, number = message.receipt_no, _receipt_no(session, campaign, d)
    message.receipt_no = number
    for row in rows:
        row.subject, row.body = row.subject.replace(placeholder, number), row.body.replace(placeholder, number)


def _message_row(session: Session, d: Delivery, campaign: Campaign, now: dt.datetime) -> MessageRow:
    withhold = d.withhold_content
    unit = _unit_row(session, d)
    office = d.office.key if d.office else None
    return MessageRow(
        mailbox=d.mailbox, folder=d.folder, uidvalidity=d.uidvalidity, uid=d.uid,
        message_id=d.message_id, content_hash=d.content_hash,
        attachments_hash=None if withhold else (d.attachments_hash if d.attachments else None),
        text_hash=None if withhold else fingerprint(d),
        sender=d.sender, subject=None if withhold else d.subject,
        received_at=d.received_at, processed_at=now,
        outcome=d.outcome.value, reason=d.reason, detail=d.detail,
        office=office, handled_by=",".join(dict.fromkeys(d.handlers.values())) or office,
        unit_id=unit.id if unit else None, misrouted=d.misrouted, overdue=d.overdue,
        flags=list(d.unit_flags),
        review_state="pending" if d.outcome is Outcome.HELD_FOR_REVIEW else None,
        receipt_no=f"待编号{uuid.uuid4().int}" if d.outcome in NUMBERED else None,  # numbered last (number_receipt)
    )


def _unit_row(session: Session, d: Delivery) -> UnitRow | None:
    if d.unit is not None:
        return session.scalars(select(UnitRow).where(UnitRow.name == d.unit.name)).one_or_none()
    if d.outcome is Outcome.REFUSED_CLASSIFIED:
        # The sender's address (metadata, not content) tells the ledger whose return was refused.
        unit = load_roster(session).by_email(d.sender)
        return session.scalars(select(UnitRow).where(UnitRow.name == unit.name)).one_or_none() if unit else None
    return None


def _receipt_no(session: Session, campaign: Campaign, d: Delivery) -> str:
    office = d.office or next(iter(campaign.offices.values()))
    return next_receipt_no(session, campaign, office, d.received_at.astimezone(campaign.timezone).year)


def next_receipt_no(session: Session, campaign: Campaign, office, year: int) -> str:
    """The office's next receipt number of ``year`` (the year it arrived, as a 收文 register does)."""
    counter = session.get(ReceiptCounter, (office.key, year), with_for_update=True)
    if counter is None:
        counter = ReceiptCounter(office=office.key, year=year, last_seq=0)
        session.add(counter)
    counter.last_seq += 1
    return campaign.receipt_number(office, year, counter.last_seq)


def register_returns(session: Session, d: Delivery, message: MessageRow, campaign: Campaign) -> tuple[dict, dict]:
    """Add a new version of each return for the message's unit; return versions and change summaries by kind."""
    versions, changes = {}, {}
    overdue = set(d.facts.get("overdue_kinds", ()))
    latest = latest_versions(session, message.unit_id, {parsed.kind for parsed in d.returns})
    for parsed in d.returns:
        before = latest.get(parsed.kind)  # two returns of one kind in one message: the second follows the first
        row = SubmissionRow(
            message_id=message.id, unit_id=message.unit_id, kind=parsed.kind, version=before.version + 1 if before else 1,
            status=parsed.status, handled_by=d.handlers.get(parsed.kind, message.office or ""),
            misrouted=d.handlers.get(parsed.kind) != message.office, overdue=parsed.kind in overdue,
            received_at=d.received_at, file=parsed.file, sheet=parsed.sheet, sha256=parsed.sha256,
            unit_named=parsed.unit_name, filled_date=parsed.filled_date.isoformat() if parsed.filled_date else None,
            rows=_jsonable(parsed.rows), cells=list(parsed.cells), problems=[p.to_json() for p in parsed.problems],
            metrics=dict(parsed.metrics),
        )
        session.add(row)
        keep_file(session, d, row)
        latest[parsed.kind] = row
        versions[parsed.kind] = row.version
        if before is not None:
            changes[parsed.kind] = summarise_changes(before.rows, row.rows, _key_column(campaign, parsed.kind))
    return versions, changes


def keep_file(session: Session, d: Delivery, row: SubmissionRow) -> None:
    """Keep the attachment the version was read from (none for a return written in the mail's text)."""
    attachment = next((a for a in d.attachments if row.sha256 and a.sha256 == row.sha256), None)
    if attachment is not None:
        session.add(SubmissionFileRow(submission=row, filename=attachment.filename, data=attachment.data))


def _key_column(campaign: Campaign, kind: str) -> str | None:
    columns = [c.name for c in campaign.form(kind).columns if c.role != "seq"]
    return columns[0] if columns else None


def _jsonable(rows: list[dict]) -> list[dict]:
    return [{k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v)) for k, v in row.items()} for row in rows]
