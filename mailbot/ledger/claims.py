"""Exactly once: the locks under which a delivery's duplicate check and its registration are one step.

Two inboxes may receive one message at the same moment (a department writes To: both offices), and two
`mailbot process` runs may read one file. Each decides "not seen before" on its own; only the check made
again inside the registering transaction, under a lock every such writer takes, lets one register and the
other become its duplicate. SQLite has one writer at a time already (every writing transaction begins
IMMEDIATE); PostgreSQL gets transaction-scoped advisory locks on what makes two deliveries the same.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session

from routing.delivery import Delivery


def claim_names(delivery: Delivery) -> list[str]:
    """What another delivery may share with this one: its bytes, its Message-ID, its sender's files."""
    names = [f"content:{delivery.content_hash}"]
    if delivery.message_id:
        names.append(f"message-id:{delivery.message_id}")
    if delivery.attachments:
        names.append(f"files:{delivery.sender}:{delivery.attachments_hash}")
    return names


def claim_key(name: str) -> int:
    """A signed 64-bit advisory lock key (stable across processes, unlike hash())."""
    return int.from_bytes(hashlib.sha256(f"mailbot-claim:{name}".encode()).digest()[:8], "big", signed=True)


def claim(session: Session, delivery: Delivery) -> None:
    """Hold, until the session's transaction ends, the locks of everything that could make ``delivery`` a repeat."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the transaction began IMMEDIATE and is the only writer until it ends
    # Sorted, so two transactions wanting the same keys take them in the same order and never deadlock.
    for key in sorted({claim_key(name) for name in claim_names(delivery)}):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
