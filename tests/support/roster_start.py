"""A process starting on an empty ledger, for the first-import race test: App.ledger, as every command does first.

Usage: python tests/support/roster_start.py DB_URL MEETING_DIR PROCESSES
Each process that finds the units table empty waits (up to 3 s) in the roster reader until PROCESSES have arrived
there, so processes that all looked before any inserted would all insert. Exit 0, or 1 with the error printed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from mailbot.app import App
from mailbot.ledger import roster_io


def main() -> int:
    """Start once; report any error."""
    url, meeting, expected = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    read = roster_io.read_roster_file

    def read_when_all_have_looked(path, *args):
        (meeting / str(os.getpid())).touch()
        until = time.monotonic() + 3
        while len(list(meeting.iterdir())) < expected and time.monotonic() < until:
            time.sleep(0.02)
        return read(path, *args)

    roster_io.read_roster_file = read_when_all_have_looked
    try:
        App(db=url).ledger.dispose()
    except Exception as exc:  # noqa: BLE001 - the failure is what the test looks for
        print(f"{type(exc).__name__}: {exc}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
