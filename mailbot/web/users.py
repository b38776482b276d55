"""Dashboard accounts: add one with a hashed password, check a login."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from mailbot.errors import UsageError
from mailbot.ledger.models_web import ADMIN, UserRow
from routing.campaign import Campaign

MIN_PASSWORD = 8
# Hash something on a miss too, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password")


def office_choices(campaign: Campaign) -> tuple[str, ...]:
    """The offices a user may belong to, and ``admin``."""
    return (*campaign.offices, ADMIN)


def add_user(session: Session, campaign: Campaign, name: str, office: str, password: str, now: dt.datetime) -> UserRow:
    """Create a user; refuse a known name, an unknown office or a short password."""
    if office not in office_choices(campaign):
        raise UsageError(f"办公室应为：{'、'.join(office_choices(campaign))}")
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
