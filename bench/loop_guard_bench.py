"""Benchmark: what the reply-loop guard and the roster-version check cost per message, and what the inert cell writer costs.

Run from the repository root: ``python bench/loop_guard_bench.py [--messages 200] [--rounds 3]``.
No mail server needed: saved messages go through ``Pipeline.process`` in this process (SQLite, attachments parsed
inline), once with the ledger lookups the chain may ask (``Context.history``) and once without, into fresh ledgers.
The harder case is used: every message comes from one unit's address, so the guard's lookups (our mails and files
to that address, its answered messages) grow with each message. Then the 台账 workbook of that ledger is built
with the inert writer (``parsers.safety.cellsafe.put``) and with plain assignment. Prints the best of ``--rounds`` runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_messages(count: int) -> list[bytes]:
    """``count`` returns of 附件3 from 兴安盟教育局's roster address, each with different rows (none a duplicate)."""
    from mailbot.config import load_campaign
    from mailbot.demo.forms import form_xlsx
    from mailbot.demo.inbox import XLSX, _mail, rows_attachment3

    campaign = load_campaign()
    when = dt.datetime(2023, 1, 10, 9, tzinfo=campaign.timezone)
    out = []
    for n in range(count):
        rows = rows_attachment3()
        rows[0]["事项名称"] = f"第{n}项审批事项"
        if n % 2:
            rows[0]["内部管理事项"] = "√"  # every other one invalid: its receipt carries an annotated copy
        data = form_xlsx(campaign.form("attachment3"), "兴安盟教育局", rows)
        out.append(_mail("jyj@example.com", "xamzfw@126.com", f"附件3（{n}）", when + dt.timedelta(seconds=n), "请查收。", [("附件3.xlsx", data, XLSX)]))
    return out


def run_pipeline(messages: list[bytes], history: bool) -> tuple[float, object]:
    """Seconds to process the messages into a fresh ledger; the App, for the workbook step."""
    from mailbot.app import App
    from mailbot.intake.inbound import delivery_from_bytes
    from mailbot.intake.pipeline import Pipeline

    app = App(db=f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    app.ledger  # the roster import is not part of the measure
    original = Pipeline.context

    def without_history(self, session):
        ctx = original(self, session)
        return ctx if history else dataclasses.replace(ctx, history=None)

    with mock.patch.object(Pipeline, "context", without_history):
        pipeline = app.pipeline()
        start = time.perf_counter()
        for n, raw in enumerate(messages):
            pipeline.process(delivery_from_bytes(raw, "xamzfw@126.com", uid=n + 1, uidvalidity=1))
        return time.perf_counter() - start, app


def build_workbook(app, inert: bool) -> float:
    """Seconds to build the whole 台账 workbook (all offices)."""
    from mailbot.reports import style as workbook_style
    from mailbot.reports.workbook import build_ledger_workbook

    def plain(cell, value):
        cell.value = value
        return cell

    now = dt.datetime(2023, 1, 21, 9, tzinfo=app.campaign.timezone)
    with mock.patch.object(workbook_style, "put", workbook_style.put if inert else plain), app.ledger.session() as session:
        start = time.perf_counter()
        build_ledger_workbook(session, app.campaign, now, None)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    messages = make_messages(args.messages)
    best = {True: float("inf"), False: float("inf")}
    books = {True: float("inf"), False: float("inf")}
    for _ in range(args.rounds):
        for history in (False, True):
            seconds, app = run_pipeline(messages, history)
            best[history] = min(best[history], seconds)
            if history:
                for inert in (False, True):
                    books[inert] = min(books[inert], build_workbook(app, inert))
            app.ledger.dispose()
    per = {h: 1000 * best[h] / args.messages for h in best}
    print(f"{args.messages} messages from one address, best of {args.rounds}:")
    print(f"  without the ledger lookups: {per[False]:.1f} ms/message")
    print(f"  with them (reply-loop, stranger-return): {per[True]:.1f} ms/message ({per[True] / per[False]:.2f}x)")
    print(f"  台账 workbook: plain cells {books[False]:.2f} s, inert cells {books[True]:.2f} s ({books[True] / books[False]:.2f}x)")


if __name__ == "__main__":
    main()
