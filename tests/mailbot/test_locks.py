"""The mailbox lock: one holder at a time on PostgreSQL, released on exit or when the holder's session dies."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from mailbot.intake.locks import lock_key, mailbox_lock
from mailbot.ledger import Ledger

INBOX = "xamzfw@126.com"


@pytest.fixture
def two(db_url):
    """Two ledgers on one database, as two worker processes would have."""
    ledgers = (Ledger(db_url), Ledger(db_url))
    yield ledgers
    for ledger in ledgers:
        ledger.dispose()


def advisory_locks(ledger) -> int:
    with ledger.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).scalar()


def test_the_key_is_stable_and_ignores_case():
    assert lock_key(INBOX) == lock_key("XAMZFW@126.com") == 8054450443612616240  # the same in every process and release
    assert lock_key(INBOX) != lock_key("xamzfwf@126.com")
    assert -(2**63) <= lock_key(INBOX) < 2**63


def test_on_sqlite_every_caller_may_read(two):
    if not two[0].is_sqlite:
        pytest.skip("the SQLite case")
    with mailbox_lock(two[0], INBOX) as first, mailbox_lock(two[1], INBOX) as second:
        assert first and second


@pytest.mark.postgres
def test_on_postgresql_one_holder_at_a_time(two):
    a, b = two
    if a.is_sqlite:
        pytest.skip("needs PostgreSQL (MAILBOT_TEST_PG)")
    with mailbox_lock(a, INBOX) as first:
        with mailbox_lock(b, INBOX) as second, mailbox_lock(b, "xamzfwf@126.com") as other:
            assert (first, second, other) == (True, False, True)
    with mailbox_lock(b, INBOX) as again:
        assert again
    assert advisory_locks(a) == 0  # nothing left on the pooled connections


@pytest.mark.postgres
def test_on_postgresql_a_dead_holders_lock_is_free(two):
    a, b = two
    if a.is_sqlite:
        pytest.skip("needs PostgreSQL (MAILBOT_TEST_PG)")
    with mailbox_lock(a, INBOX) as first:
        assert first
        with b.engine.connect() as conn:  # the holder's backend dies, as when its process is killed
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"))
            conn.commit()
            # pg_terminate_backend only signals: wait until the server has really released the lock.
            for _ in range(200):
                if not conn.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")):
                    break
                time.sleep(0.05)
        with mailbox_lock(b, INBOX) as second:
            assert second
