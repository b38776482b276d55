"""The receipt is rendered (Jinja) and annotated (openpyxl) before the office's receipt counter is locked."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

import mailbot.ledger.record
import mailbot.outbox.compose
import mailbot.outbox.enqueue
from mailbot.demo.inbox import rows_attachment3
from mailbot.ledger.models import OutboxRow
from tests.mailbot.test_pipeline import a3_mail, run


def spy(monkeypatch, module, name: str, event: str, events: list, probe=lambda: None) -> None:
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        events.append(event)
        probe()
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, wrapper)


def counter_free(db_url: str) -> bool:
    """On PostgreSQL: whether another connection could lock the office's counter row this instant."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT last_seq FROM receipt_counters FOR UPDATE NOWAIT"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def test_rendering_and_annotating_happen_before_the_counter_lock(app, db_url, monkeypatch):
    run(app, a3_mail(app))  # the counter row exists from here on
    events, blocked = [], []
    probe = (lambda: blocked.append(not counter_free(db_url))) if db_url.startswith("postgresql") else (lambda: None)
    spy(monkeypatch, mailbot.ledger.record, "_receipt_no", "lock-counter", events)
    spy(monkeypatch, mailbot.outbox.compose, "render", "render", events, probe)
    spy(monkeypatch, mailbot.outbox.enqueue, "annotated_copies", "annotate", events, probe)
    bad = [dict(rows_attachment3()[0], 内部管理事项="√")]
    verdict = run(app, a3_mail(app, sender="czj@example.com", unit="兴安盟财政局", rows=bad))
    assert verdict["outcome"] == "invalid" and verdict["receipt_no"].endswith("0002号")
    assert {"render", "annotate"} <= set(events) and events[-1] == "lock-counter"  # nothing rendered under the lock
    assert not any(blocked)
    with app.ledger.session() as s:
        reply = s.query(OutboxRow).filter(OutboxRow.to_addr == "czj@example.com").one()
        assert verdict["receipt_no"] in reply.body and "待编号" not in reply.body and reply.attachments
