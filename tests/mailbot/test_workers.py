"""Several workers on one PostgreSQL: one is killed mid-pass, the others finish; every message is answered once."""

from __future__ import annotations

import datetime as dt
import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState, UnitRow
from tests.support.desk import OFFICES, running_desk

pytestmark = [pytest.mark.imap, pytest.mark.postgres, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent.parent
LOOP = ROOT / "tests" / "support" / "worker_loop.py"
PER_INBOX = 6
DEADLINE = 240  # seconds: a guard so a broken build fails instead of hanging, not a measurement


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    if not os.environ.get("MAILBOT_TEST_PG"):
        pytest.skip("several workers share work through PostgreSQL (set MAILBOT_TEST_PG)")
    with running_desk(dovecot, tmp_path, db_url, extra="[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        yield made


def departments(desk, count: int) -> list[tuple[str, str]]:
    """(unit name, address) of the first roster units with an address, each a dovecot user."""
    with desk.app.ledger.session() as s:
        units = [(u.name, u.emails[0]) for u in s.scalars(select(UnitRow).order_by(UnitRow.id)) if u.emails][:count]
    for _, address in units:
        desk.dovecot.add_user(address)
    return units


def backlog(desk) -> dict[str, str]:
    """PER_INBOX returns in each office inbox, each from its own unit (the burst guard stays quiet); Message-ID → sender."""
    spec, tz = desk.app.campaign.form("attachment3"), desk.app.campaign.timezone
    inboxes = sorted(OFFICES.values()) * PER_INBOX
    sent = {}
    for n, ((unit, address), inbox) in enumerate(zip(departments(desk, len(inboxes)), inboxes)):
        raw = _mail(address, inbox, "附件3", dt.datetime(2023, 1, 10, 9, n, tzinfo=tz), "请查收。",
                    [("附件3.xlsx", form_xlsx(spec, unit, rows_attachment3()), XLSX)])
        desk.send(raw, inbox)
        sent[email.message_from_bytes(raw, policy=policy.default)["Message-ID"]] = address
    return sent


def start(desk, tmp_path, name: str, *extra: str) -> tuple[subprocess.Popen, Path]:
    """A worker process whose output goes to a file the test can read while it runs."""
    out = tmp_path / f"{name}.out"
    cmd = [sys.executable, str(LOOP), desk.app.ledger.url, str(desk.settings_file), str(2 * PER_INBOX), *extra]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=out.open("w"), stderr=subprocess.STDOUT), out


def wait_for(condition, what: str) -> None:
    """Wait until condition() holds; fail after DEADLINE."""
    until = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < until, f"gave up waiting for {what}"
        time.sleep(0.1)


def test_two_workers_share_the_backlog_and_survive_a_killed_one(desk, tmp_path):
    sent = backlog(desk)
    desk.app.ledger  # schema and roster in place before the workers race for them
    marker = tmp_path / "victim.hanging"
    victim, _ = start(desk, tmp_path, "victim", "--die-after", "2", str(marker))
    wait_for(lambda: marker.exists() or victim.poll() is not None, "the victim to stop mid-pass")
    assert victim.poll() is None, "the victim ended before it reached its second message"
    survivors = [start(desk, tmp_path, f"survivor{i}") for i in (1, 2)]
    # The victim holds the first inbox: both survivors must find it busy before the victim dies.
    held = f"busy {sorted(OFFICES.values())[0]}"
    wait_for(lambda: all(held in out.read_text() for _, out in survivors), "both survivors to find the held inbox busy")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    for proc, out in survivors:
        try:
            proc.wait(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
        assert proc.returncode == 0, out.read_text()
    assert victim.returncode == -signal.SIGKILL

    with desk.app.ledger.session() as s:
        messages = s.scalars(select(MessageRow)).all()
        replies = s.scalars(select(OutboxRow).where(OutboxRow.message_ref.is_not(None))).all()
    assert sorted(m.message_id for m in messages) == sorted(sent)  # registered exactly once each
    assert Counter(r.message_ref for r in replies) == Counter({m.id: 1 for m in messages})
    assert {r.state for r in replies} == {OutboxState.SENT}
    received = [email.message_from_bytes(raw, policy=policy.default) for address in set(sent.values()) for raw in desk.mailbox_of(address)]
    assert sorted(m["In-Reply-To"] for m in received) == sorted(sent)  # answered exactly once each
    for inbox in OFFICES.values():
        assert desk.mailbox_of(inbox) == []  # everything filed, the victim's unfiled messages too
