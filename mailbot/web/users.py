"""Dashboard accounts: add, change the password, disable or remove one (ending its sessions), check a login."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mailbot.errors import UsageError
from mailbot.ledger.models_web import ADMIN, UserRow
from routing.model.campaign import Campaign

MIN_PASSWORD = 8
# Hash something on a miss too, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password")


ADMIN_NAMES = (ADMIN, "管理员")


def office_choices(campaign: Campaign) -> tuple[str, ...]:
    """The offices a user may belong to, and ``admin``."""
    return (*campaign.offices, ADMIN)


def resolve_office(campaign: Campaign, given: str) -> str:
    """An office key from its key, name, short or full name (编办, 盟委编办, 政务服务局…), or admin/管理员."""
    wanted = given.strip()
    if wanted in ADMIN_NAMES:
        return ADMIN
    for office in campaign.offices.values():
        if wanted in (office.key, office.name, office.short, office.full_name) and wanted:
            return office.key
    choices = [f"{o.short}（{o.key}）" for o in campaign.offices.values()] + ["管理员（admin）"]
    raise UsageError(f"没有名为“{given}”的办公室，可选：{'、'.join(choices)}")


def add_user(session: Session, campaign: Campaign, name: str, office: str, password: str, now: dt.datetime) -> UserRow:
    """Create a user; refuse a known name, an unknown office or a short password."""
    office = resolve_office(campaign, office)
    if session.scalars(select(UserRow).where(UserRow.name == name)).first() is not None:
        raise UsageError(f"用户“{name}”已存在")
    row = UserRow(name=name, office=office, password_hash=hash_password(password), created_at=now)
    session.add(row)
    return row


def hash_password(password: str) -> str:
    """A salted hash (werkzeug's default, scrypt); refuse a password that is too short."""
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"密码至少需要{MIN_PASSWORD}个字符")
    return generate_password_hash(password)


def verify_user(session: Session, name: str, password: str) -> UserRow | None:
    """The active user with this name and password, or None."""
    row = session.scalars(select(UserRow).where(UserRow.name == name, UserRow.active.is_(True))).first()
    if row is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return row if check_password_hash(row.password_hash, password) else None


def find_user(session: Session, name: str) -> UserRow:
    """The account with this name (for update), or a Chinese usage error."""
    row = session.scalars(select(UserRow).where(UserRow.name == name).with_for_update()).first()
    if row is None:
        raise UsageError(f"没有账号“{name}”")
    return row


def end_sessions(session: Session, user_id: int) -> None:
    """Invalidate every session cookie issued to the account so far (one atomic increment: no lost bump)."""
    session.execute(update(UserRow).where(UserRow.id == user_id).values(session_epoch=UserRow.session_epoch + 1))


def set_password(session: Session, name: str, password: str) -> UserRow:
    """A new password; every session of the account ends."""
    row = find_user(session, name)
    row.password_hash = hash_password(password)
    session.flush()
    end_sessions(session, row.id)
    return row


def set_active(session: Session, name: str, active: bool) -> UserRow:
    """Disable an account (its sessions end, its logins are refused) or enable it again."""
    row = find_user(session, name)
    row.active = active
    session.flush()
    end_sessions(session, row.id)
    return row


def remove_user(session: Session, name: str) -> UserRow:
    """Delete an account; a session cookie of it finds no user and ends."""
    row = find_user(session, name)
    session.delete(row)
    return row
