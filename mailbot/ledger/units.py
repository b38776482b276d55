"""The roster in the ledger: import units, load them as a routing.model.roster.Roster, adopt addresses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mailbot.errors import UsageError
from mailbot.ledger.models import MessageRow, UnitRow
from routing.model.roster import Roster, Unit, is_valid_email, normalize_email


def load_roster(session: Session, prefixes: tuple[tuple[str, str], ...] = ()) -> Roster:
    """Every active unit of the ledger (of the session's campaign) as a Roster; ``prefixes`` from campaign.texts."""
    rows = session.scalars(select(UnitRow).where(UnitRow.active.is_(True)).order_by(UnitRow.id)).all()
    return Roster([to_unit(row) for row in rows], prefixes)


def to_unit(row: UnitRow) -> Unit:
    """A ledger row as a roster Unit."""
    return Unit(name=row.name, aliases=tuple(row.aliases), category=row.category, emails=tuple(row.emails), contact=row.contact, phone=row.phone)


def import_units(session: Session, units: Iterable[Unit]) -> tuple[int, int]:
    """Insert new units and update known ones in place; return (added, updated)."""
    known = {row.name: row for row in session.scalars(select(UnitRow))}
    added = updated = 0
    for unit in units:
        row = known.get(unit.name)
        if row is None:
            session.add(UnitRow(name=unit.name, category=unit.category))
            session.flush()
            row = session.scalars(select(UnitRow).where(UnitRow.name == unit.name)).one()
            added += 1
        else:
            updated += 1
        row.aliases, row.category, row.emails = list(unit.aliases), unit.category, list(unit.emails)
        row.contact, row.phone, row.active = unit.contact, unit.phone, True
    return added, updated


def unit_row(session: Session, name: str) -> UnitRow:
    """The unit named exactly ``name``; a Chinese error if there is none."""
    row = session.scalars(select(UnitRow).where(UnitRow.name == name)).one_or_none()
    if row is None:
        raise UsageError(f"名册中没有单位“{name}”")
    return row


def add_email(session: Session, name: str, address: str) -> UnitRow:
    """Adopt an address for a unit (`mailbot roster add-email`)."""
    row = unit_row(session, name)
    address = normalize_email(address)
    if not is_valid_email(address):
        raise UsageError(f"“{address}”不是有效的邮箱地址")
    owner = load_roster(session).by_email(address)
    if owner is not None and owner.name != row.name:
        raise UsageError(f"邮箱 {address} 已登记在“{owner.name}”名下，同一邮箱不能属于两个单位")
    if address not in row.emails:
        row.emails = [*row.emails, address]
    return row


ROSTER_LOCK = 0x6D61696C726F73  # "mailros": every mailbot process takes the same key for the first import


def ensure_roster(session: Session, path, categories: tuple[str, ...], campaign: str | None = None) -> None:
    """Import the campaign's own roster when the ledger holds no unit of this campaign, so a fresh install works at once.

    The session is scoped to the campaign (mailbot.ledger.scope): units of another campaign neither count here nor
    receive this roster. A campaign folder without a roster.csv imports nothing (`doctor` says so).
    """
    if session.get_bind().dialect.name == "postgresql":
        # Workers started together would each find the table empty and insert the same names (uq_unit_campaign_name);
        # the others wait here until the first import commits, then find the roster in place. (SQLite's writers
        # already serialize on BEGIN IMMEDIATE.)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROSTER_LOCK})
    if campaign is not None:
        from mailbot.ledger.scope import claim_unowned

        claim_unowned(session, campaign)
    if session.scalars(select(UnitRow.id).limit(1)).first() is None and Path(path).is_file():
        from mailbot.ledger.roster_io import read_roster_file

        import_units(session, read_roster_file(path, categories))


def remove_units(session: Session, names: list[str]) -> list[str]:
    """Take units off the roster (`mailbot roster remove`); a unit with returns on record is only deactivated."""
    rows = [unit_row(session, name) for name in names]  # every name checked before anything changes
    for row in rows:
        has_history = session.scalars(select(MessageRow.id).where(MessageRow.unit_id == row.id).limit(1)).first()
        if has_history is None:
            session.delete(row)
        else:
            row.active = False  # what it sent stays in the ledger; it is no longer asked, reminded or listed
    return [row.name for row in rows]


def set_exempt(session: Session, name: str, kinds: list[str], known: tuple[str, ...], exempt: bool) -> UnitRow:
    """Excuse a unit from some returns (豁免), or take the excuse back."""
    unknown = [k for k in kinds if k not in known]
    if unknown:
        raise UsageError(f"没有名为“{'、'.join(unknown)}”的材料，可选：{'、'.join(known)}")
    row = unit_row(session, name)
    current = [k for k in row.exempt if k not in kinds]
    row.exempt = current + kinds if exempt else current
    return row


def set_pause(session: Session, name: str, until) -> UnitRow:
    """Pause reminders to a unit until a moment (None resumes them)."""
    row = unit_row(session, name)
    row.paused_until = until
    return row


def find_unit(session: Session, text: str) -> UnitRow:
    """The unit named by its 单位名称 or one of its aliases (exactly, spaces ignored); a Chinese error otherwise."""
    wanted = (text or "").strip()
    rows = session.scalars(select(UnitRow).where(UnitRow.active.is_(True)).order_by(UnitRow.id)).all()
    found = [r for r in rows if r.name == wanted] or [r for r in rows if wanted in (r.aliases or ())]
    if len(found) != 1:
        raise UsageError(f"名册中没有单位“{wanted}”" if not found else f"“{wanted}”可能指{'、'.join(r.name for r in found)}，请写全称")
    return found[0]
