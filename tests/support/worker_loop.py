"""A worker for the several-workers test: poll every inbox and drain the outbox until the backlog is done.

Usage: python tests/support/worker_loop.py DB_URL SETTINGS EXPECTED [--die-after K MARKER]
With --die-after, the worker stops dead after its K-th message (holding that mailbox), touches MARKER and
waits there for the test's SIGKILL: a crash in the middle of a pass, at a point the test chooses.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from mailbot.app import App
from mailbot.intake.poll import poll_all
from mailbot.ledger.models import MessageRow, OutboxRow, OutboxState
from mailbot.outbox.send import drain

MAX_TURNS = 600  # a guard against a worker that never finishes; the test's own deadline comes first


def dying_after(app: App, count: int, marker: Path) -> None:
    """Make the app's pipeline hang forever after ``count`` messages."""
    make, seen = app.pipeline, []

    def pipeline(options=None):
        real = make(options)
        process = real.process

        def process_then_maybe_hang(delivery):
            verdict = process(delivery)
            seen.append(delivery)
            if len(seen) == count:
                marker.write_text("hanging", encoding="utf-8")
                while True:
                    signal.pause()
            return verdict

        real.process = process_then_maybe_hang
        return real

    app.pipeline = pipeline


def done(app: App, expected: int) -> bool:
    """Every message registered, nothing left to send."""
    pending = (OutboxState.QUEUED, OutboxState.SENDING)
    with app.ledger.session() as s:
        registered = s.scalar(select(func.count()).select_from(MessageRow))
        waiting = s.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.state.in_(pending)))
    return registered >= expected and waiting == 0


def main() -> int:
    """Turn until done; print one line per inbox skipped because another worker held it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("db"), parser.add_argument("settings"), parser.add_argument("expected", type=int)
    parser.add_argument("--die-after", nargs=2, metavar=("K", "MARKER"))
    args = parser.parse_args()
    app = App(db=args.db, settings_file=args.settings)
    if args.die_after:
        dying_after(app, int(args.die_after[0]), Path(args.die_after[1]))
    for _ in range(MAX_TURNS):
        for report in poll_all(app):
            if report.busy:
                print(f"busy {report.inbox}", flush=True)
        drain(app)
        if done(app, args.expected):
            return 0
        time.sleep(0.2)
    return 1


if __name__ == "__main__":
    sys.exit(main())
