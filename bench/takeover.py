"""Benchmark: several workers on one PostgreSQL — takeover after kill -9, and how they split a backlog.

1. Takeover: a worker (the real `mailbot run` loop, tests/support/worker_run.py) hangs mid-pass holding an inbox; a second
   worker finds it busy; the first is killed with SIGKILL; the time until the second records a message of that
   inbox is the takeover. Several rounds, with the shipped ``lock_retry`` (15 s) unless told otherwise.
2. Sharing: the same backlog (both inboxes) read by one worker, then by two, each started at once; the seconds until
   every message is registered and answered, and how many messages each worker registered.

Usage: python bench/takeover.py [--rounds 5] [--lock-retry 15] [--backlog 60]
Needs dovecot and PostgreSQL 15 binaries (as the test suite does); everything runs on loopback in temp dirs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState
from tests.support.desk import OFFICES, make_desk
from tests.support.servers import Dovecot

RUN = ROOT / "tests" / "support" / "worker_run.py"
ZWFW = OFFICES["zwfw"]


def pg_start(root: Path) -> str:
    """A throwaway PostgreSQL (scripts/pg_local.py); its URL."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_local.py"), "start", str(root)], check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def fresh_database(server: str, name: str) -> str:
    """A new empty database on the server; its URL."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


def send_backlog(desk, count: int, inboxes: list[str], tag: str) -> None:
    """``count`` returns spread over ``inboxes``, each from its own address (the loop guard stays quiet)."""
    spec, tz = desk.app.campaign.form("attachment3"), desk.app.campaign.timezone
    for n in range(count):
        rows = rows_attachment3()
        rows[0]["事项名称"] = f"教师资格认定（{tag}{n}）"
        address = f"{tag}{n}@example.com"
        when = dt.datetime(2023, 1, 10, 9, tzinfo=tz) + dt.timedelta(seconds=n)
        desk.dovecot.append(inboxes[n % len(inboxes)], _mail(address, inboxes[n % len(inboxes)], f"附件3 {tag}{n}", when, "请查收。",
                                                              [("附件3.xlsx", form_xlsx(spec, "兴安盟教育局", rows), XLSX)]))


STARTED: list[subprocess.Popen] = []  # every worker this run started, stopped on the way out


def start_worker(desk, db: str, log: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAILBOT_SETTINGS": str(desk.settings_file)}
    proc = subprocess.Popen([sys.executable, str(RUN), db, str(desk.settings_file), *extra], cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    STARTED.append(proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def count(engine, model, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar()


def wait_until(condition, limit: float = 600.0) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit:
            raise RuntimeError("gave up waiting")
        time.sleep(0.02)
    return time.monotonic() - start


def takeover_round(desk, db: str, engine, tmp: Path, n: int) -> float:
    """One kill; seconds from SIGKILL to the survivor's first record of the dead worker's inbox."""
    send_backlog(desk, 3, [ZWFW], f"t{n}-")
    before = count(engine, MessageRow, MessageRow.mailbox == ZWFW)
    marker = tmp / f"hanging{n}"
    victim = start_worker(desk, db, tmp / f"victim{n}.log", "--die-after", "1", str(marker))
    wait_until(marker.exists)
    survivor_log = tmp / f"survivor{n}.log"
    survivor = start_worker(desk, db, survivor_log)
    wait_until(lambda: f"busy {ZWFW}" in survivor_log.read_text())
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    seconds = wait_until(lambda: count(engine, MessageRow, MessageRow.mailbox == ZWFW) > before + 1)
    wait_until(lambda: count(engine, MessageRow, MessageRow.mailbox == ZWFW) == before + 3 and not desk.dovecot.read_mailbox(ZWFW))
    stop(survivor)
    return seconds


def sharing_run(desk, db: str, engine, tmp: Path, workers: int, backlog: int, tag: str) -> tuple[float, list[int]]:
    """Seconds until a fresh backlog is registered and answered by ``workers`` workers; messages per worker."""
    before = count(engine, MessageRow)
    send_backlog(desk, backlog, sorted(OFFICES.values()), tag)
    logs = [tmp / f"{tag}{i}.log" for i in range(workers)]
    started = time.monotonic()
    procs = [start_worker(desk, db, log) for log in logs]
    pending = (OutboxState.QUEUED, OutboxState.SENDING)
    wait_until(lambda: count(engine, MessageRow) == before + backlog and count(engine, OutboxRow, OutboxRow.state.in_(pending)) == 0)
    seconds = time.monotonic() - started
    for proc in procs:
        stop(proc)
    per_worker = [len(re.findall(r"message_id=\S+ outcome=\w+ reason=\w[\w-]* receipt=\S*.*", log.read_text())) for log in logs]
    return seconds, per_worker


def main() -> None:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lock-retry", type=float, default=15.0)
    parser.add_argument("--backlog", type=int, default=60)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the clean-up below when told to stop
    tmp = Path(tempfile.mkdtemp(prefix="bench-takeover-"))
    pg_root = Path(tempfile.mkdtemp(prefix="bench-pg-"))  # its own: the postgres user must be able to reach it
    server = pg_start(pg_root)
    dovecot = Dovecot.create()
    dovecot.start()
    try:
        db = fresh_database(server, "takeover")
        extra = f"idle_timeout = 600\nlock_retry = {args.lock_retry}\n[sending]\nmin_interval = 0\nper_recipient = 0\n"
        desk = make_desk(dovecot, tmp, db, extra)
        desk.app.ledger  # noqa: B018 - schema and roster first
        engine = create_engine(db)
        figures = [takeover_round(desk, db, engine, tmp, n) for n in range(args.rounds)]
        print(f"接手时间（lock_retry = {args.lock_retry:g} 秒，kill -9 持锁进程，{len(figures)} 次）：" + "、".join(f"{s:.1f}" for s in figures)
              + f" 秒；中位数 {statistics.median(figures):.1f} 秒，最大 {max(figures):.1f} 秒")
        for workers in (1, 2):
            seconds, per = sharing_run(desk, db, engine, tmp, workers, args.backlog, f"s{workers}-")
            print(f"{workers} 个工作进程处理 {args.backlog} 封（两个邮箱各半）：{seconds:.1f} 秒；各进程登记 {per} 封")
        engine.dispose()
        desk.sink.stop()
        desk.app.ledger.dispose()
    finally:
        for proc in STARTED:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        dovecot.destroy()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_local.py"), "stop", str(pg_root)], check=False, capture_output=True)


if __name__ == "__main__":
    main()
