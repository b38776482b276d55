"""The worker: its jobs under a controlled clock, failures retried, reloads, and a clean stop on SIGTERM."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from mailbot import worker as worker_module
from mailbot.app import App
from mailbot.ledger.models import OutboxRow
from mailbot.worker import Worker
from tests.campaigns import LIANGYOU

ROOT = Path(__file__).resolve().parent.parent.parent
TZ = "Asia/Shanghai"


@pytest.fixture
def campaign_file(tmp_path):
    path = tmp_path / "campaign.toml"
    path.write_text((LIANGYOU / "campaign.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "roster.csv").write_bytes((LIANGYOU / "roster.csv").read_bytes())
    return path


@pytest.fixture
def worker(db_url, campaign_file, monkeypatch):
    monkeypatch.delenv("MAILBOT_SETTINGS", raising=False)
    app = App(db=db_url, campaign_file=str(campaign_file))
    yield Worker(app)
    app.ledger.dispose()


def outbox(worker, kind):
    with worker.app.ledger.session() as s:
        return list(s.scalars(select(OutboxRow).where(OutboxRow.kind == kind)))


def local(*args):
    return dt.datetime(*args, tzinfo=worker_module.clock.SHANGHAI)


def test_jobs_follow_the_clock_across_the_holiday(worker):
    with time_machine.travel(local(2022, 12, 31, 9, 5), tick=False):  # New Year holiday: nothing
        assert worker.run_job("reminders") and worker.run_job("digest")
    assert outbox(worker, "reminder") == [] and outbox(worker, "digest") == []
    with time_machine.travel(local(2023, 1, 4, 9, 5), tick=False):
        worker.run_job("reminders")
        worker.run_job("reminders")
    sent = outbox(worker, "reminder")
    assert len(sent) > 50 and {r.dedup_key.split(":")[3] for r in sent} == {"2023-01-04"}
    with time_machine.travel(local(2023, 1, 4, 16, 45), tick=False):
        worker.run_job("digest")
        worker.run_job("reminders")  # past the grace: nothing more
    assert len(outbox(worker, "digest")) == 2 and len(outbox(worker, "reminder")) == len(sent)


def test_intake_gets_the_stop_flag(worker, monkeypatch):
    import mailbot.intake.poll

    calls = []
    monkeypatch.setattr(mailbot.intake.poll, "poll_all", lambda app, stop: calls.append((app, stop)))
    assert worker.run_job("intake") and calls == [(worker.app, worker.stopping)]


def test_a_failing_job_is_logged_and_runs_again_next_turn(worker, monkeypatch, caplog):
    turns = []

    def flaky(*args):
        turns.append(args)
        if len(turns) == 1:
            raise RuntimeError("database is locked")
        return []

    monkeypatch.setattr(worker_module, "queue_due", flaky)
    with caplog.at_level(logging.ERROR, logger="mailbot.worker"):
        assert worker.run_job("reminders") is False
    assert "job reminders failed" in caplog.text
    assert worker.run_job("reminders") is True and len(turns) == 2


def test_a_changed_campaign_file_is_reloaded_and_a_broken_one_ignored(worker, campaign_file):
    with time_machine.travel(local(2023, 1, 4, 9, 5), tick=False):
        worker.run_job("reminders")
    before = len(outbox(worker, "reminder"))
    text = campaign_file.read_text(encoding="utf-8")
    campaign_file.write_text(text.replace('on_day = "09:00"\nafter = { every_working_days = 1, at = "09:30", max = 5 }', 'on_day = "09:00"\nafter = { every_working_days = 1, at = "15:00", max = 5 }', 1), encoding="utf-8")
    os.utime(campaign_file, (1, 1))
    worker.run_job("watch")
    assert worker.config.policy.plan("plan").after.at == dt.time(15, 0) and worker.app.campaign is worker.config.campaign
    with time_machine.travel(local(2023, 1, 5, 9, 45), tick=False):
        worker.run_job("reminders")
    assert len(outbox(worker, "reminder")) == before  # the 09:30 slot is gone
    with time_machine.travel(local(2023, 1, 5, 15, 1), tick=False):
        worker.run_job("reminders")
    assert len(outbox(worker, "reminder")) > before
    campaign_file.write_text("[campaign\n", encoding="utf-8")
    os.utime(campaign_file, (2, 2))
    assert worker.reload() is False and worker.config.policy.plan("plan").after.at == dt.time(15, 0)


def test_the_scheduler_runs_the_jobs_at_once_under_a_travelled_clock(worker):
    done = threading.Event()
    real = worker.run_job

    def watched(name):
        ok = real(name)
        if name == "reminders":
            done.set()
        return ok

    worker.run_job = watched
    with time_machine.travel(local(2023, 1, 4, 9, 4), tick=True):
        scheduler = worker.start()
        try:
            assert done.wait(60)
            jobs = {job.id: job for job in scheduler.get_jobs()}
        finally:
            worker.stop()
    assert set(jobs) == {"intake", "outbox", "reminders", "digest", "health", "watch", "reminders-slot"}
    assert len(outbox(worker, "reminder")) > 50
    # The next slot (the 5th, 09:30: the plan's first overdue reminder) is a run of its own at its very moment.
    assert jobs["reminders-slot"].next_run_time == local(2023, 1, 5, 9, 30)


def test_a_job_that_moves_the_schedule_as_the_worker_stops_does_not_hang_the_stop(worker, monkeypatch):
    # APScheduler's shutdown holds its job-store lock while it waits for running jobs: a job adding the next reminder
    # slot at that moment waited for the lock for ever, and `mailbot run` never exited (seen in a test run).
    running, stop_asked = threading.Event(), threading.Event()

    def digest_then_schedule():
        running.set()
        stop_asked.wait(30)
        threading.Event().wait(0.5)  # let the stop reach the scheduler's shutdown
        worker.schedule_next_slot()

    monkeypatch.setattr(worker, "job_digest", digest_then_schedule)
    monkeypatch.setattr(worker, "next_wake", lambda: local(2030, 1, 4, 9, 0))
    with time_machine.travel(local(2023, 1, 4, 9, 4), tick=True):
        worker.start()
        assert running.wait(60)
        stopper = threading.Thread(target=worker.stop, daemon=True)
        stopper.start()
        stop_asked.set()
        stopper.join(timeout=30)  # a bound against the hang, not a timing assertion
    assert not stopper.is_alive(), "the worker's stop hung: a job waited for the scheduler's lock"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_mailbot_run_reloads_on_sighup_and_stops_cleanly_on_sigterm(db_url, campaign_file):
    env = {k: v for k, v in os.environ.items() if k != "MAILBOT_SETTINGS"}
    cmd = [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--campaign", str(campaign_file), "run"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "已启动" in proc.stdout.readline()
        proc.send_signal(signal.SIGHUP)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "已停止" in out and "Traceback" not in err


def test_outbox_turn_drains_each_smtp_account_and_stops_between_mails(worker, monkeypatch):
    from mailbot.outbox import send as outbox_send
    from mailbot.outbox.turn import drain_outbox

    seen = []

    def fake_drain(ledger, offices, connect, *, sleep, senders, **_):
        seen.append((offices, senders))
        worker.stopping.set()
        sleep(6.0)  # pacing after the first mail: the stop flag cuts it short
        seen.append("second mail")

    account = types.SimpleNamespace(address="794605082@qq.com", server=None, credentials=None)
    monkeypatch.setattr(outbox_send, "send_due", fake_drain)
    assert drain_outbox(worker.app.ledger, worker.config.campaign, None, worker.stopping) is False
    settings = types.SimpleNamespace(outgoing={"bianban": account}, send_policy=outbox_send.SendPolicy())
    assert drain_outbox(worker.app.ledger, worker.config.campaign, settings, worker.stopping) is True
    assert seen == [(["bianban"], {"bianban": ("794605082@qq.com", "盟委编办")})]


def test_a_send_asked_during_a_drain_runs_right_after_it():
    from mailbot.worker import Rerun

    rerun, turns, asked = Rerun(), [], []

    def drain():
        turns.append(len(turns))
        if len(turns) == 1:
            asked.append(rerun.ask())  # a watcher registered mail while the first drain was sending
            rerun.run(drain)  # the interval turn meanwhile: no second drain at the same time
    rerun.run(drain)
    assert turns == [0, 1] and asked == [False]  # noted, not started: the drain in hand ran once more
    assert rerun.ask() is True  # nothing in hand: the caller starts one
