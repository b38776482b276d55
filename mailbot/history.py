"""What the ledger tells the decision chain about a unit's earlier returns (read-only, asked while the chain runs)."""

from __future__ import annotations

from sqlalchemy import select

from mailbot.ledger import Ledger
from mailbot.ledger.models import MessageRow, SubmissionRow, UnitRow


class LedgerHistory:
    """routing.identify.RosterHistory over the ledger; each question opens its own short read."""

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
