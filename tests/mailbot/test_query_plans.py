"""Every lookup a message makes narrows by a selective key: none reads a whole table or a whole inbox (SQLite's plans)."""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy import event

from mailbot.app import App
from mailbot.intake.inbound import delivery_from_bytes
from tests.mailbot.test_pipeline import ZWFW, a3_mail, when

# Columns that many rows share: an index search on these alone still reads a large part of the table.
BROAD = {"mailbox", "campaign", "office", "state", "kind", "folder", "outcome"}
TABLES = ("messages", "submissions", "units", "outbox")


def broad_reads(plan_lines: list[str]) -> list[str]:
    """Plan lines that read a ledger table whole, or search it by broad columns only."""
    found = []
    for line in plan_lines:
        scan = re.match(r"SCAN (\w+)$", line)
        search = re.match(r"SEARCH (\w+) USING (?:COVERING )?INDEX \w+ \((.*)\)", line)
        if scan and scan.group(1) in TABLES:
            found.append(line)
        elif search and search.group(1) in TABLES:
            columns = {term.split("=")[0].split(">")[0].split("<")[0].strip() for term in search.group(2).split(" AND ")}
            if columns <= BROAD:
                found.append(line)
    return found


def test_broad_reads_are_recognised():
    assert broad_reads(["SEARCH messages USING INDEX sqlite_autoindex_messages_1 (mailbox=?)", "SCAN messages"]) == [
        "SEARCH messages USING INDEX sqlite_autoindex_messages_1 (mailbox=?)", "SCAN messages"]
    assert broad_reads(["SEARCH messages USING INDEX ix_message_hash (content_hash=?)", "SCAN anon_1",
                        "SEARCH messages USING INTEGER PRIMARY KEY (rowid=?)"]) == []


def test_no_lookup_of_a_message_reads_a_whole_inbox(tmp_path):
    path = tmp_path / "plans.db"
    app = App(db=f"sqlite:///{path}")
    selects: dict[str, tuple] = {}
    first: list[bool] = []

    @event.listens_for(app.ledger.engine, "before_cursor_execute")
    def capture(_conn, _cursor, statement, parameters, _context, _many):
        # After the first message: the pass's one read of the whole roster is behind us.
        if first and statement.lstrip().upper().startswith("SELECT"):
            selects.setdefault(statement, parameters)

    pipeline = app.pipeline()
    pipeline.now = lambda: when(app, 10, 11)
    for n in range(4):  # the same unit again and again, from a stranger's address too: every rule asks its questions
        raw = a3_mail(app, sender="jyj@example.com" if n % 2 else "someone@example.org", day=10 + n)
        pipeline.process(delivery_from_bytes(raw, ZWFW, received_at=when(app, 10), uidvalidity=1, uid=n + 1))
        first.append(True)
    app.ledger.dispose()
    assert selects, "no statement captured"
    with sqlite3.connect(path) as con:
        broad = {statement: found for statement, params in selects.items()
                 if (found := broad_reads([row[3] for row in con.execute("EXPLAIN QUERY PLAN " + statement, params)]))}
    assert broad == {}
