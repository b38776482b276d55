"""The dashboard's users (one row per coordinator, scoped to an office or admin, password hashed) and failed logins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mailbot.ledger.models import Base

ADMIN = "admin"


class UserRow(Base):
    """A person who may log in to the dashboard; ``office`` is an office key or ``admin``."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    office: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]
    # Every session cookie carries the epoch it was issued under; logout, a new password or disabling bumps it,
    # which ends every session of the account at once (the cookie itself is signed, not stored).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_admin(self) -> bool:
        """Whether this user sees every office."""
        return self.office == ADMIN

    @property
    def scope(self) -> str | None:
        """The office key whose units and returns this user sees; None for all."""
        return None if self.is_admin else self.office


class LoginAttemptRow(Base):
    """One login attempt not (yet) known to have succeeded, keyed by account and by client address, for throttling."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempt_key", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))  # "account:<name>" or "address:<ip>"
    at: Mapped[dt.datetime]
