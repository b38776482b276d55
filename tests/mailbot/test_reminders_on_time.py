"""Reminders go out at their slot, while the watchers wait in IDLE with no new mail (a clock the test controls)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from sqlalchemy import func, select

from mailbot.clock import SHANGHAI
from mailbot.ledger.models import MailboxStateRow, OutboxRow
from mailbot.worker import Worker
from mailbot.worker_config import load_policy
from routing.model.schedule import next_slot
from tests.support.desk import OFFICES, running_desk

pytestmark = pytest.mark.imap
DEADLINE = 60  # seconds of real time: a guard against a hang, far below dovecot's 2-minute IDLE keepalive


@pytest.fixture
def desk(dovecot, tmp_path, db_url, monkeypatch):
    monkeypatch.delenv("MAILBOT_SETTINGS", raising=False)
    # idle_timeout as deployed: nothing but the slot itself may end the watchers' IDLE before the reminders are due.
    with running_desk(dovecot, tmp_path, db_url, extra="idle_timeout = 600\n[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        yield made


def wait_for(condition, what: str):
    until = time.monotonic() + DEADLINE
    while not (found := condition()):
        assert time.monotonic() < until, f"gave up waiting for {what}"
        time.sleep(0.05)
    return found


def test_reminders_are_queued_at_the_slot_not_at_the_next_inbox_read(desk):
    campaign = desk.app.campaign
    slot = next_slot(load_policy(campaign), campaign, dt.datetime(2023, 1, 4, 8, 0, tzinfo=SHANGHAI))
    assert slot.fire_at == dt.datetime(2023, 1, 4, 9, 0, tzinfo=SHANGHAI)  # the plan's due-day reminder
    worker = Worker(desk.app)
    with time_machine.travel(slot.fire_at - dt.timedelta(seconds=6), tick=True):
        worker.start()
        try:
            def read() -> int:
                with desk.app.ledger.session() as s:
                    return s.scalar(select(func.count()).select_from(MailboxStateRow).where(MailboxStateRow.last_success_at.is_not(None)))

            wait_for(lambda: read() == len(OFFICES), "both watchers' first pass")
            assert dt.datetime.now(SHANGHAI) < slot.fire_at, "the machine was too slow to start the worker before the slot"

            def first_reminder():
                with desk.app.ledger.session() as s:
                    return s.scalars(select(OutboxRow).where(OutboxRow.kind == "reminder").order_by(OutboxRow.created_at)).first()

            reminder = wait_for(first_reminder, "a reminder of the 09:00 slot")
        finally:
            worker.stop()
    late = reminder.created_at.astimezone(SHANGHAI) - slot.fire_at
    assert dt.timedelta(0) <= late < dt.timedelta(seconds=15), late
    with desk.app.ledger.session() as s:
        states = s.scalars(select(MailboxStateRow)).all()
    # The watchers read their inboxes at the slot (no mail arrived): that read is what let the reminders go.
    assert all(state.last_success_at.astimezone(SHANGHAI) >= slot.fire_at for state in states)
