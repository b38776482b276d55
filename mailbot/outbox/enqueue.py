"""Queue the reply to a registered message as an outbox row (SMTP sends it later)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from mailbot.clock import chinese_date, chinese_datetime
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState, UnitRow
from mailbot.ledger.status import Standing, outstanding
from mailbot.ledger.units import load_roster
from mailbot.outbox import compose as replies
from mailbot.receipts.annotated import annotated_copies
from mailbot.receipts.body import describe_forms, late_text, passed_on_text
from mailbot.receipts.marking_words import rule_words
from routing.delivery import Delivery, Outcome
from routing.model.campaign import Campaign


def annotated_for(d: Delivery) -> list:
    """The annotated workbooks an invalid return's receipt carries (made before the registration's transaction)."""
    return annotated_copies(d) if d.outcome is Outcome.INVALID else []  # errors to fix; warnings are listed in the text


def queue_reply(session: Session, d: Delivery, message: MessageRow, campaign: Campaign, now: dt.datetime, *, versions: dict, changes: dict,
                copies: list | None = None) -> OutboxRow | None:
    """Write the reply row for this message, or nothing when the outcome is not answered."""
    if d.outcome not in replies.PRIORITY or (d.outcome is Outcome.DUPLICATE and not _answer_duplicate(d, now)):
        return None
    office = d.office or next(iter(campaign.offices.values()))
    context = replies.base_context(d, campaign, office, now.astimezone(campaign.timezone).date())
    context.update(_specific(session, d, message, campaign, now, versions, changes))
    context["salutation"] = context["salutation"] or addressee(session, d)
    copies = annotated_for(d) if copies is None else copies
    context["annotated"] = [c.filename for c in copies]
    row = OutboxRow(
        message_ref=message.id, kind=f"reply:{d.outcome.value}", office=office.key, to_addr=d.sender,
        subject=replies.subject_for(d, office), body=replies.render(d.outcome.value, **context),
        headers=replies.thread_headers(d) if not d.withhold_content else {},
        priority=replies.PRIORITY[d.outcome], created_at=now, next_attempt_at=now, dedup_key=f"reply:{message.id}",
        state=OutboxState.QUEUED,  # set now, not at flush: the verdict reports it in the same transaction
    )
    row.attachments = copies
    row.covers = [] if d.withhold_content else [{"file": a.filename, "sha256": a.sha256, "bytes": len(a.data)} for a in d.attachments]
    session.add(row)
    return row


def queue_classified_alert(session: Session, d: Delivery, message: MessageRow, campaign: Campaign, now: dt.datetime, to: str | None = None) -> OutboxRow:
    """Tell the office's coordinator that a marked message was refused (metadata only, never its content)."""
    office = d.office or next(iter(campaign.offices.values()))
    context = replies.base_context(d, campaign, office, now.astimezone(campaign.timezone).date())
    body = replies.render("classified_alert", **context, sender=d.sender, receipt_no=message.receipt_no, rule=rule_words(marking_rule(d)), place=d.facts.get("marking_place", ""))
    row = OutboxRow(message_ref=message.id, kind="alert", office=office.key, to_addr=to or office.address,
                    subject=f"【系统提示】{office.name}收到一封带密级标识的邮件，已拒收（{message.receipt_no}）", body=body, headers={},
                    priority=0, created_at=now, next_attempt_at=now, dedup_key=f"alert:{message.id}")
    session.add(row)
    return row


def marking_rule(d: Delivery) -> str:
    """Which gate rule found the marking (the verdict's reason is the chain's link, classified)."""
    marking = d.prepared.marking if d.prepared is not None else None
    return marking.rule if marking is not None else ""


def _answer_duplicate(d: Delivery, now: dt.datetime) -> bool:
    first = d.duplicate_of or {}
    answered = first.get("answered_at")
    # Only the earlier message's own sender is reminded of it: another address learns nothing of its receipt.
    return answered is not None and now - answered > dt.timedelta(days=1) and first.get("sender", d.sender) == d.sender


def _specific(session, d: Delivery, message, campaign: Campaign, now, versions, changes) -> dict:
    stranger = is_stranger(d)
    # To an address the roster does not list, a receipt speaks of this message only: no earlier version, nothing owed.
    forms = describe_forms(d, campaign, {} if stranger else versions, {} if stranger else changes)
    context = {
        "receipt_no": message.receipt_no,
        "forms": forms,
        "passed_on": passed_on_text(d, campaign),
        "late": late_text(d, campaign),
        # Notes for the staff (unit_flags) never go to departments: the dashboard and the digest show them.
        "file_problems": [f"{p.file or '附件'}：{p.message}" + ("" if p.message.endswith(("。", "！", "？")) else "。") for p in d.problems],
        "links": d.links,
        "review_reason": d.facts.get("reply_reason") or d.detail or "该邮件",
        "stranger": stranger,
        "big_attachment": d.reason == "big-attachment-link",
        "required": [f"{spec.label}《{spec.title}》（{campaign.deadlines[spec.deadline].label}，截止{chinese_date(campaign.deadlines[spec.deadline].date)}）" for spec in campaign.forms],
    }
    owed = _owed(session, d, message, campaign, now)
    context["missing"] = "、".join(f"{campaign.form(c.kind).label}（{c.standing.value}，报{campaign.offices[c.handled_by].name}）" for c in owed)
    context["missing_overdue"] = any(c.standing is Standing.OVERDUE_MISSING for c in owed)
    first = d.duplicate_of or {}
    if first:
        context["first_received"] = chinese_datetime(first["received_at"], campaign.timezone)
        context["first_receipt_no"] = first.get("receipt_no") or "（无）"
    return context


def _owed(session, d: Delivery, message, campaign: Campaign, now) -> list:
    """What the registering unit still owes or must fix, after this message (told to its roster addresses only)."""
    if not d.outcome.registers or message.unit_id is None or is_stranger(d):
        return []
    return outstanding(session, campaign, session.get(UnitRow, message.unit_id), now)


def addressee(session: Session, d: Delivery) -> str:
    """The roster unit of the sender's address, for a reply decided before the unit was identified ("" if none)."""
    # Unreadable files, no forms and 涉密 refusals end the chain before identify-unit; the roster still knows the sender.
    unit = load_roster(session).by_email(d.sender) if d.sender else None
    return unit.name if unit else ""


def is_stranger(d: Delivery) -> bool:
    """Whether the message was registered for a unit whose roster does not list the sender's address."""
    return d.unit is not None and d.facts.get("unit_by_address") != d.unit.name
