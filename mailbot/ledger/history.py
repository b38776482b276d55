"""What the ledger tells the decision chain about a unit's earlier returns (read-only, asked while the chain runs)."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import case, func, select

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
            unit = session.execute(select(UnitRow.id, UnitRow.emails).where(UnitRow.name == unit_name)).first()
            if unit is None:
                return frozenset()
            # DISTINCT: a unit's history is long, its senders are few (and PostgreSQL cannot compare JSON, so not here).
            rows = session.execute(select(SubmissionRow.kind, MessageRow.sender, MessageRow.review_state)
                                   .join(MessageRow, SubmissionRow.message_id == MessageRow.id)
                                   .where(SubmissionRow.unit_id == unit.id).distinct()).all()
        roster = {address.lower() for address in unit.emails}
        return frozenset(kind for kind, sender, review in rows if sender.lower() in roster or review == "accepted")

    def loop_facts(self, delivery, fingerprint: str, window: dt.timedelta) -> LoopFacts:
        """What routing.rules.loop asks about the sender: our recent mail and files to it, its recent answered messages."""
        sender, since = delivery.sender, delivery.received_at - window
        # One count query for both counts, and no file query for a sender we never wrote to: this runs for every message.
        answered = (select(func.count(case((MessageRow.text_hash == fingerprint, 1))),
                           func.count(case((MessageRow.attachments_hash.is_(None), 1))))
                    .select_from(OutboxRow).join(MessageRow, OutboxRow.message_ref == MessageRow.id)
                    .where(MessageRow.sender == sender, MessageRow.received_at >= since, OutboxRow.kind.like("reply:%")))
        ours = select(OutboxRow.id, OutboxRow.body).where(OutboxRow.to_addr == sender).order_by(OutboxRow.id.desc()).limit(OUR_MAILS)
        with self.ledger.session() as session:
            same, bare = session.execute(answered).one()
            mails = session.execute(ours).all()
            files = session.scalars(select(OutboxAttachmentRow.data).where(
                OutboxAttachmentRow.outbox_id.in_([m.id for m in mails]))) if mails else ()
            digests = frozenset(hashlib.sha256(data).hexdigest() for data in files)
        return LoopFacts(same_text_answered=same > 0, our_bodies=tuple(m.body for m in mails), our_files=digests, bare_answered=bare)
