"""A poison message over the real servers: `poll --once`, the IDLE watcher and `mailbot status` go on around it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select

from mailbot.cli.commands.status import inbox_table
from mailbot.ledger.models import MessageRow
from tests.mailbot.test_intake_watch import Watching, eventually, receipts
from tests.support import hostile_mail as hm
from tests.support.desk import running_desk

pytestmark = pytest.mark.imap
ROOT = Path(__file__).resolve().parent.parent.parent
ZWFW = hm.ZWFW
FAST = "idle_timeout = 120\n[sending]\nmin_interval = 0\nper_recipient = 0\n"


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra=FAST) as made:
        for sender, _unit in hm.UNITS:
            made.dovecot.add_user(sender)
        yield made


def mailbot(desk, db_url: str, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--settings", str(desk.settings_file), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def ledger_rows(desk) -> list[MessageRow]:
    with desk.app.ledger.session() as s:
        return s.scalars(select(MessageRow).where(MessageRow.mailbox == ZWFW).order_by(MessageRow.uid)).all()


def test_poll_once_goes_past_poison_messages_and_status_shows_the_inbox(desk, db_url):
    sent = [hm.good_return(desk.app, 0), hm.deep_nesting(1000), hm.nul_in_header(), hm.long_message_id(600), hm.long_from(330),
            hm.long_filename_return(desk.app), hm.good_return(desk.app, 1)]
    uids = [desk.send(raw, ZWFW) for raw in sent]
    done = mailbot(desk, db_url, "poll", "--once")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"邮箱 {ZWFW}：处理新邮件 7 封，归档 7 封（其中 1 封待人工处理）" in done.stdout
    found = ledger_rows(desk)
    assert [r.uid for r in found] == uids  # each once
    assert [r.outcome for r in found][:2] == ["accepted", "held_for_review"] and found[-1].outcome == "accepted"
    assert desk.mailbox_of(ZWFW) == [] and len(desk.mailbox_of(ZWFW, "需人工处理")) == 1
    status = mailbot(desk, db_url, "status")
    assert status.returncode == 0, status.stderr[-3000:]
    line = next(line for line in status.stdout.splitlines() if ZWFW in line)
    assert "正常" in line and "1 封" in line


def test_the_watcher_goes_past_a_poison_message_and_answers_the_next(desk):
    dept = hm.UNITS[1][0]
    with Watching(desk) as watching:
        desk.send(hm.deep_nesting(1000), ZWFW)
        desk.send(hm.good_return(desk.app, 1), ZWFW)  # from czj@example.com
        [receipt] = eventually(lambda: receipts(desk, dept), "the receipt of the message after the poison one", bound=60)
        assert receipt["Subject"].startswith("回复：")
        eventually(lambda: sum(p.processed for p in watching.passes) >= 2, "both messages processed")
    assert all(not p.error for p in watching.passes)
    assert [r.outcome for r in ledger_rows(desk)] == ["held_for_review", "accepted"]
    with desk.app.ledger.session() as s:
        out = Console(width=200, record=True)
        out.print(inbox_table(s, desk.app.campaign.timezone))
    line = next(line for line in out.export_text().splitlines() if ZWFW in line)
    assert "正常" in line and "1 封" in line
