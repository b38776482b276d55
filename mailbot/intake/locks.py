"""One worker per mailbox: a PostgreSQL advisory lock on the inbox address, held for the length of one pass."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


def lock_key(address: str) -> int:
    """A stable signed 64-bit key for an address (Python's hash() differs between processes)."""
    digest = hashlib.sha256(f"mailbot-inbox:{address.lower()}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def mailbox_lock(ledger, address: str) -> Iterator[bool]:
    """Yield True when this process may read the mailbox now, False while another worker reads it."""
    if ledger.is_sqlite:
        # One SQLite file means one worker by design; its writers already serialize on the file lock.
        yield True
        return
    with ledger.engine.connect() as conn:
        # A dedicated connection in autocommit: the lock belongs to this session, not to a transaction, and
        # PostgreSQL drops it when the session ends, so a worker killed mid-pass frees the mailbox at once.
        conn.execution_options(isolation_level="AUTOCOMMIT")
        key = lock_key(address)
        held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        try:
            yield held
        finally:
            if held:
                _unlock(conn, key, address)


def _unlock(conn, key: int, address: str) -> None:
    # The connection goes back to the pool: a lock left on it would hold the mailbox for as long as it lives.
    try:
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
    except DBAPIError:
        log.warning("could not release the lock of inbox %s; dropping the connection instead", address)
        conn.invalidate()
