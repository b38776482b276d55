"""Exactly once when deliveries race: one message in both offices' inboxes, one file processed by several runs at once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select

import mailbot.intake.pipeline
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import MessageRow, OutboxRow, SubmissionRow
from tests.mailbot.test_intake_watch import eventually, receipts, stopped
from tests.support import hostile_mail as hm
from tests.support.desk import running_desk

ROOT = Path(__file__).resolve().parent.parent.parent
ZWFW, BIANBAN = hm.ZWFW, hm.BIANBAN
BOTH = f"{BIANBAN}, {ZWFW}"  # a department writing To: both offices
REGISTERED = ("accepted", "invalid")


def ledger_by_message_id(app) -> dict[str, dict]:
    """Per Message-ID: its rows' outcomes, its submissions and its reply rows."""
    found: dict[str, dict] = defaultdict(lambda: {"outcomes": [], "mailboxes": [], "submissions": 0, "replies": 0, "receipt_no": None})
    with app.ledger.session() as s:
        for row in s.scalars(select(MessageRow).order_by(MessageRow.id)):
            entry = found[row.message_id]
            entry["outcomes"].append(row.outcome)
            entry["receipt_no"] = entry["receipt_no"] or (row.receipt_no if row.outcome in REGISTERED else None)
            entry["mailboxes"].append(row.mailbox)
            entry["submissions"] += len(s.scalars(select(SubmissionRow.id).where(SubmissionRow.message_id == row.id)).all())
            entry["replies"] += len(s.scalars(select(OutboxRow.id).where(OutboxRow.message_ref == row.id, OutboxRow.kind.like("reply:%"))).all())
    return dict(found)


def receipt_texts(desk) -> list[str]:
    """Subject and text of every mail the departments received (a mail may carry several merged receipts)."""
    texts = []
    for sender, _unit in hm.UNITS:
        for mail in receipts(desk, sender):
            body = mail.get_body(preferencelist=("plain",))
            texts.append(f"{mail['Subject']}\n{body.get_content() if body is not None else ''}")
    return texts


def receipts_per_message(desk, found: dict[str, dict]) -> list[int]:
    """For each message, how many received mails carry its receipt number."""
    texts = receipt_texts(desk)
    return [sum(entry["receipt_no"] in text for text in texts) for entry in found.values()]


def assert_once_each(found: dict[str, dict], deliveries: int) -> None:
    """Every message registered once, answered once; its other deliveries recorded as duplicates."""
    for message_id, entry in found.items():
        outcomes = Counter(entry["outcomes"])
        assert len(entry["outcomes"]) == deliveries, (message_id, entry)
        assert sum(outcomes[o] for o in REGISTERED) == 1 and outcomes["duplicate"] == deliveries - 1, (message_id, entry)
        assert entry["submissions"] == 1 and entry["replies"] == 1, (message_id, entry)


def test_two_deliveries_deciding_at_the_same_moment_register_once(app, monkeypatch):
    """Both deliveries look for an earlier copy before either records: the second still becomes the duplicate."""
    both_looked = threading.Barrier(2, timeout=20)
    looked = threading.local()
    real = mailbot.intake.pipeline.find_duplicate

    def find_then_wait(session, delivery):
        found = real(session, delivery)
        if not getattr(looked, "done", False):  # the look before deciding (not the one under the claim)
            looked.done = True
            both_looked.wait()
        return found
    monkeypatch.setattr(mailbot.intake.pipeline, "find_duplicate", find_then_wait)
    raw = hm.good_return(app, 1, to=BOTH)
    verdicts, errors = [], []

    def deliver(mailbox: str) -> None:
        try:
            verdicts.append(app.pipeline().process(delivery_from_bytes(raw, mailbox)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=deliver, args=(box,)) for box in (BIANBAN, ZWFW)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and sorted(v["outcome"] for v in verdicts) == ["accepted", "duplicate"]
    assert_once_each(ledger_by_message_id(app), deliveries=2)
    assert [v["receipt_no"] for v in verdicts if v["outcome"] == "duplicate"] == [None]


def test_concurrent_process_runs_of_the_same_files_register_each_once(app, db_url, tmp_path):
    files = []
    for index in range(4):
        path = tmp_path / f"m{index}.eml"
        path.write_bytes(hm.good_return(app, index))
        files.append(str(path))
    app.ledger  # noqa: B018 - schema and roster made first: concurrent first starts are another matter
    command = [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "process", *files, "--mailbox", ZWFW, "--json"]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], [err[-2000:] for _out, err in outputs]
    for out, _err in outputs:  # every run reports the one registration of each file
        assert [json.loads(line)["receipt_no"] for line in out.splitlines()] == [json.loads(line)["receipt_no"] for line in outputs[0][0].splitlines()]
    assert_once_each(ledger_by_message_id(app), deliveries=1)


@pytest.mark.imap
def test_one_message_sent_to_both_inboxes_with_both_watchers_live_registers_once(dovecot, tmp_path, db_url):
    rounds = 12
    with running_desk(dovecot, tmp_path, db_url, extra="idle_timeout = 120\n[sending]\nmin_interval = 0\nper_recipient = 0\n") as desk:
        for sender, _unit in hm.UNITS:
            desk.dovecot.add_user(sender)
        desk.app.ledger  # noqa: B018 - schema and roster made before the worker starts
        command = [sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--settings", str(desk.settings_file), "run"]
        worker = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert "已启动" in worker.stdout.readline()
            messages = [hm.good_return(desk.app, index, to=BOTH) for index in range(rounds)]
            for raw in messages:  # both copies land together, as a server delivers one message to two recipients
                appends = [threading.Thread(target=desk.send, args=(raw, box)) for box in (BIANBAN, ZWFW)]
                for thread in appends:
                    thread.start()
                for thread in appends:
                    thread.join()

            ids = {hm.message_id_of(raw) for raw in messages}  # the worker's own mail (a digest to an office) aside

            def all_recorded():
                found = ledger_by_message_id(desk.app)
                return all(len(found.get(m, {}).get("outcomes", ())) == 2 for m in ids)
            eventually(all_recorded, "both deliveries of every message recorded", bound=180, on_fail=lambda: stopped(worker))
            ours = {m: e for m, e in ledger_by_message_id(desk.app).items() if m in ids}
            eventually(lambda: min(receipts_per_message(desk, ours)) >= 1, "every receipt received", bound=120,
                       on_fail=lambda: stopped(worker))
            worker.send_signal(signal.SIGTERM)
            _out, err = worker.communicate(timeout=60)
        finally:
            if worker.poll() is None:
                worker.kill()
        assert worker.returncode == 0 and "Traceback" not in err, err[-3000:]
        ours = {m: e for m, e in ledger_by_message_id(desk.app).items() if m in ids}
        assert_once_each(ours, deliveries=2)
        assert receipts_per_message(desk, ours) == [1] * rounds  # one receipt per message (merged or not), no second one
