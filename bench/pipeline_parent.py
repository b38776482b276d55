"""Benchmark: the worker's own share of each message (decide, record, queue the receipt), the parse child's work done beforehand.

Run from the repository root: ``python bench/pipeline_parent.py [--messages 60] [--calls]``. No mail server is needed:
the messages are those of bench/pipeline_bench.py, decoded and prepared (涉密 gate and parsing) as the parse child
would, then processed one by one on a fresh SQLite ledger. Prints CPU and wall milliseconds per message, and with
``--calls`` the Python function calls per message (steady under load, where times are not).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pipeline_bench import make_messages  # noqa: E402


def prepared_deliveries(app, messages: list[bytes]) -> list:
    """Each message as the watcher hands it over: decoded, with the parse child's findings attached."""
    from mailbot.intake.inbound import delivery_from_bytes
    from parsers import DEFAULT_LIMITS
    from parsers.gate.scan import MarkingTerms
    from routing.stages.prepare import job_of, prepare

    terms = MarkingTerms.from_config(app.campaign.classified)
    deliveries = []
    for uid, raw in enumerate(messages, start=1):
        delivery = delivery_from_bytes(raw, "xamzfw@126.com", uid=uid, uidvalidity=1, folder="INBOX")
        delivery.prepared = prepare(job_of(delivery), app.campaign, terms, DEFAULT_LIMITS)
        deliveries.append(delivery)
    return deliveries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=60)
    parser.add_argument("--calls", action="store_true", help="count function calls (under cProfile; times then double)")
    args = parser.parse_args()
    from mailbot.app import App

    app = App(db=f"sqlite:///{tempfile.mkdtemp(prefix='bench-parent-')}/ledger.db")
    first, *rest = prepared_deliveries(app, make_messages(args.messages + 1, 0))
    pipeline = app.pipeline()
    pipeline.process(first)  # the pass's one-time reads (roster, context) out of the figures
    profile = cProfile.Profile() if args.calls else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    for delivery in rest:
        pipeline.process(delivery)
    if profile:
        profile.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    line = f"worker's share: {1000 * cpu / len(rest):.1f} ms CPU, {1000 * wall / len(rest):.1f} ms wall per message ({len(rest)} messages)"
    if profile:
        line += f"; {pstats.Stats(profile).total_calls / len(rest):,.0f} function calls per message"
    print(line)


if __name__ == "__main__":
    main()
