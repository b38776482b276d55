"""The ledger (台账): SQLAlchemy models, the store, and queries over them."""

from mailbot.ledger import (
    append_only,  # noqa: F401,E402  (receipts are never rewritten)
    models_desk,  # noqa: F401,E402  (registers the desk's action log and submitted files)
    models_schedule,  # noqa: F401,E402  (registers the reminder slots table)
    models_web,  # noqa: F401,E402  (registers the dashboard users table)
    scope,  # noqa: F401,E402  (a campaign's ledger sees only that campaign's rows)
    values,  # noqa: F401,E402  (every value fitted to its column before a flush)
)
from mailbot.ledger.store import Ledger

__all__ = ["Ledger"]
