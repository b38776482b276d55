"""Outages: dovecot restarted mid-fetch, SMTP refusing connections, the ledger file locked — nothing lost or doubled."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from mailbot.intake.poll import poll_all
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState
from mailbot.outbox.send import drain
from tests.mailbot.test_crash import FAST, backlog, ledger_facts, run_to_the_end, start_worker
from tests.support.desk import OFFICES, running_desk

pytestmark = [pytest.mark.imap, pytest.mark.slow]


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra=FAST) as made:
        yield made


def recorded(desk) -> int:
    with desk.app.ledger.session() as s:
        return s.scalar(select(func.count()).select_from(MessageRow))


def assert_once_each(desk, senders: dict[str, str]) -> None:
    """Every message registered once, every reply sent, each sender answered exactly once."""
    messages, replies, _ = ledger_facts(desk)
    delivered = [rcpt for m in desk.sink.received for rcpt in m.rcpt_tos]
    assert set(messages) == set(senders) and set(messages.values()) == {1}
    assert set(replies) == set(senders) and set(replies.values()) == {OutboxState.SENT}
    assert sorted(delivered) == sorted(senders)


def test_dovecot_restarted_mid_fetch(desk, tmp_path):
    senders = backlog(desk, 60)
    with open(tmp_path / "worker.log", "ab") as log:
        worker = start_worker(desk, log)
        for _ in range(600):  # until the worker is well into the backlog (bounded: at most 60 s)
            if recorded(desk) >= 5 or worker.poll() is not None:
                break
            time.sleep(0.1)
        desk.dovecot.restart()  # every IMAP session is killed, the server comes back with the same mail
        worker.wait(timeout=120)
        assert worker.returncode == 1  # the restart really broke the pass: an inbox reported its error
        assert len(desk.mailbox_of(OFFICES["zwfw"])) + len(desk.mailbox_of(OFFICES["bianban"])) > 0  # left unfiled
        run_to_the_end(desk, log)
    assert_once_each(desk, senders)
    assert "inbox" in (tmp_path / "worker.log").read_text(encoding="utf-8")  # the failure was logged, not fatal


def test_smtp_refusing_connections_for_a_while(desk):
    senders = backlog(desk, 20)
    port = desk.sink.port
    desk.sink.stop()
    poll_all(desk.app)
    report = drain(desk.app)
    assert report.sent == 0 and len(desk.sink.received) == 0
    with desk.app.ledger.session() as s:
        waiting = s.scalars(select(OutboxRow).where(OutboxRow.kind.like("reply:%"))).all()
    assert {r.state for r in waiting} == {OutboxState.QUEUED}  # kept, not given up
    desk.sink.start()  # back on the same port
    assert desk.sink.port == port
    for _ in range(5):  # the backoff is 0 s here; bounded passes until all are out
        drain(desk.app)
        if len(desk.sink.received) >= len(senders):
            break
        time.sleep(0.2)
    assert_once_each(desk, senders)


LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("released", flush=True)
"""


def test_the_ledger_file_locked_by_another_process(desk, tmp_path, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("a file lock is SQLite's")
    senders = backlog(desk, 20)
    recorded(desk)  # the ledger file exists, in WAL mode
    path = db_url.split("///", 1)[1]
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, path, "4"], stdout=subprocess.PIPE, text=True)
    assert locker.stdout.readline().strip() == "locked"
    with open(tmp_path / "worker.log", "ab") as log:
        worker = start_worker(desk, log)  # its first write waits (busy_timeout), then it carries on
        assert worker.wait(timeout=120) == 0
    assert locker.stdout.readline().strip() == "released" and locker.wait(timeout=10) == 0
    assert_once_each(desk, senders)
