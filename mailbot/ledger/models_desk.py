"""The coordinators' desk: every action taken in the web or CLI (who, when, what), and the files departments submitted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mailbot.ledger.models import Base, SubmissionRow


class ActionRow(Base):
    """One coordinator's action (review, pause, exemption, a CD's arrival), kept for the record."""

    __tablename__ = "desk_actions"
    __table_args__ = (Index("ix_desk_action_unit", "unit_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(120))  # the dashboard user's name, or "命令行（操作系统用户）"
    office: Mapped[str | None] = mapped_column(String(40), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class SubmissionFileRow(Base):
    """The attachment a registered version was read from, so a coordinator can open what the department sent."""

    __tablename__ = "submission_files"
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    submission: Mapped[SubmissionRow] = relationship()  # set before the version has an id: one flush for all
