"""SQLAlchemy models of the ledger: units, received messages, submissions, the outbox, mailbox state."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Enum, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware datetimes stored as UTC, returned aware (SQLite keeps no zone of its own)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the ledger")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every ledger table."""

    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class OutboxState(str, enum.Enum):
    """Life of an outgoing mail: queued → sending → (uncertain →) sent, or failed (retry) / given_up / cancelled.

    ``uncertain``: the final dot went out but no reply came (a timeout, a dropped connection): the server may have
    accepted the mail, so it is never sent again automatically; a person resolves it (`mailbot outbox`).
    """

    QUEUED = "queued"
    SENDING = "sending"
    UNCERTAIN = "uncertain"
    SENT = "sent"
    GIVEN_UP = "given_up"
    SUPPRESSED = "suppressed"
    CANCELLED = "cancelled"


class UnitRow(Base):
    """A unit of the roster (单位)."""

    __tablename__ = "units"
    # The same unit may take part in two campaigns of one deployment: a name is unique within its campaign.
    __table_args__ = (UniqueConstraint("campaign", "name", name="uq_unit_campaign_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign: Mapped[str | None] = mapped_column(String(80), nullable=True)  # Campaign.id; None only before 0009 claimed it
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    category: Mapped[str] = mapped_column(String(20))
    emails: Mapped[list[Any]] = mapped_column(default=list)
    contact: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    exempt: Mapped[list[Any]] = mapped_column(default=list)  # return kinds the unit is excused from (豁免)
    paused_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class MessageRow(Base):
    """One message that reached an inbox, and the verdict on it (exactly one row per delivery)."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("mailbox", "folder", "uidvalidity", "uid", name="uq_message_uid"),
        Index("ix_message_msgid", "message_id"),
        Index("ix_message_hash", "content_hash"),
        Index("ix_message_sender_files", "sender", "attachments_hash"),  # the same files resent: a duplicate
        Index("ix_message_unit", "unit_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign: Mapped[str | None] = mapped_column(String(80), nullable=True)  # the campaign in force when it arrived
    mailbox: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(200), default="INBOX")
    uidvalidity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    uid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    message_id: Mapped[str] = mapped_column(String(500), default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    attachments_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)  # routing.rules.loop.fingerprint: the same text again
    sender: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)  # None for a 涉密 refusal
    received_at: Mapped[dt.datetime]
    processed_at: Mapped[dt.datetime]
    outcome: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(80), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    office: Mapped[str | None] = mapped_column(String(40), nullable=True)  # office owning the inbox
    handled_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    misrouted: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    flags: Mapped[list[Any]] = mapped_column(default=list)
    verdict: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    receipt_no: Mapped[str | None] = mapped_column(String(80), nullable=True, unique=True)
    review_state: Mapped[str | None] = mapped_column(String(20), nullable=True)  # pending / accepted / rejected
    unit: Mapped[UnitRow | None] = relationship()
    submissions: Mapped[list[SubmissionRow]] = relationship(back_populates="message", order_by="SubmissionRow.id")


class SubmissionRow(Base):
    """One return registered for a unit: a version of (unit, kind)."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("unit_id", "kind", "version", name="uq_submission_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign: Mapped[str | None] = mapped_column(String(80), nullable=True)  # the campaign this version answers
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # accepted / invalid
    handled_by: Mapped[str] = mapped_column(String(40))
    misrouted: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[dt.datetime]
    file: Mapped[str] = mapped_column(String(500), default="")
    sheet: Mapped[str | None] = mapped_column(String(200), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    unit_named: Mapped[str | None] = mapped_column(String(200), nullable=True)
    filled_date: Mapped[str | None] = mapped_column(String(20), nullable=True)
    rows: Mapped[list[Any]] = mapped_column(default=list)
    cells: Mapped[list[Any]] = mapped_column(default=list)
    problems: Mapped[list[Any]] = mapped_column(default=list)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    message: Mapped[MessageRow] = relationship(back_populates="submissions")
    unit: Mapped[UnitRow] = relationship()

    @property
    def error_count(self) -> int:
        """How many error-level problems this version has."""
        return sum(1 for p in self.problems if p.get("severity") == "error")


class OutboxRow(Base):
    """A mail to send (receipt, refusal, reminder, digest, alert), written in the same transaction as what caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "office", "state", "next_attempt_at"),  # what claim_next asks, every turn
        Index("ix_outbox_recipient", "to_addr", "created_at"),  # the reply-loop guard and per-recipient pacing
        Index("ix_outbox_message", "message_ref"),  # a message's reply, looked up for every receipt and duplicate
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    message_ref: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    office: Mapped[str] = mapped_column(String(40))
    to_addr: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    priority: Mapped[int] = mapped_column(Integer, default=2)  # 0 first: 涉密 refusals, then problems, receipts, reminders
    state: Mapped[OutboxState] = mapped_column(Enum(OutboxState, native_enum=False, length=20), default=OutboxState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime]
    next_attempt_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # How often the provider refused this mail's content as spam (554 5.7.1): each retry sends a plainer variant.
    content_rejections: Mapped[int] = mapped_column(Integer, default=0)
    dedup_key: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    # For a receipt: every attachment it answers, as {"file", "sha256", "bytes"} — what a 督查 can check it against.
    covers: Mapped[list[Any]] = mapped_column(default=list)
    # Sent inside another row's mail (receipts to one address merged by pacing); None: sent as its own mail.
    merged_into: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attachments: Mapped[list[OutboxAttachmentRow]] = relationship(cascade="all, delete-orphan")


class OutboxAttachmentRow(Base):
    """A file attached to an outgoing mail (an annotated copy, the ledger workbook)."""

    __tablename__ = "outbox_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"))
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(120))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ReceiptCounter(Base):
    """The last receipt number issued per office and year."""

    __tablename__ = "receipt_counters"
    office: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class MailboxStateRow(Base):
    """Per inbox folder: its health (intake reads which messages are new from the ledger's message rows)."""

    __tablename__ = "mailbox_state"
    mailbox: Mapped[str] = mapped_column(String(200), primary_key=True)
    folder: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    failing_since: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    alerted: Mapped[bool] = mapped_column(Boolean, default=False)


class ConfigTroubleRow(Base):
    """A worker that could not reload its configuration: what failed and since when (`mailbot status`, the dashboard)."""

    __tablename__ = "config_trouble"
    worker: Mapped[str] = mapped_column(String(200), primary_key=True)  # host and process of the worker
    since: Mapped[dt.datetime] = mapped_column()
    error: Mapped[str] = mapped_column(Text, default="")


class HeldRawRow(Base):
    """The bytes of a message held for a person (never for a 涉密 hold), deleted once the review is settled."""

    __tablename__ = "held_raw"
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class SenderStateRow(Base):
    """Per office SMTP account: a pause after the provider's frequency limit, and the last send (for pacing)."""

    __tablename__ = "sender_state"
    office: Mapped[str] = mapped_column(String(40), primary_key=True)
    paused_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
