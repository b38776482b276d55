"""Precision over the corpus of realistic mail (tests/support/corpus): false errors, planted errors found, wrong verdicts.

Run from a checkout: `python bench/corpus_precision.py`. Every message goes through the whole pipeline on a
fresh SQLite ledger, in the order it arrives; the figures say how many "需修改" a correct return got (false
errors), how many planted errors were found at their row and column, and how many verdicts differ.
"""

from __future__ import annotations

import collections
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.app import App  # noqa: E402
from mailbot.intake.inbound import delivery_from_bytes  # noqa: E402
from tests.support.corpus.cases import corpus  # noqa: E402


def errors_of(verdict: dict) -> set[tuple]:
    """(kind or "file", row, column, code) of every error-severity problem."""
    found = {(f["kind"], p["row"], p["column"], p["code"]) for f in verdict["forms"] for p in f["problems"] if p["severity"] == "error"}
    return found | {("file", p["row"], p["column"], p["code"]) for p in verdict["file_problems"] if p["severity"] == "error"}


def main() -> None:
    app = App(db=f"sqlite:///{tempfile.mkdtemp()}/ledger.db")
    cases = corpus(app.campaign)
    false_errors, missed, wrong, planted, seconds = [], [], [], 0, 0.0
    clients = collections.Counter(c.client for c in cases)
    for case in cases:
        pipeline = app.pipeline()
        pipeline.now = lambda case=case: case.received + dt.timedelta(minutes=5)
        started = time.perf_counter()
        verdict = pipeline.process(delivery_from_bytes(case.raw, case.mailbox, received_at=case.received))
        seconds += time.perf_counter() - started
        raised = errors_of(verdict)
        planted += len(case.errors)
        false_errors += [(case.name, e) for e in raised - case.errors]
        missed += [(case.name, e) for e in case.errors - raised]
        if verdict["outcome"] != case.outcome or {f["kind"]: f["status"] for f in verdict["forms"]} != case.forms:
            wrong.append((case.name, verdict["outcome"], {f["kind"]: f["status"] for f in verdict["forms"]}))
    correct = sum(1 for c in cases if c.outcome == "accepted")
    print(f"messages: {len(cases)} ({', '.join(f'{k} {v}' for k, v in sorted(clients.items()))}); correct returns: {correct}")
    print(f"false errors: {len(false_errors)}; planted errors found: {planted - len(missed)}/{planted}; wrong verdicts: {len(wrong)}")
    print(f"mean time per message: {1000 * seconds / len(cases):.0f} ms")
    for name, item in false_errors:
        print(f"  false error  {name}: {item}")
    for name, item in missed:
        print(f"  missed       {name}: {item}")
    for name, outcome, forms in wrong:
        print(f"  verdict      {name}: {outcome} {forms}")


if __name__ == "__main__":
    main()
