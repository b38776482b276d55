"""Ledger tables of the schedule: one row per reminder slot sent, the guard that makes each slot go out once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mailbot.ledger.models import Base


class ReminderSlotRow(Base):
    """A reminder slot taken for (unit, deadline, slot, office); inserted with its outbox row in one transaction."""

    __tablename__ = "reminder_slots"
    # The unique constraint, not a lock, is what keeps two workers (or a restart) from sending a slot twice.
    __table_args__ = (UniqueConstraint("unit_id", "deadline", "slot", "office", name="uq_reminder_slot"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    deadline: Mapped[str] = mapped_column(String(40))
    slot: Mapped[str] = mapped_column(String(40))
    office: Mapped[str] = mapped_column(String(40))
    fire_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime]
    kinds: Mapped[str] = mapped_column(String(200), default="")  # the returns reminded of, comma-separated
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True)
