"""The dashboard's users: one row per coordinator, scoped to an office (or admin), password hashed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, String
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

    @property
    def is_admin(self) -> bool:
        """Whether this user sees every office."""
        return self.office == ADMIN

    @property
    def scope(self) -> str | None:
        """The office key whose units and returns this user sees; None for all."""
        return None if self.is_admin else self.office
