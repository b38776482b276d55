"""Workers started together on an empty ledger import the shipped roster once, without a UniqueViolation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from mailbot.ledger import Ledger
from mailbot.ledger.models import UnitRow
from mailbot.ledger.roster_io import read_roster_file
from tests.campaigns import LIANGYOU

ROOT = Path(__file__).resolve().parent.parent.parent
PROCESSES = 3


def test_workers_starting_together_import_the_roster_once(db_url, tmp_path):
    Ledger(db_url).dispose()  # the schema is in place (its creation is serialized on its own); no units yet
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    cmd = [sys.executable, str(ROOT / "tests" / "support" / "roster_start.py"), db_url, str(meeting), str(PROCESSES)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(PROCESSES)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * PROCESSES, outputs
    ledger = Ledger(db_url)
    try:
        with ledger.session() as s:
            names = s.scalars(select(UnitRow.name)).all()
            assert s.scalar(select(func.count(func.distinct(UnitRow.name)))) == len(names)
        assert len(names) == len(read_roster_file(LIANGYOU / "roster.csv"))
    finally:
        ledger.dispose()
