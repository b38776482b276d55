"""The ledger (台账): SQLAlchemy models, the store, and queries over them."""

from mailbot.ledger.store import Ledger

__all__ = ["Ledger"]
