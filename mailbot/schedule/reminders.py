"""Who is reminded at a slot and why: units owing a return due at that deadline, one mail per unit for every office."""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailbot.ledger.models import MailboxStateRow, MessageRow, SubmissionRow, UnitRow
from mailbot.ledger.status import ReturnStatus, Standing, unit_matrix
from routing.model.campaign import Campaign, Office
from routing.model.schedule import Slot

# What a reminder asks for; a return whose 涉密 mail was refused is asked for on a CD.
OWING = (Standing.MISSING, Standing.OVERDUE_MISSING, Standing.NEEDS_FIX, Standing.CLASSIFIED)


class Hold(str, enum.Enum):
    """Why a unit that owes something is not reminded this time (shown by `reminders preview`)."""

    PAUSED = "已暂停催报"
    UNDER_REVIEW = "有邮件待人工确认，暂不催报"
    INBOX_BEHIND = "收件邮箱尚未收取到催报时间之后的邮件，暂缓催报"


@dataclass(frozen=True)
class Owed:
    """One return a unit still owes, or must fix, with the problems of its counting version."""

    kind: str
    label: str
    title: str
    standing: Standing
    problems: tuple[str, ...] = ()
    office: str = ""  # the key of the office that handles it (where it must be sent)


@dataclass(frozen=True)
class Reminder:
    """One reminder mail: one unit, one slot, what it owes to every office; sent from ``office``, its main one."""

    unit_id: int
    unit_name: str
    office: Office
    slot: Slot
    owed: tuple[Owed, ...]
    addresses: tuple[str, ...]

    @property
    def dedup_key(self) -> str:
        """The outbox dedup key; with the slot table it makes the mail go out once per unit and slot."""
        return f"reminder:{self.unit_id}:{self.slot.deadline}:{self.slot.key}"

    def by_office(self) -> dict[str, tuple[Owed, ...]]:
        """The owed returns grouped by the office each must be sent to, in the reminder's order."""
        grouped: dict[str, list[Owed]] = defaultdict(list)
        for owed in self.owed:
            grouped[owed.office].append(owed)
        return {key: tuple(items) for key, items in grouped.items()}


@dataclass(frozen=True)
class Held:
    """A unit that owes something but is not reminded this time, why, and until when if it is paused."""

    unit_name: str
    hold: Hold
    until: dt.datetime | None = None


@dataclass(frozen=True)
class Call:
    """A unit with no address that owes returns: the coordinator telephones it."""

    unit_name: str
    category: str
    office: Office
    phone: str
    owed: tuple[Owed, ...]


@dataclass
class SlotPlan:
    """What a slot would do: reminders to send, units to call, units held back and why."""

    slot: Slot
    reminders: list[Reminder] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)


def plan_slot(session: Session, campaign: Campaign, slot: Slot, now: dt.datetime, *, check_inboxes: bool = True) -> SlotPlan:
    """Decide, from the ledger as it stands at ``now``, who is reminded at ``slot`` (a preview skips the inbox check)."""
    plan = SlotPlan(slot)
    behind = {o.key for o in campaign.offices.values() if check_inboxes and inbox_behind(session, o, slot.fire_at)}
    for unit in active_units(session):
        owed = owed_by_office(session, campaign, unit, slot.deadline, now)
        if owed:
            _place(session, campaign, plan, unit, owed, now, bool(behind & owed.keys()))
    return plan


def _place(session: Session, campaign: Campaign, plan: SlotPlan, unit: UnitRow, owed: dict[str, tuple[Owed, ...]], now: dt.datetime, behind: bool) -> None:
    # Mail waiting in any office's inbox may settle what is owed there: the one mail waits for the next slot.
    hold = _hold(session, unit, now, behind)
    if hold is not None:
        plan.held.append(Held(unit.name, hold, unit.paused_until if hold is Hold.PAUSED else None))
        return
    addresses = unit_addresses(session, unit)
    if not addresses:
        plan.calls += [Call(unit.name, unit.category, campaign.offices[key], contact_phone(session, campaign, unit), items) for key, items in owed.items()]
        return
    ordered = tuple(o for key in campaign.offices if key in owed for o in owed[key])
    plan.reminders.append(Reminder(unit.id, unit.name, main_office(campaign, unit.category, owed), plan.slot, ordered, addresses))


def main_office(campaign: Campaign, category: str, owed: dict) -> Office:
    """Of the offices owed something, the one handling most of the category's returns (then campaign order)."""
    # The same owed returns always give the same sender; the outbox dedup key (no office in it) settles any race.
    order = list(campaign.offices)
    key = min(owed, key=lambda k: (-len(campaign.kinds_for(category, k)), order.index(k)))
    return campaign.offices[key]


def _hold(session: Session, unit: UnitRow, now: dt.datetime, behind: bool) -> Hold | None:
    if unit.paused_until is not None and unit.paused_until > now:
        return Hold.PAUSED
    if behind:
        return Hold.INBOX_BEHIND
    pending = select(MessageRow.id).where(MessageRow.unit_id == unit.id, MessageRow.review_state == "pending").limit(1)
    return Hold.UNDER_REVIEW if session.scalars(pending).first() is not None else None


def active_units(session: Session) -> list[UnitRow]:
    """The roster's active units, in roster order."""
    return list(session.scalars(select(UnitRow).where(UnitRow.active.is_(True)).order_by(UnitRow.id)))


def owed_by_office(session: Session, campaign: Campaign, unit: UnitRow, deadline: str | None, now: dt.datetime) -> dict[str, tuple[Owed, ...]]:
    """The returns due at ``deadline`` (any, when None) the unit still owes, grouped by handling office."""
    grouped: dict[str, list[Owed]] = defaultdict(list)
    for cell in unit_matrix(session, campaign, unit, now):
        spec = campaign.form(cell.kind)
        if cell.standing in OWING and deadline in (None, spec.deadline):
            grouped[cell.handled_by].append(Owed(cell.kind, spec.label, spec.title, cell.standing, _problems(cell), cell.handled_by))
    return {office: tuple(items) for office, items in grouped.items()}


def _problems(cell: ReturnStatus) -> tuple[str, ...]:
    if cell.standing is not Standing.NEEDS_FIX or cell.counting is None:
        return ()
    return tuple(p.get("message", "") for p in cell.counting.problems if p.get("severity") == "error")


def unit_addresses(session: Session, unit: UnitRow) -> tuple[str, ...]:
    """The roster addresses, then the address the unit last wrote from, without repeats."""
    latest = select(MessageRow.sender).where(MessageRow.unit_id == unit.id, MessageRow.sender != "").order_by(MessageRow.received_at.desc()).limit(1)
    found = [a.strip().lower() for a in (*unit.emails, session.scalars(latest).first() or "") if a and "@" in a]
    return tuple(dict.fromkeys(found))


def contact_phone(session: Session, campaign: Campaign, unit: UnitRow) -> str:
    """The phone of the unit's latest contact return (联络人电话), else the roster's phone."""
    for spec in (s for s in campaign.forms if s.layout == "contact"):
        name = next((f["name"] for f in spec.fields if f.get("pattern") == "phone"), None)
        subs = select(SubmissionRow).where(SubmissionRow.unit_id == unit.id, SubmissionRow.kind == spec.kind).order_by(SubmissionRow.version.desc())
        for sub in session.scalars(subs):
            phone = next((str(r.get(name) or "") for r in sub.rows if name and r.get(name)), "")
            if phone:
                return phone
    return unit.phone or ""


def inbox_behind(session: Session, office: Office, moment: dt.datetime) -> bool:
    """Whether an inbox of the office is failing or has not been read since ``moment`` (mail may be waiting)."""
    boxes = [a.lower() for a in office.inboxes]
    for state in session.scalars(select(MailboxStateRow).where(MailboxStateRow.mailbox.in_(boxes))):
        # No last success at all means health is not tracked for that inbox (e.g. files fed by hand).
        if state.failing_since is not None or (state.last_success_at is not None and state.last_success_at < moment):
            return True
    return False


def call_list(session: Session, campaign: Campaign, now: dt.datetime, office: str | None = None) -> list[Call]:
    """Every unit without an address that still owes a return (optionally only to one office)."""
    calls = []
    for unit in active_units(session):
        if unit_addresses(session, unit) or (unit.paused_until is not None and unit.paused_until > now):
            continue
        for key, owed in owed_by_office(session, campaign, unit, None, now).items():
            if office in (None, key):
                calls.append(Call(unit.name, unit.category, campaign.offices[key], contact_phone(session, campaign, unit), owed))
    return calls
