"""What the ledger tells the decision chain about a unit's earlier returns (read-only, asked while the chain runs)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select

from mailbot.ledger import Ledger
from mailbot.ledger.models import MessageRow, OutboxAttachmentRow, OutboxRow, SubmissionRow, UnitRow
from routing.rules.loop import LoopFacts

OUR_MAILS = 10  # how many of our latest mails to the sender an echo is compared with


class LedgerHistory:
    """routing.context.History over the ledger; each question opens its own short read."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def roster_kinds(self, unit_name: str) -> frozenset[str]:
        """Kinds of which the unit has a version sent from one of its roster addresses, or accepted by a person."""
        with self.ledger.session() as session:
            unit = session.scalars(select(UnitRow).where(UnitRow.name == unit_name)).one_or_none()
            if unit is None:
                return frozenset()
            query = (select(SubmissionRow.kind, MessageRow.sender, MessageRow.review_state)
                     .join(MessageRow, SubmissionRow.message_id == MessageRow.id).where(SubmissionRow.unit_id == unit.id))
            rows = session.execute(query).all()
            roster = {address.lower() for address in unit.emails}
        return frozenset(kind for kind, sender, review in rows if sender.lower() in roster or review == "accepted")

    def loop_facts(self, delivery, fingerprint: str, window: dt.timedelta) -> LoopFacts:
        """What routing.rules.loop asks about the sender: our recent mail and files to it, its recent answered messages."""
        sender, since = delivery.sender, delivery.received_at - window
        answered = (select(func.count(OutboxRow.id)).join(MessageRow, OutboxRow.message_ref == MessageRow.id)
                    .where(MessageRow.sender == sender, MessageRow.received_at >= since, OutboxRow.kind.like("reply:%")))
        with self.ledger.session() as session:
            same = session.scalar(answered.where(MessageRow.text_hash == fingerprint)) or 0
            bare = session.scalar(answered.where(MessageRow.attachments_hash.is_(None))) or 0
            ours = select(OutboxRow.id, OutboxRow.body).where(OutboxRow.to_addr == sender).order_by(OutboxRow.id.desc()).limit(OUR_MAILS)
            mails = session.execute(ours).all()
            files = session.scalars(select(OutboxAttachmentRow.data).where(OutboxAttachmentRow.outbox_id.in_([m.id for m in mails])))
            digests = frozenset(hashlib.sha256(data).hexdigest() for data in files)
        return LoopFacts(same_text_answered=same > 0, our_bodies=tuple(m.body for m in mails), our_files=digests, bare_answered=bare)
