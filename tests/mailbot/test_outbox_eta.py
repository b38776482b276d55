"""The drain estimate of `mailbot status`: pace, daily cap, a pause; and the sender table it prints."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from mailbot.app import App
from mailbot.clock import SHANGHAI
from mailbot.ledger.models import OutboxRow, SenderStateRow
from mailbot.outbox.eta import drain_eta, sender_views
from mailbot.outbox.policy import SendPolicy

ROOT = Path(__file__).resolve().parent.parent.parent
NINE = dt.datetime(2023, 1, 10, 9, tzinfo=SHANGHAI)


def test_the_estimate_follows_pace_and_daily_cap():
    assert drain_eta(0, NINE, 6, 300, 0) is None
    assert drain_eta(1, NINE, 6, 300, 0) == NINE
    assert drain_eta(11, NINE, 6, 300, 0) == NINE + dt.timedelta(seconds=60)
    # 5 left today at the cap of 10: the rest goes tomorrow from midnight, 10 a day.
    assert drain_eta(6, NINE, 6, 10, 5) == dt.datetime(2023, 1, 11, 0, 0, tzinfo=SHANGHAI)
    assert drain_eta(25, NINE, 6, 10, 5) == dt.datetime(2023, 1, 12, 0, 0, 54, tzinfo=SHANGHAI)
    assert drain_eta(26, NINE, 6, 10, 5) == dt.datetime(2023, 1, 13, 0, 0, tzinfo=SHANGHAI)


@pytest.fixture
def app(db_url):
    made = App(db=db_url)
    yield made
    made.ledger.dispose()


def queue(app, office: str, count: int) -> None:
    with app.ledger.transaction() as s:
        for n in range(count):
            s.add(OutboxRow(kind="reply:accepted", office=office, to_addr=f"u{n}@example.com", subject="回复：附件3", body="收到。",
                            headers={}, priority=2, created_at=NINE, next_attempt_at=NINE))


def test_a_paused_office_drains_after_its_pause(app):
    queue(app, "zwfw", 3)
    queue(app, "bianban", 2)
    with app.ledger.transaction() as s:
        s.add(SenderStateRow(office="zwfw", paused_until=NINE + dt.timedelta(hours=3), last_error="550 frequency limited"))
    with app.ledger.session() as s:
        views = {v.office: v for v in sender_views(s, ["bianban", "zwfw"], SendPolicy(), NINE)}
    assert views["zwfw"].paused_until == NINE + dt.timedelta(hours=3) and views["zwfw"].last_error.startswith("550")
    assert views["zwfw"].drained_at == NINE + dt.timedelta(hours=3, seconds=12)
    assert views["bianban"].paused_until is None and views["bianban"].drained_at == NINE + dt.timedelta(seconds=6)


def test_mailbot_status_shows_the_pause_and_the_estimate(app, db_url, tmp_path):
    queue(app, "zwfw", 2)
    with app.ledger.transaction() as s:
        s.add(SenderStateRow(office="zwfw", paused_until=dt.datetime(2099, 1, 1, tzinfo=SHANGHAI), last_error="550 MI:SFQ"))
    done = subprocess.run([sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--campaign", str(ROOT / "config" / "campaigns" / "liangyou"), "status"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, env={"PATH": "", "COLUMNS": "200", "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    line = next(l for l in done.stdout.splitlines() if "盟行政审批和政务服务局" in l)
    assert "暂停" in line and "2099年1月1日 00:00" in line and "550 MI:SFQ" in line and "2099年1月1日 00:00" in line.split("│")[-2]
