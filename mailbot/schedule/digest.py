"""The daily digest: one mail per office coordinator each working day, with counts, lists and the ledger workbook."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot.clock import chinese_date, chinese_datetime
from mailbot.ledger import Ledger
from mailbot.ledger.models import OutboxAttachmentRow, OutboxRow, UnitRow
from mailbot.ledger.models_schedule import ReminderSlotRow
from mailbot.ledger.status import Standing, unit_matrix
from mailbot.outbox import compose as replies
from mailbot.schedule.reminders import active_units, call_list
from routing.model.campaign import Campaign, Office
from routing.model.schedule import ReminderPolicy, digest_day

log = logging.getLogger(__name__)
PRIORITY = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_DONE = {Standing.OVERDUE_MISSING: "overdue", Standing.NEEDS_FIX: "invalid", Standing.MISSING: "missing", Standing.CLASSIFIED: "classified"}


def queue_digests(ledger: Ledger, campaign: Campaign, policy: ReminderPolicy, now: dt.datetime, coordinators: dict[str, str]) -> list[str]:
    """Queue today's digest for every office that has not had one; return the office keys queued."""
    day = digest_day(policy, now, campaign.timezone)
    if day is None:
        return []
    queued = []
    for office in campaign.offices.values():
        with ledger.transaction() as session:
            if _queue_one(session, campaign, office, coordinators.get(office.key, office.address), day, now):
                queued.append(office.key)
    return queued


def _queue_one(session: Session, campaign: Campaign, office: Office, to_addr: str, day: dt.date, now: dt.datetime) -> bool:
    key = f"digest:{office.key}:{day.isoformat()}"
    if session.scalars(select(OutboxRow.id).where(OutboxRow.dedup_key == key)).first() is not None:
        return False
    try:
        with session.begin_nested():
            row = digest_row(session, campaign, office, to_addr, now, key)
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    log.info("digest queued for office %s (%s)", office.key, day)
    return True


def digest_row(session: Session, campaign: Campaign, office: Office, to_addr: str, now: dt.datetime, key: str) -> OutboxRow:
    """The digest mail of one office as an outbox row, with the workbook attached when it can be built."""
    attachment = ledger_attachment(session, campaign, office, now)
    context = digest_context(session, campaign, office, now)
    context["attached"] = attachment.filename if attachment else ""
    row = OutboxRow(kind="digest", office=office.key, to_addr=to_addr, subject=f"【每日汇总】{campaign.name}报送情况（{chinese_date(now.astimezone(campaign.timezone))}）",
                    body=replies.render("digest", **context), headers={"Auto-Submitted": "auto-generated"}, priority=PRIORITY,
                    created_at=now, next_attempt_at=now, dedup_key=key)
    if attachment:
        row.attachments.append(attachment)
    return row


def ledger_attachment(session: Session, campaign: Campaign, office: Office, now: dt.datetime) -> OutboxAttachmentRow | None:
    """The office's 台账 workbook (mailbot.reports.workbook); None, logged, when it cannot be built."""
    try:
        from mailbot.reports.workbook import build_ledger_workbook

        data = build_ledger_workbook(session, campaign, now, office.key)
    except Exception:  # the digest still goes out without its attachment; the log says why
        log.exception("ledger workbook for office %s could not be built", office.key)
        return None
    name = f"{office.short}报送台账{now.astimezone(campaign.timezone):%Y%m%d}.xlsx"
    return OutboxAttachmentRow(filename=name, content_type=XLSX, data=data)


def digest_context(session: Session, campaign: Campaign, office: Office, now: dt.datetime) -> dict:
    """Counts per return and the lists of units, for the digest template."""
    counts = {kind: Counter() for kind in campaign.kinds}
    lists: dict[str, list] = {"overdue": [], "invalid": [], "missing": [], "classified": []}
    for unit in active_units(session):
        owed: dict[str, list[str]] = {}
        for cell in unit_matrix(session, campaign, unit, now, office.key):
            counts[cell.kind][cell.standing] += 1
            if cell.standing in NOT_DONE:
                owed.setdefault(NOT_DONE[cell.standing], []).append(campaign.form(cell.kind).label)
        for bucket, labels in owed.items():
            lists[bucket].append({"name": unit.name, "what": "、".join(labels)})
    calls = [{"unit_name": c.unit_name, "category": c.category, "phone": c.phone, "what": "、".join(o.label for o in c.owed)} for c in call_list(session, campaign, now, office.key)]
    return {"campaign": campaign, "office": office, "at": chinese_datetime(now, campaign.timezone), "kinds": _kind_lines(campaign, counts),
            "calls": calls, "reminders_today": reminders_today(session, office, now, campaign), "notes": internal_notes(session, campaign, office.key),
            **lists}


def internal_notes(session: Session, campaign: Campaign, office: str | None) -> list[dict]:
    """Messages the robot registered with a note for the staff (sender not in the roster, unverified): never told to departments."""
    from mailbot.reports.workbook_data import messages

    return [{"when": chinese_datetime(m.received_at, campaign.timezone), "receipt_no": m.receipt_no or "（无）", "sender": m.sender,
             "unit": m.unit.name if m.unit else "（未确定）", "note": "；".join(m.flags)} for m in messages(session, office) if m.flags]


def _kind_lines(campaign: Campaign, counts: dict[str, Counter]) -> list[dict]:
    lines = []
    for kind, c in counts.items():
        if not c:
            continue
        spec, deadline = campaign.form(kind), campaign.deadline_for(kind)
        lines.append({"label": spec.label, "title": spec.title, "due": chinese_date(deadline.date), "total": sum(c.values()),
                      "done": c[Standing.VALID] + c[Standing.OVERDUE_DONE], "fix": c[Standing.NEEDS_FIX],
                      "missing": c[Standing.MISSING] + c[Standing.OVERDUE_MISSING], "overdue": c[Standing.OVERDUE_MISSING], "exempt": c[Standing.EXEMPT]})
    return lines


def reminders_today(session: Session, office: Office, now: dt.datetime, campaign: Campaign) -> dict:
    """The reminders queued today that listed returns this office handles, whichever office's inbox sent them.

    One mail per unit and slot lists what the unit owes every office and goes out from its main office: a count of the
    mails an office sent itself would miss every government unit reminded of 附件1 by 政务服务局's mail.
    """
    local = now.astimezone(campaign.timezone)
    start = dt.datetime.combine(local.date(), dt.time(0), campaign.timezone)
    query = (select(OutboxRow.office, ReminderSlotRow.kinds, UnitRow.category).join(ReminderSlotRow, ReminderSlotRow.outbox_id == OutboxRow.id)
             .join(UnitRow, UnitRow.id == ReminderSlotRow.unit_id).where(OutboxRow.kind == "reminder", OutboxRow.created_at >= start))
    senders = Counter(sender for sender, kinds, category in session.execute(query) if office.key in _handlers(campaign, category, kinds))
    others = [{"name": campaign.offices[key].name if key in campaign.offices else key, "count": n} for key, n in senders.items() if key != office.key]
    return {"count": sum(senders.values()), "from_others": others}


def _handlers(campaign: Campaign, category: str, kinds: str) -> set[str]:
    table = campaign.routing.get(category, {})
    return {table[kind] for kind in kinds.split(",") if kind in table}
