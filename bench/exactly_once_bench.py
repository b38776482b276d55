"""Races and poison at scale: the figures behind the README's promises "nothing lost, nothing doubled, never stopped".

Run from the repository root: ``python bench/exactly_once_bench.py [--db both] [--rounds 100] [--runs 4 --files 20]
[--fuzz 1000] [--parts race,runs,fuzz]``. Needs dovecot (and PostgreSQL's binaries for ``--db postgres``/``both``), as the tests do.

1. Both inboxes: ``mailbot run`` with its two IDLE watchers live, ``--rounds`` messages each APPENDed to both
   offices' inboxes at once (a department writing To: both). Counted per Message-ID: registrations, duplicates,
   receipts that reached the department.
2. Concurrent runs: ``--runs`` ``mailbot process`` commands started together on the same ``--files`` files.
3. Fuzz: ``--fuzz`` hostile and randomly damaged messages among good returns, one ``mailbot poll --once``.

"Lost" is a message with no registration (or a good one not registered), "doubled" one with more than one
registration or more than one receipt. Every figure comes from the ledger and from the departments' mailboxes.
"""

from __future__ import annotations

import argparse
import csv
import email
import email.policy
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from mailbot.ledger.models import MessageRow, SubmissionRow  # noqa: E402
from tests.support import hostile_mail as hm  # noqa: E402
from tests.support.desk import make_desk  # noqa: E402
from tests.support.servers import Dovecot  # noqa: E402

FAST = "idle_timeout = 120\n[sending]\nmin_interval = 0\nper_recipient = 0\ndaily_cap = 100000\n"
REGISTERED = ("accepted", "invalid")


def mailbot(desk, url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "mailbot.cli.main", "--db", url, "--settings", str(desk.settings_file), *args]


def per_message(app) -> dict[str, Counter]:
    """Message-ID -> outcomes of its deliveries, plus 'submissions'."""
    found: dict[str, Counter] = defaultdict(Counter)
    with app.ledger.session() as s:
        for row in s.scalars(select(MessageRow)):
            found[row.message_id][row.outcome] += 1
        for message_id, in s.execute(select(MessageRow.message_id).join(SubmissionRow, SubmissionRow.message_id == MessageRow.id)):
            found[message_id]["submissions"] += 1
    return found


def government_units() -> list[tuple[str, str]]:
    """(address, name) of every 政府 unit of the shipped roster with an address: senders for the races.

    Many senders, so that no unit sends more than a few messages: the reply-loop guard (5 replies to one address
    in 10 minutes) would otherwise hold receipts back, which is another matter than exactly once.
    """
    rows = csv.DictReader((ROOT / "config" / "roster.csv").open(encoding="utf-8"))
    return [(row["邮箱"].split("；")[0].strip(), row["单位名称"]) for row in rows if row["类别"] == "政府" and row["邮箱"].strip()]


def receipt_numbers(app, ids: list[str]) -> dict[str, str]:
    """Message-ID -> the receipt number of its registration."""
    with app.ledger.session() as s:
        rows = s.execute(select(MessageRow.message_id, MessageRow.receipt_no).where(
            MessageRow.message_id.in_(ids), MessageRow.outcome.in_(REGISTERED)))
        return {message_id: number for message_id, number in rows if number}


def receipts_by_message(desk, units, numbers: dict[str, str]) -> Counter:
    """How many mails in the departments' own mailboxes carry each message's receipt (several may share one mail)."""
    texts = []
    for sender, _unit in units:
        for raw in desk.dovecot.read_mailbox(sender).values():
            mail = email.message_from_bytes(raw, policy=email.policy.default)
            body = mail.get_body(preferencelist=("plain",))
            texts.append(f"{mail['Subject']}\n{body.get_content() if body is not None else ''}")
    return Counter({m: sum(number in text for text in texts) for m, number in numbers.items()})


def wait_until(check, bound: float) -> bool:
    end = time.monotonic() + bound
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def both_inboxes(desk, url: str, rounds: int, units) -> dict:
    """Every message APPENDed to both inboxes at once while `mailbot run` watches them."""
    worker = subprocess.Popen(mailbot(desk, url, "run"), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        worker.stdout.readline()
        messages = [hm.good_return(desk.app, 5000 + i, to=f"{hm.BIANBAN}, {hm.ZWFW}", units=units) for i in range(rounds)]
        started = time.monotonic()
        for raw in messages:
            appends = [threading.Thread(target=desk.send, args=(raw, box)) for box in (hm.BIANBAN, hm.ZWFW)]
            for thread in appends:
                thread.start()
            for thread in appends:
                thread.join()
        ids = [hm.message_id_of(raw) for raw in messages]
        wait_until(lambda: sum(sum(per_message(desk.app)[m][o] for o in REGISTERED + ("duplicate",)) for m in ids) >= 2 * rounds, 600)
        elapsed = time.monotonic() - started
        numbers = receipt_numbers(desk.app, ids)
        wait_until(lambda: sum(receipts_by_message(desk, units, numbers)[m] >= 1 for m in ids) >= rounds, 300)
        time.sleep(2)  # a second receipt, if one were coming
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=120)
    numbers = receipt_numbers(desk.app, ids)
    found, receipts = per_message(desk.app), receipts_by_message(desk, units, numbers)
    registrations = [sum(found[m][o] for o in REGISTERED) for m in ids]
    return {"messages": rounds, "deliveries": 2 * rounds, "seconds": round(elapsed, 1),
            "registered once": registrations.count(1), "duplicates": sum(found[m]["duplicate"] for m in ids),
            "receipts": sum(receipts[m] for m in ids), "lost": registrations.count(0) + sum(receipts[m] == 0 for m in ids),
            "doubled": sum(r > 1 for r in registrations) + sum(receipts[m] > 1 for m in ids)}


def concurrent_runs(desk, url: str, runs: int, files: int, folder: Path) -> dict:
    """``runs`` `mailbot process` commands on the same files, started together."""
    paths = []
    for i in range(files):
        path = folder / f"same-{i}.eml"
        path.write_bytes(hm.good_return(desk.app, 7000 + i))
        paths.append(str(path))
    command = [sys.executable, "-m", "mailbot.cli.main", "--db", url, "process", *paths, "--mailbox", hm.ZWFW, "--json"]
    procs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(runs)]
    codes = [p.wait(timeout=900) for p in procs]
    found = per_message(desk.app)
    ids = [hm.message_id_of(Path(p).read_bytes()) for p in paths]
    registrations = [sum(found[m][o] for o in REGISTERED) for m in ids]
    return {"runs": runs, "files": files, "exit codes": sorted(set(codes)), "registered once": registrations.count(1),
            "lost": registrations.count(0), "doubled": sum(r > 1 for r in registrations),
            "submissions": sum(found[m]["submissions"] for m in ids)}


def fuzz(desk, url: str, mutants: int) -> dict:
    """One `poll --once` over a fuzzed inbox."""
    inbox = hm.fuzzed_inbox(desk.app, random.Random(15), mutants, 6)
    taken = hm.append_all(desk.dovecot, hm.ZWFW, inbox)
    groups = hm.stored_groups(desk.dovecot, hm.ZWFW)
    started = time.monotonic()
    done = subprocess.run(mailbot(desk, url, "poll", "--once"), cwd=ROOT, capture_output=True, text=True, timeout=3600)
    elapsed = time.monotonic() - started
    with desk.app.ledger.session() as s:
        uids = Counter(uid for (uid,) in s.execute(select(MessageRow.uid).where(MessageRow.mailbox == hm.ZWFW, MessageRow.uid.is_not(None))))
        held = s.scalar(select(func.count(MessageRow.id)).where(MessageRow.mailbox == hm.ZWFW, MessageRow.review_state == "pending"))
    found = per_message(desk.app)
    good = [hm.message_id_of(raw) for kind, raw in taken.values() if kind == "good"]
    recorded = [sum(uids[uid] for uid in group) for group in groups]  # identical bytes in one inbox: one delivery
    not_registered = [m for m in good if found[m]["accepted"] == 0]
    return {"messages": len(taken), "distinct as stored": len(groups), "good": len(good), "exit code": done.returncode,
            "seconds": round(elapsed, 1), "recorded once": recorded.count(1), "lost": recorded.count(0) + len(not_registered),
            "doubled": sum(r > 1 for r in recorded), "held for a person": held}


def database(kind: str, folder: Path) -> tuple[str, callable]:
    """A fresh ledger URL and what stops it."""
    if kind == "sqlite":
        return f"sqlite:///{folder}/ledger.db", lambda: None
    pgdir = Path(tempfile.mkdtemp(prefix="mailbot-pg."))  # its own: PostgreSQL's user must be able to reach it
    server = subprocess.run([sys.executable, "scripts/pg_local.py", "start", str(pgdir)], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    with create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text('CREATE DATABASE "bench"'))
    def stop() -> None:
        subprocess.run([sys.executable, "scripts/pg_local.py", "stop", str(pgdir)], cwd=ROOT, capture_output=True)
        shutil.rmtree(pgdir, ignore_errors=True)
    return server.rsplit("/", 1)[0] + "/bench", stop


def run(kind: str, args) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-once-") as tmp:
        folder = Path(tmp)
        url, stop = database(kind, folder)
        dovecot = Dovecot.create()
        dovecot.start()
        desk = make_desk(dovecot, folder, url, extra=FAST)
        try:
            units = government_units()
            for sender, _unit in units + list(hm.UNITS):
                dovecot.add_user(sender)
            desk.app.ledger  # noqa: B018 - schema and roster first
            if "race" in args.parts:
                print(f"[{kind}] both inboxes, mailbot run:", both_inboxes(desk, url, args.rounds, units), flush=True)
            if "runs" in args.parts:
                print(f"[{kind}] concurrent mailbot process:", concurrent_runs(desk, url, args.runs, args.files, folder), flush=True)
            if "fuzz" in args.parts:
                print(f"[{kind}] fuzz, poll --once:", fuzz(desk, url, args.fuzz), flush=True)
        finally:
            desk.sink.stop()
            desk.app.ledger.dispose()
            dovecot.destroy()
            stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=100, help="messages sent to both inboxes")
    parser.add_argument("--runs", type=int, default=4, help="concurrent mailbot process commands")
    parser.add_argument("--files", type=int, default=20, help="files each of them processes")
    parser.add_argument("--fuzz", type=int, default=1000, help="damaged messages (plus the hostile set and good returns)")
    parser.add_argument("--parts", default="race,runs,fuzz", help="which of race, runs, fuzz to run (comma-separated)")
    args = parser.parse_args()
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(kind, args)


if __name__ == "__main__":
    main()
