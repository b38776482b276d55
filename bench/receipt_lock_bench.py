"""How long the office's receipt counter stays locked per registration, and how long rendering the receipt takes.

Processes N invalid 附件3 returns (each gets a Jinja receipt and an openpyxl annotated copy) on a fresh SQLite
ledger and prints, per message: the render time (Jinja + openpyxl) and the time from drawing the receipt number to
the end of the registration (the counter row is locked from the first to the commit). Run from the repository root:
    python bench/receipt_lock_bench.py [N]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

import mailbot.intake.pipeline  # noqa: E402
import mailbot.ledger.record  # noqa: E402
import mailbot.outbox.compose  # noqa: E402
import mailbot.outbox.enqueue  # noqa: E402
from mailbot.app import App  # noqa: E402
from mailbot.demo.inbox import rows_attachment3  # noqa: E402
from tests.mailbot.test_pipeline import a3_mail, run  # noqa: E402

marks: dict[str, float] = {}
render_s: list[float] = []
locked_s: list[float] = []


def timed(module, name: str, sink: list[float] | None = None, mark: str | None = None) -> None:
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        if mark:
            marks[mark] = start
        try:
            return real(*args, **kwargs)
        finally:
            if sink is not None:
                sink.append(time.perf_counter() - start)
    setattr(module, name, wrapper)


def main(n: int) -> None:
    renders: list[float] = []
    timed(mailbot.outbox.compose, "render", renders)
    timed(mailbot.outbox.enqueue, "annotated_copies", renders)
    timed(mailbot.ledger.record, "_receipt_no", mark="lock")
    real_record = mailbot.intake.pipeline.Pipeline._record

    def record(self, *args, **kwargs):
        marks.pop("lock", None)
        verdict = real_record(self, *args, **kwargs)
        if "lock" in marks:
            locked_s.append(time.perf_counter() - marks["lock"])
        return verdict
    mailbot.intake.pipeline.Pipeline._record = record
    with tempfile.TemporaryDirectory() as tmp:
        app = App(db=f"sqlite:///{tmp}/bench.db")
        for i in range(n):
            bad = [dict(rows_attachment3()[0], 内部管理事项="√", 事项名称=f"行政许可事项{i}")]  # a new version each time
            renders.clear()
            run(app, a3_mail(app, rows=bad))
            render_s.append(sum(renders))
        app.ledger.dispose()
    print(f"{n} invalid returns: render (Jinja + openpyxl) mean {statistics.mean(render_s) * 1000:.1f} ms; "
          f"receipt counter held mean {statistics.mean(locked_s) * 1000:.1f} ms, max {max(locked_s) * 1000:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
