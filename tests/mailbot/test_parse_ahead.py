"""The parse child: same findings as inline, and a hang, a crash or a memory blow-up cost one message, not the worker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from mailbot.demo.inbox import demo_inbox
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.intake.parse_child import ParseAhead, ParsePolicy
from mailbot.ledger.models import HeldRawRow, MessageRow
from parsers import DEFAULT_LIMITS
from parsers.gate.scan import MarkingTerms
from routing.delivery import Outcome
from tests.support import parse_faults

NOW = dt.datetime(2023, 1, 17, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def deliveries(app, samples=None) -> list:
    samples = samples or demo_inbox(app.campaign)
    return [delivery_from_bytes(s.raw, s.mailbox, received_at=s.received_at, now=NOW) for s in samples]


def ahead(app, policy=ParsePolicy(), **kw) -> ParseAhead:
    return ParseAhead(app.campaign, MarkingTerms.from_config(app.campaign.classified), DEFAULT_LIMITS, policy, **kw)


def verdicts(app, samples, prepared: bool) -> list[dict]:
    pipeline = app.pipeline()
    pipeline.now = lambda: NOW
    items = deliveries(app, samples)
    if prepared:
        with ahead(app) as child:
            tickets = [child.submit(d) for d in items]
            for d, ticket in zip(items, tickets):
                d.prepared = child.collect(ticket)
    return [pipeline.process(d) for d in items]


def test_the_child_finds_what_the_chain_finds_inline(db_url, tmp_path):
    from mailbot.app import App

    inline = App(db=f"sqlite:///{tmp_path}/inline.db")
    ahead_app = App(db=db_url)
    samples = demo_inbox(inline.campaign)
    got, expected = verdicts(ahead_app, samples, prepared=True), verdicts(inline, samples, prepared=False)
    assert got == expected
    outcomes = {v["outcome"] for v in got}
    assert {"accepted", "invalid", "refused_classified", "unsupported"} <= outcomes  # the corpus reaches the gate and the parsers


def test_a_marked_message_is_never_parsed_in_the_child(app):
    marked = next(d for d in deliveries(app) if "涉密" in d.subject)
    with ahead(app) as child:
        prepared = child.collect(child.submit(marked))
    assert prepared.marking is not None and prepared.marking.certain and prepared.files is None


@pytest.mark.parametrize("work, subject, reason", [
    (parse_faults.hang_on, "hang", "解析超时"),
    (parse_faults.die_on, "die", "解析进程异常退出"),
    (parse_faults.eat_memory_on, "eat", "附件占用内存超出限制"),
    (parse_faults.unpicklable_on, "odd", "解析结果无法传回"),
])
def test_one_bad_message_fails_alone_and_the_child_comes_back(app, work, subject, reason):
    items = deliveries(app)[1:4]
    items[1].subject = subject
    with ahead(app, ParsePolicy(timeout=3, memory_mb=1024), work=work) as child:
        tickets = [child.submit(d) for d in items]
        answers = [child.collect(t) for t in tickets]
        again = child.collect(child.submit(items[0]))
    assert [a.failure for a in answers] == ["", reason, ""]
    assert answers[0].files and answers[2].files and again.files  # before, after, and on a new child


def test_a_failed_message_is_held_for_a_person_and_nothing_of_it_is_kept(app):
    item = deliveries(app)[1]
    item.subject = "hang"
    with ahead(app, ParsePolicy(timeout=2), work=parse_faults.hang_on) as child:
        item.prepared = child.collect(child.submit(item))
    verdict = app.pipeline().process(item)
    assert verdict["outcome"] == Outcome.HELD_FOR_REVIEW.value and verdict["reason"] == "parser-failure"
    with app.ledger.session() as s:
        row = s.scalars(select(MessageRow)).one()
        held_raw = s.scalar(select(func.count()).select_from(HeldRawRow))
    assert row.detail == "附件处理未能完成（解析超时），待人工处理"
    assert (row.subject, row.verdict, row.attachments_hash, held_raw) == (None, None, None, 0)  # withheld: the gate never finished


RUNNER = """
import os, sys
from mailbot.app import App
from tests.mailbot.test_parse_ahead import ahead, deliveries
from tests.support import parse_faults
app = App(db="sqlite:///" + sys.argv[1])
child = ahead(app, work=parse_faults.report_pid)
print(child.collect(child.submit(deliveries(app)[1])), flush=True)
os.kill(os.getpid(), 9)
"""


def test_the_child_does_not_outlive_a_killed_worker(tmp_path):
    out = subprocess.run([sys.executable, "-c", RUNNER, str(tmp_path / "l.db")], capture_output=True, text=True, timeout=60,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert out.returncode == -signal.SIGKILL, out.stderr
    pid = int(out.stdout.strip())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False
