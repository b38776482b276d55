"""A CD (光盘) delivered by hand for a return whose 涉密 mail was refused: registered as a version with its own receipt number."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy.orm import Session

from mailbot.errors import UsageError
from mailbot.ledger.actions import log_action
from mailbot.ledger.models import MessageRow, SubmissionRow, UnitRow
from mailbot.ledger.record import next_receipt_no
from mailbot.ledger.versions import latest_versions
from routing.model.campaign import Campaign

CD_REASON = "cd-received"  # MessageRow.reason of a CD's registration: the audit says it came by CD
CD_MAILBOX = "光盘报送"


def find_kind(campaign: Campaign, text: str) -> str:
    """The return kind named by its key, label (附件1) or title; a Chinese error listing the choices."""
    wanted = (text or "").strip()
    for spec in campaign.forms:
        if wanted in (spec.kind, spec.label, spec.title, f"{spec.label}《{spec.title}》"):
            return spec.kind
    raise UsageError(f"没有名为“{wanted}”的材料，可选：{'、'.join(s.label for s in campaign.forms)}")


def record_cd(session: Session, campaign: Campaign, unit: UnitRow, kind: str, actor: str, now: dt.datetime) -> MessageRow:
    """Register the CD as the next version of (unit, kind), accepted, numbered by the handling office; log who did it."""
    if kind not in campaign.kinds_for(unit.category, None):
        raise UsageError(f"{unit.name}无需报送{campaign.form(kind).label}")
    office = campaign.handler(unit.category, kind)
    late = now >= campaign.deadline_for(kind).end(campaign.timezone)
    detail = f"光盘报送，由{actor}于{now.astimezone(campaign.timezone):%Y-%m-%d %H:%M}登记（光盘内容不经本系统处理）"
    message = MessageRow(mailbox=CD_MAILBOX, folder=CD_MAILBOX, message_id="", content_hash=_hash(unit, kind, now), sender="",
                         subject=f"光盘报送：{campaign.form(kind).label}", received_at=now, processed_at=now, outcome="accepted",
                         reason=CD_REASON, detail=detail, office=office.key, handled_by=office.key, unit_id=unit.id, overdue=late,
                         receipt_no=next_receipt_no(session, campaign, office, now.astimezone(campaign.timezone).year))
    session.add(message)
    session.flush()
    before = latest_versions(session, unit.id, {kind}).get(kind)
    session.add(SubmissionRow(message_id=message.id, unit_id=unit.id, kind=kind, version=before.version + 1 if before else 1,
                              status="accepted", handled_by=office.key, overdue=late, received_at=now, file="光盘"))
    log_action(session, actor, office.key, CD_REASON, unit.id, f"{campaign.form(kind).label}，收件编号{message.receipt_no}", now)
    return message


def _hash(unit: UnitRow, kind: str, now: dt.datetime) -> str:
    return hashlib.sha256(f"cd:{unit.id}:{kind}:{now.isoformat()}".encode()).hexdigest()
