"""Fuzzed intake over the real servers: hundreds of hostile, broken and randomly damaged messages among good returns.

`mailbot poll --once` must exit 0, record every message exactly once, register every good return between the bad ones,
leave nothing in the inbox, and `mailbot status` must show the inbox healthy with what it held for a person.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mailbot.ledger.models import MessageRow, SubmissionRow
from tests.support import hostile_mail as hm
from tests.support.desk import running_desk

pytestmark = [pytest.mark.imap, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent.parent
ZWFW = hm.ZWFW
SEED = 15
MUTANTS = 240  # random damages of good returns and of the hostile messages
GOOD_EVERY = 6  # a good return after every few bad ones
SETTINGS = "[sending]\nmin_interval = 0\nper_recipient = 0\ndaily_cap = 100000\n"


def mailbot(desk, db_url: str, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--settings", str(desk.settings_file), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_poll_once_survives_a_fuzzed_inbox_and_records_every_message_once(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra=SETTINGS) as desk:
        for sender, _unit in hm.UNITS:
            desk.dovecot.add_user(sender)
        taken = hm.append_all(desk.dovecot, ZWFW, hm.fuzzed_inbox(desk.app, random.Random(SEED), MUTANTS, GOOD_EVERY))
        groups = hm.stored_groups(desk.dovecot, ZWFW)
        started = time.monotonic()
        done = mailbot(desk, db_url, "poll", "--once")
        elapsed = time.monotonic() - started
        assert done.returncode == 0, done.stderr[-4000:]
        assert f"邮箱 {ZWFW}：处理新邮件 {len(taken)} 封，归档 {len(taken)} 封" in done.stdout, done.stdout

        with desk.app.ledger.session() as s:
            rows = s.scalars(select(MessageRow).where(MessageRow.mailbox == ZWFW)).all()
            registered = {m for (m,) in s.execute(select(MessageRow.message_id).join(SubmissionRow, SubmissionRow.message_id == MessageRow.id))}
            held = s.scalar(select(func.count(MessageRow.id)).where(MessageRow.mailbox == ZWFW, MessageRow.review_state == "pending"))
        uids = Counter(r.uid for r in rows)
        assert set(uids) <= set(taken) and [sum(uids[uid] for uid in group) for group in groups] == [1] * len(groups)
        good = [raw for kind, raw in taken.values() if kind == "good"]
        by_id = {r.message_id: r for r in rows}
        good_ids = [hm.message_id_of(raw) for raw in good]
        assert [by_id[m].outcome for m in good_ids] == ["accepted"] * len(good) and set(good_ids) <= registered
        assert desk.mailbox_of(ZWFW) == []  # everything filed

        status = mailbot(desk, db_url, "status")
        assert status.returncode == 0, status.stderr[-3000:]
        line = next(line for line in status.stdout.splitlines() if ZWFW in line)
        assert "正常" in line and f"{held} 封" in line
        outcomes = Counter(r.outcome for r in rows)
        print(f"fuzz: {len(taken)} messages ({len(groups)} distinct, {len(good)} good) in {elapsed:.1f} s; "
              f"outcomes {dict(outcomes)}; held {held}")
