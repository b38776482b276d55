"""`mailbot poll --once` and `mailbot poll` against dovecot and the SMTP sink, as an operator runs them."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.mailbot.test_intake import BIANBAN, ZWFW, a3, department
from tests.mailbot.test_intake_watch import answered_then_stopped, desk, eventually, receipts, stopped  # noqa: F401 (the fixture)

pytestmark = pytest.mark.imap
ROOT = Path(__file__).resolve().parent.parent.parent


def mailbot(desk, db_url, *args) -> list[str]:
    return [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--settings", str(desk.settings_file), "poll", *args]


def test_poll_once_processes_what_waits_sends_the_receipts_and_exits(desk, db_url):
    dept = department(desk)
    desk.send(a3(desk, dept), ZWFW)
    done = subprocess.run(mailbot(desk, db_url, "--once"), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"邮箱 {ZWFW}：处理新邮件 1 封，归档 1 封" in done.stdout
    assert f"邮箱 {BIANBAN}：处理新邮件 0 封" in done.stdout and "发件：已发送 1 封" in done.stdout
    assert [r["Subject"] for r in receipts(desk, dept)] == ["回复：附件3"]
    again = subprocess.run(mailbot(desk, db_url, "--once"), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "处理新邮件 1 封" not in again.stdout and len(receipts(desk, dept)) == 1


def test_poll_once_prints_one_line_per_message_with_sender_unit_outcome_and_receipt_number(desk, db_url):
    dept, stranger = department(desk), department(desk, "nobody@example.net")
    desk.send(a3(desk, dept), ZWFW)
    desk.send(a3(desk, stranger, unit="无此单位"), BIANBAN)
    done = subprocess.run(mailbot(desk, db_url, "--once"), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if dept in line]
    assert "兴安盟教育局" in line and "已登记（合格）" in line and "收字第0001号" in line
    [other] = [line for line in done.stdout.splitlines() if stranger in line]
    assert "（未确定）" in other
    again = subprocess.run(mailbot(desk, db_url, "--once"), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dept not in again.stdout and "各邮箱均无新邮件" in again.stdout


def test_poll_once_reports_a_refused_login_and_fails(desk, db_url):
    (desk.settings_file.parent / "zwfw.secret").write_text("wrong", encoding="utf-8")
    done = subprocess.run(mailbot(desk, db_url, "--once"), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and f"邮箱 {ZWFW}：收取失败" in done.stdout and "Traceback" not in done.stderr


def test_poll_watches_until_ctrl_c(desk, db_url):
    code, out, err = answered_then_stopped(desk, mailbot(desk, db_url), "正在监视", signal.SIGINT)
    assert code == 0 and "已停止监视" in out and "Traceback" not in err, err
