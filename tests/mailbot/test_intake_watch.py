"""The IDLE watcher against real dovecot: a return appended to an office inbox is answered within seconds, across restarts."""

from __future__ import annotations

import email
import re
import signal
import threading
import time
from email import policy

import pytest

from mailbot.intake.watch import watch_inbox
from mailbot.retry import RetryPolicy
from tests.mailbot.test_intake import ZWFW, a3, department
from tests.support.desk import running_desk

pytestmark = pytest.mark.imap
QUICK = RetryPolicy(initial=0.2, factor=2.0, max_delay=1.0)


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    with running_desk(dovecot, tmp_path, db_url, extra="idle_timeout = 120\n[sending]\nmin_interval = 0\nper_recipient = 0\n") as made:
        yield made


class Watching:
    """A watcher thread on the zwfw inbox, and every pass it reports."""

    def __init__(self, desk, **options) -> None:
        self.desk, self.stop, self.passes = desk, threading.Event(), []
        inbox = next(i for i in desk.app.settings.inboxes if i.address == ZWFW)
        self.thread = threading.Thread(target=watch_inbox, args=(desk.app, inbox, desk.app.settings, self.stop),
                                       kwargs=dict(on_pass=self.passes.append, network=QUICK, **options), daemon=True)

    def __enter__(self) -> Watching:
        self.thread.start()
        eventually(lambda: self.passes, "the first pass")
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "the watcher did not honour the stop event"


def eventually(check, what: str, bound: float = 20.0, on_fail=lambda: ""):
    """Poll ``check`` until it returns something true; fail after a generous bound (not a timing assertion)."""
    end = time.monotonic() + bound
    while time.monotonic() < end:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    pytest.fail(f"never happened: {what}\n{on_fail()}")


def stopped(proc) -> str:
    """Interrupt a mailbot process and return its log, for the failure message."""
    proc.send_signal(signal.SIGINT)
    return proc.communicate(timeout=30)[1][-6000:]


def robot_logins(desk) -> int:
    """Logins of the robot (it names itself with ID; the test's own sessions do not)."""
    return len(re.findall(rf"imap\({re.escape(ZWFW)}\).*ID sent: name=liangyou-mailbot", desk.dovecot.read_log()))


def receipts(desk, dept: str) -> list:
    return [email.message_from_bytes(raw, policy=policy.default) for raw in desk.mailbox_of(dept)]


def test_idle_notices_an_append_and_the_receipt_reaches_the_department(desk):
    dept = department(desk)
    with Watching(desk) as watching:
        assert robot_logins(desk) == 1
        desk.send(a3(desk, dept), ZWFW)
        [receipt] = eventually(lambda: receipts(desk, dept), "the receipt in the department's mailbox")
        assert receipt["Subject"] == "回复：附件3" and desk.sink.received[-1].login == ZWFW
        assert desk.mailbox_of(ZWFW) == [] and len(desk.mailbox_of(ZWFW, "已处理")) == 1
        # Woken by IDLE on the same connection, not by a new login per message.
        assert robot_logins(desk) == 1
        eventually(lambda: sum(p.processed for p in watching.passes) == 1, "the pass reported")  # reported after the receipt left


def test_mail_arriving_during_a_pass_is_not_left_waiting_for_the_idle_timeout(desk, monkeypatch):
    import mailbot.intake.poll as intake

    dept, second = department(desk), department(desk, "czj@example.com")
    original, appended = intake._file, []

    def file_after_a_new_arrival(*args, **kwargs):
        if not appended:  # the second return lands while the first is being filed: its EXISTS rides on MOVE's answer
            appended.append(desk.send(a3(desk, second, unit="兴安盟财政局"), ZWFW))
        return original(*args, **kwargs)

    monkeypatch.setattr(intake, "_file", file_after_a_new_arrival)
    with Watching(desk):
        desk.send(a3(desk, dept), ZWFW)
        eventually(lambda: receipts(desk, second), "the receipt of the return that arrived mid-pass")


def test_the_watcher_reconnects_after_dovecot_restarts(desk):
    dept = department(desk)
    with Watching(desk) as watching:
        desk.dovecot.restart()
        desk.send(a3(desk, dept), ZWFW)
        eventually(lambda: receipts(desk, dept), "a receipt after the restart")
        eventually(lambda: sum(p.processed for p in watching.passes) == 1, "the pass reported")  # reported after the receipt left
    assert robot_logins(desk) == 2


def test_the_stop_event_ends_a_watcher_waiting_in_idle(desk):
    watching = Watching(desk)
    with watching:
        time.sleep(0.3)  # let it enter IDLE
        started = len(watching.passes)
    assert len(watching.passes) == started  # it left IDLE without another pass


def test_a_refused_login_marks_the_inbox_failing_and_backs_off_long(desk, caplog):
    (desk.settings_file.parent / "zwfw.secret").write_text("wrong", encoding="utf-8")
    from mailbot.ledger.models import MailboxStateRow

    long = RetryPolicy(initial=3600.0)
    watching = Watching(desk, operator=long)
    watching.thread.start()

    def failing():
        with desk.app.ledger.session() as s:
            state = s.get(MailboxStateRow, (ZWFW, "INBOX"))
            return state is not None and state.failing_since is not None

    eventually(failing, "the inbox marked failing")
    time.sleep(0.5)
    refusals = [r for r in caplog.records if "MailboxAuthFailed" in r.getMessage()]
    assert len(refusals) == 1  # no tight retry loop on a wrong 授权码
    watching.stop.set()
    watching.thread.join(timeout=15)
    assert not watching.thread.is_alive() and watching.passes == []


def answered_then_stopped(desk, cmd: list[str], banner: str, stop_signal: int) -> tuple[int, str, str]:
    """Start a watching mailbot command, send it a return, wait for the receipt, stop it: (exit code, stdout, stderr)."""
    import subprocess
    from pathlib import Path

    dept = department(desk)
    root = Path(__file__).resolve().parent.parent.parent
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert banner in proc.stdout.readline()
        desk.send(a3(desk, dept), ZWFW)
        eventually(lambda: receipts(desk, dept), f"the receipt sent while {cmd[-1]} runs", on_fail=lambda: stopped(proc))
        proc.send_signal(stop_signal)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, out, err


def test_mailbot_run_watches_each_inbox_and_stops_cleanly_on_sigterm(desk, db_url):
    import sys

    cmd = [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--settings", str(desk.settings_file), "run"]
    code, out, err = answered_then_stopped(desk, cmd, "已启动", signal.SIGTERM)
    assert code == 0, err
    assert "已停止" in out and "Traceback" not in err and "watcher of xamzfw@126.com stopped" in err
