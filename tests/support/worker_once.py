"""One worker pass in its own process, for the crash tests: python -m tests.support.worker_once SETTINGS DB_URL."""

from __future__ import annotations

import logging
import sys

from mailbot.app import App
from mailbot.intake.poll import poll_all
from mailbot.outbox.send import drain


def main(settings_file: str, db_url: str) -> int:
    """Process every inbox once, then send what is due; the parent may kill -9 us at any moment."""
    logging.basicConfig(level=logging.DEBUG if "--debug" in sys.argv else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = App(db=db_url, settings_file=settings_file)
    reports = poll_all(app)
    drain(app)
    app.ledger.dispose()
    return 1 if any(r.error for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
