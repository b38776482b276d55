"""Benchmark: wall time of `mailbot --help`, of every subcommand's --help and of `mailbot ledger` on an empty ledger
(goal ≤ 0.3 s) and on a filled one (every unit's returns, resubmissions, 涉密 refusals) — the table by the quick path
(sqlite3, no ORM), `--json` by the ORM path — and the worker's idle RSS (goal ≤ 70 MB) with both offices' inboxes on a local dovecot.

Each figure is a fresh `python -m mailbot …`; the best and the median of --runs are shown (the best is the machine's
floor, the median what a person sees while the machine is busy). Bytecode is compiled first, as `pip install` does.

Usage: python bench/cli_bench.py [--runs 5] [--no-worker]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = {**os.environ, "MAILBOT_SETTINGS": "", "PYTHONDONTWRITEBYTECODE": ""}


def timed(args: list[str], runs: int) -> tuple[float, float, float]:
    """(best, median) wall seconds and the best CPU seconds (user + system) of ``python -m mailbot ARGS``."""
    times, cpu = [], []
    for _ in range(runs):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([sys.executable, "-m", "mailbot", *args], cwd=ROOT, env=ENV, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(time.perf_counter() - start)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return min(times), statistics.median(times), min(cpu)


def subcommands() -> list[list[str]]:
    """Every subcommand, and every action of those that have actions."""
    from mailbot.cli.main import build_parser

    [top] = build_parser()._subparsers._group_actions
    found = []
    for name, parser in top.choices.items():
        found.append([name])
        for group in getattr(parser, "_subparsers", None)._group_actions if parser._subparsers else ():
            found += [[name, action] for action in group.choices]
    return found


def bare_python(runs: int) -> float:
    """The floor: an interpreter that starts and exits."""
    return timed_code("pass", runs)


def timed_code(code: str, runs: int) -> float:
    """Best wall seconds of ``python -c CODE``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def worker_idle_rss(settle: float = 5.0) -> tuple[float, float]:
    """VmRSS (MB) of `mailbot run` watching both offices' inboxes (IDLE on local dovecot) once settled: on its first
    start (the day's digest is due: it builds the 台账 workbook) and on the next start (nothing due: idle)."""
    from tests.support.desk import make_desk
    from tests.support.servers import Dovecot

    dovecot = Dovecot.create()
    dovecot.start()
    tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    desk = make_desk(dovecot, tmp, f"sqlite:///{tmp}/idle.db")
    desk.app.ledger.dispose()
    cmd = [sys.executable, "-m", "mailbot", "--db", f"sqlite:///{tmp}/idle.db", "--settings", str(desk.settings_file), "run"]
    try:
        return tuple(_settled_rss(cmd, settle) for _ in range(2))
    finally:
        desk.sink.stop()
        dovecot.destroy()


def _settled_rss(cmd: list[str], settle: float) -> float:
    worker = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        worker.stdout.readline()  # 报送机器人已启动…
        time.sleep(settle)
        status = Path(f"/proc/{worker.pid}/status").read_text()
        return int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]) / 1024
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=90)


def ledger_file(path: Path, filled: bool) -> str:
    """A current SQLite ledger with the shipped campaign's roster; ``filled``: versions of every return of every unit."""
    from mailbot.app import App

    app = App(db=f"sqlite:///{path}")
    if filled:
        with app.ledger.transaction() as session:
            fill(session, app.campaign)
    app.ledger.dispose()
    return app.ledger.url


def fill(session, campaign) -> None:
    """Each unit sends what it owes (every fourth only two returns); every third fixes an invalid first version; every
    eleventh also had a 涉密 mail refused."""
    import datetime as dt

    from mailbot.ledger.models import MessageRow, SubmissionRow, UnitRow

    when = dt.datetime(2023, 1, 10, 10, tzinfo=dt.UTC)
    for unit in session.query(UnitRow).all():
        kinds = campaign.kinds_for(unit.category)[:None if unit.id % 4 else 2]
        office = campaign.handler(unit.category, kinds[0]).key
        for version in (1, 2) if unit.id % 3 == 0 else (1,):
            status = "invalid" if version == 1 and unit.id % 3 == 0 else "accepted"
            message = MessageRow(mailbox=f"{office}@example.com", content_hash=f"{unit.id}-{version}", received_at=when, processed_at=when,
                                 outcome=status, office=office, unit_id=unit.id)
            session.add(message)
            session.flush()
            session.add_all(SubmissionRow(message_id=message.id, unit_id=unit.id, kind=kind, version=version, status=status, received_at=when,
                                          handled_by=campaign.handler(unit.category, kind).key, rows=[{"序号": "1"}] * 20) for kind in kinds)
        if unit.id % 11 == 0:
            session.add(MessageRow(mailbox=f"{office}@example.com", content_hash=f"{unit.id}-s", received_at=when, processed_at=when,
                                   outcome="refused_classified", office=office, unit_id=unit.id))


def main() -> None:
    """Print every figure as a line of the README's table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-worker", action="store_true")
    args = parser.parse_args()
    for package in ("mailbot", "routing", "parsers"):
        compileall.compile_dir(ROOT / package, quiet=1)
    print(f"空解释器启动：{bare_python(args.runs):.2f} s；import sqlalchemy.orm：{timed_code('import sqlalchemy.orm', args.runs):.2f} s")
    print("| 命令 | 最快 | 中位 | CPU（最少） |\n|---|---|---|---|")
    for words in [[], *subcommands()]:
        best, median, cpu = timed([*words, "--help"], args.runs)
        print(f"| mailbot {' '.join(words)} --help | {best:.2f} s | {median:.2f} s | {cpu:.2f} s |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, filled in (("空台账，名册已导入", False), ("已填满：67 个单位 × 各项材料，含重报与涉密拒收", True)):
            db = ledger_file(Path(tmp) / f"{int(filled)}.db", filled)
            best, median, cpu = timed(["--db", db, "ledger"], args.runs)
            print(f"| mailbot ledger（{name}） | {best:.2f} s | {median:.2f} s | {cpu:.2f} s |")
            best, median, cpu = timed(["--db", db, "ledger", "--json"], args.runs)
            print(f"| mailbot ledger --json（{name}；经 ORM） | {best:.2f} s | {median:.2f} s | {cpu:.2f} s |")
    if not args.no_worker:
        first, idle = worker_idle_rss()
        print(f"工作进程 RSS（两个办公室的收件邮箱均在 IDLE）：首次启动、当日汇总待发时 {first:.1f} MB；再次启动、无到期任务时 {idle:.1f} MB")


if __name__ == "__main__":
    main()
