"""`mailbot run` for the takeover test: the real worker (watchers and scheduler), optionally hanging mid-pass.

Usage: python tests/support/worker_run.py DB_URL SETTINGS [--die-after K MARKER]
Prints "busy INBOX" whenever a watcher finds an inbox held by another worker. With --die-after, the worker hangs
after its K-th message, holding that inbox's lock, touches MARKER and waits there for the test's SIGKILL.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from mailbot.app import App
from mailbot.worker import Worker
from tests.support.worker_loop import dying_after


def main() -> int:
    """Run until SIGTERM (or SIGKILL)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("db"), parser.add_argument("settings")
    parser.add_argument("--die-after", nargs=2, metavar=("K", "MARKER"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(threadName)s %(name)s %(message)s")
    app = App(db=args.db, settings_file=args.settings)
    if args.die_after:
        dying_after(app, int(args.die_after[0]), Path(args.die_after[1]))
    from mailbot.intake import watch as intake_watch

    poll_inbox = intake_watch.poll_inbox

    def reporting(*a, **kw):
        report = poll_inbox(*a, **kw)
        if report.busy:
            print(f"busy {report.inbox}", flush=True)
        return report

    intake_watch.poll_inbox = reporting
    worker = Worker(app)
    worker.run_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
