"""Queue due reminders exactly once: the slot row and the outbox row are written in one transaction."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailbot.clock import chinese_date, chinese_datetime
from mailbot.ledger import Ledger
from mailbot.ledger.models import OutboxRow
from mailbot.ledger.models_schedule import ReminderSlotRow
from mailbot.ledger.status import Standing
from mailbot.outbox import compose as replies
from mailbot.schedule.reminders import Reminder, SlotPlan, plan_slot
from routing.model.campaign import Campaign
from routing.model.schedule import Phase, ReminderPolicy, Slot, due_slots

log = logging.getLogger(__name__)

# Reminders come last when the sending budget is short (涉密 refusals 0, problems 1, receipts 2).
PRIORITY = 3
REASONS = {Standing.MISSING: "尚未报送", Standing.OVERDUE_MISSING: "已逾期，尚未报送", Standing.NEEDS_FIX: "已报送，但最新版本存在以下问题，请修改后重新报送",
           Standing.CLASSIFIED: "贵单位此前发来的邮件带有涉密标识，已按规定拒收，未作登记；请将该材料刻录光盘，按规定报送（请勿通过邮件发送）"}


@dataclass
class SlotResult:
    """What one slot did: mails queued, mails another worker (or an earlier run) had already queued, units to call."""

    plan: SlotPlan
    queued: list[Reminder] = field(default_factory=list)
    already: list[Reminder] = field(default_factory=list)


def queue_due(ledger: Ledger, campaign: Campaign, policy: ReminderPolicy, now: dt.datetime) -> list[SlotResult]:
    """Queue every reminder due at ``now``; missed older slots are coalesced away by ``due_slots``."""
    return [queue_slot(ledger, campaign, slot, now) for slot in due_slots(policy, campaign, now)]


def due_plans(session: Session, campaign: Campaign, policy: ReminderPolicy, now: dt.datetime) -> list[tuple[SlotPlan, list[Reminder]]]:
    """What ``queue_due`` would do at ``now``, queuing nothing: each due slot's plan and its reminders not yet taken."""
    plans = [plan_slot(session, campaign, slot, now) for slot in due_slots(policy, campaign, now)]
    return [(plan, [r for r in plan.reminders if not _taken(session, r)]) for plan in plans]


def queue_slot(ledger: Ledger, campaign: Campaign, slot: Slot, now: dt.datetime) -> SlotResult:
    """Plan one slot from the ledger as it is now and queue its reminders in one transaction."""
    with ledger.transaction() as session:
        result = SlotResult(plan_slot(session, campaign, slot, now))
        for reminder in result.plan.reminders:
            (result.queued if _take(session, campaign, reminder, now) else result.already).append(reminder)
    log.info("reminder slot %s/%s: %d queued, %d already sent, %d to call", slot.deadline, slot.key, len(result.queued), len(result.already), len(result.plan.calls))
    return result


def _take(session: Session, campaign: Campaign, reminder: Reminder, now: dt.datetime) -> bool:
    if _taken(session, reminder):
        return False
    try:
        # A savepoint: losing the race for one unit must not undo the others.
        with session.begin_nested():
            outbox = outbox_row(campaign, reminder, now)
            session.add(outbox)
            session.flush()
            session.add(_slot_row(reminder, outbox, now))
            session.flush()
    except IntegrityError:
        log.info("reminder %s already queued by another worker", reminder.dedup_key)
        return False
    return True


def _taken(session: Session, r: Reminder) -> bool:
    # Any office: a slot taken by one office's mail (or, before one mail per unit, by each office's) is taken.
    query = select(ReminderSlotRow.id).where(ReminderSlotRow.unit_id == r.unit_id, ReminderSlotRow.deadline == r.slot.deadline,
                                             ReminderSlotRow.slot == r.slot.key)
    return session.scalars(query).first() is not None


def _slot_row(r: Reminder, outbox: OutboxRow, now: dt.datetime) -> ReminderSlotRow:
    return ReminderSlotRow(unit_id=r.unit_id, deadline=r.slot.deadline, slot=r.slot.key, office=r.office.key, fire_at=r.slot.fire_at,
                           created_at=now, kinds=",".join(o.kind for o in r.owed), outbox_id=outbox.id)


def outbox_row(campaign: Campaign, r: Reminder, now: dt.datetime) -> OutboxRow:
    """The reminder mail as an outbox row, to every address of the unit (one mail, several recipients)."""
    return OutboxRow(kind="reminder", office=r.office.key, to_addr=", ".join(r.addresses), subject=subject(campaign, r),
                     body=render_reminder(campaign, r, now), headers={"Auto-Submitted": "auto-generated"}, priority=PRIORITY,
                     created_at=now, next_attempt_at=now, dedup_key=r.dedup_key)


def subject(campaign: Campaign, r: Reminder) -> str:
    """A subject that says what and by when, e.g. 【催报】请于2023年1月4日前报送实施方案、联络人."""
    deadline = campaign.deadlines[r.slot.deadline]
    what = "、".join(o.label for o in r.owed)
    if r.slot.phase is Phase.AFTER:
        return f"【催报】{campaign.name}{what}已逾期，请尽快报送"
    return f"【提醒】{campaign.name}：请于{chinese_date(deadline.date)}前报送{what}"


def _due_text(slot: Slot, deadline, late: bool) -> str:
    if late:
        return "收到本提醒后尽快"
    return f"今日（{chinese_date(deadline.date)}）下班前" if slot.fire_at.date() == deadline.date else f"{chinese_date(deadline.date)}前"


def render_reminder(campaign: Campaign, r: Reminder, now: dt.datetime) -> str:
    """The Chinese text of a reminder: what is owed, office by office, each with the address to send it to."""
    deadline = campaign.deadlines[r.slot.deadline]
    late = r.slot.phase is Phase.AFTER
    groups = [_group(campaign, campaign.offices[key], items) for key, items in r.by_office().items()]
    offices = "、".join(g["office"].name for g in groups)
    return replies.render(
        "reminder", campaign=campaign, office=r.office, unit_name=r.unit_name, groups=groups,
        deadline_text=f"{deadline.label}应于{chinese_date(deadline.date)}前报送{offices}" + ("，现已逾期" if late else ""),
        due_text=_due_text(r.slot, deadline, late),
        checked_at=chinese_datetime(now, campaign.timezone), today=chinese_date(now.astimezone(campaign.timezone)),
    )


def _group(campaign: Campaign, office, items) -> dict:
    owed = [{"label": o.label, "title": o.title, "reason": REASONS[o.standing], "problems": o.problems} for o in items]
    return {"office": office, "owed": owed, "paper": any(campaign.form(o.kind).layout == "table" for o in items)}
