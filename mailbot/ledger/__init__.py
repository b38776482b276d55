"""The ledger (台账): SQLAlchemy models, the store, and queries over them."""

from mailbot.ledger.store import Ledger
from mailbot.ledger import models_schedule  # noqa: F401,E402  (registers the reminder slots table)
from mailbot.ledger import models_web  # noqa: F401,E402  (registers the dashboard users table)
from mailbot.ledger import models_desk  # noqa: F401,E402  (registers the desk's action log and submitted files)
from mailbot.ledger import append_only  # noqa: F401,E402  (receipts are never rewritten)
from mailbot.ledger import values  # noqa: F401,E402  (every value fitted to its column before a flush)
from mailbot.ledger import scope  # noqa: F401,E402  (a campaign's ledger sees only that campaign's rows)

__all__ = ["Ledger"]
